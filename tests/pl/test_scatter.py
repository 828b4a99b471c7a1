"""The bokeh figure for notebooks: hovering a point shows that point's sketch and its decode."""
from __future__ import annotations

import numpy as np

from latentlab.pl.scatter import _uri, scatter

from helpers.browser import settle

# the page position of the point of ``row`` (bokeh's own scales, on the plot's canvas)
POINT = """(row) => { const index = Bokeh.index, roots = typeof index.find_one === "function" ? null : index;
  const fig = Bokeh.documents[0].roots()[0];
  const view = roots ? Object.values(roots).find((r) => r.model === fig) : index.find_one(fig);
  const src = fig.renderers.find((r) => r.name === "points").data_source.data;
  const i = Array.from(src.row).indexOf(row), box = view.canvas_view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(src.x[i]), box.top + view.frame.y_scale.compute(src.y[i])]; }"""


def test_hover_shows_the_sketch_and_decode_of_the_point_under_the_cursor(browser, analysed_store, tmp_path):
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    store = analysed_store
    fig = scatter(store, basis="umap", color="label")
    page_file = tmp_path / "scatter.html"
    page_file.write_text(file_html(fig, INLINE, "scatter"), encoding="utf-8")  # offline: bokeh inlined
    xy = store.read("obsm/X_umap")
    gaps = np.sort(np.linalg.norm(xy[:, None] - xy[None], axis=2), axis=1)[:, 1]
    row = int(np.argmax(gaps))  # the point farthest from any other: nothing else under the cursor
    page = browser.new_page(viewport={"width": 900, "height": 700})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    page.wait_for_function("window.Bokeh && Bokeh.documents.length && Bokeh.documents[0].roots().length")
    settle(page, 10)  # bokeh lays the figure out over its first frames
    x, y = page.evaluate(POINT, row)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y)
    page.wait_for_function("() => document.querySelector('body') && "
                           "[...document.querySelectorAll('*')].some((e) => e.shadowRoot && "
                           "e.shadowRoot.querySelector('.bk-tooltip-content, .bk-Tooltip, img'))", timeout=10_000)
    shown = page.locator("img[src^='data:image/svg']").evaluate_all("(imgs) => imgs.map((i) => i.src)")
    decode = store.keys("decoded")[0]
    assert shown == [_uri(store.sketches([row])[0]), _uri(store.sketches([row], key=f"decoded/{decode}")[0])]
    label = store.label_names()[row]
    assert page.get_by_text(f"row {row} · {label}").is_visible()
    page.screenshot(path=str(tmp_path / "hover.png"))
    assert not errors
    page.close()

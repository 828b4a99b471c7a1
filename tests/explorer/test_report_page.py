"""The explorer page in the states people put it in: window resizes and colour changes (the sketches on the map
follow their points), the pointer on a sketch drawn on the map, clearing a selection, long
class names, and a store that anndata has written back with its own columns, projections and decodes."""
from __future__ import annotations

import shutil

import anndata
import h5py
import numpy as np
import pytest

from latentlab.explorer.report import write_report
from latentlab.store import LatentStore

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from helpers.browser import DOUBLE_CLICK_MS, STILL_MAP, Page, settle

# each sketch drawn on the map: how far (px) its centre is from its point as the map is laid out now, and how far
# the overlay canvas is from the map's frame
GLYPH_OFFSETS = """() => { const d = latentlab.debug, f = d.frame();
  const r = document.querySelector('#ll-overlay').getBoundingClientRect();
  const canvas = Math.max(Math.abs(r.left - f.left), Math.abs(r.top - f.top), Math.abs(r.width - f.width),
                          Math.abs(r.height - f.height));
  return [canvas, d.glyphs.map(([i, sx, sy]) => { const p = d.pagePoint(i);
                                                 return Math.hypot(p.x - f.left - sx, p.y - f.top - sy); })]; }"""


def _assert_glyphs_follow(page, when: str) -> None:
    """Bokeh lays the map out again over a few frames (more on a busy machine): wait until the sketches sit on
    their points, then say how far they are if they never do."""
    try:
        page.wait_for_function(f"(() => {{ const [canvas, offsets] = ({GLYPH_OFFSETS})(); "
                               "return offsets.length > 0 && canvas < 1 && Math.max(...offsets) < 1; })()",
                               timeout=30_000, polling=100)
    except PlaywrightTimeout:
        pass  # the asserts below say what is off
    canvas, offsets = page.evaluate(GLYPH_OFFSETS)
    assert offsets, f"{when}: no sketches drawn on the map"
    assert canvas < 1 and max(offsets) < 1, (when, canvas, max(offsets))


def test_sketches_on_the_map_follow_a_resize_and_a_colour_bar(browser, report):
    page = Page(browser, report, sketches_on_map=True, viewport=(1400, 900))
    _assert_glyphs_follow(page, "opened")
    for size in ((1024, 700), (1920, 1080), (1280, 800)):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        _assert_glyphs_follow(page, f"resized to {size}")
    page.select_option("#ll-color", "Lr")  # the colour bar appears and the frame narrows
    assert page.evaluate("Bokeh.documents[0].get_model_by_name('ll-colorbar').visible")
    _assert_glyphs_follow(page, "coloured by Lr")
    page.close_clean()


def test_escape_and_the_clear_button_empty_a_selection(browser, report):
    page = Page(browser, report)
    points = "Bokeh.documents[0].get_model_by_name('ll-points').selected.indices.length"
    for how in ("Escape", "#ll-sel-clear"):
        page.box_select((0.2, 0.2), (0.7, 0.7))
        page.wait_for_function("latentlab.debug.selectionRows.length > 0")
        assert "Esc" in page.text_content("#ll-sel-note") and page.evaluate(points) > 0
        page.select_option("#ll-drag", "pan")  # back to panning, the selection stays until cleared
        assert page.evaluate("latentlab.debug.selectionRows.length") > 0
        if how == "Escape":
            page.keyboard.press("Escape")
        else:
            page.click(how)
        page.wait_for_function("latentlab.debug.selectionRows.length === 0")
        assert page.evaluate(points) == 0 and page.locator("#ll-grid .cell").count() == 0
    page.close_clean()


def test_the_pointer_anywhere_on_a_drawn_sketch_inspects_it(browser, report):
    page = Page(browser, report, sketches_on_map=True)
    for zoom in ("out", "in"):
        if zoom == "in":  # a window around one point: every point in view is drawn, at 34 px
            page.evaluate("""() => { const d = latentlab.debug, i = 17;
              const b = Bokeh.documents[0].get_model_by_name('ll-map');
              const X = d.arrays['x_' + d.state.basis], Y = d.arrays['y_' + d.state.basis];
              const w = (b.x_range.end - b.x_range.start) / 12, h = (b.y_range.end - b.y_range.start) / 12;
              b.x_range.setv({start: X[i] - w, end: X[i] + w}); b.y_range.setv({start: Y[i] - h, end: Y[i] + h}); }""")
            settle(page.page, 10)  # the zoomed map is laid out and its sketches drawn again
        glyphs = page.evaluate("latentlab.debug.glyphs")
        f = page.evaluate("latentlab.debug.frame()")
        assert glyphs and all(g[3] == (60 if zoom == "out" else 34) for g in glyphs), glyphs
        tried = 0
        for i, sx, sy, size in glyphs[:8]:
            for dx, dy in ((0.4, 0.35), (-0.38, 0.1), (0.05, -0.42)):  # near the frame, far from the point
                x, y = sx + dx * size, sy + dy * size
                top = [g[0] for g in glyphs if abs(x - g[1]) <= g[3] / 2 and abs(y - g[2]) <= g[3] / 2][-1]
                tried += top == i
                page.mouse.move(f["left"] + x, f["top"] + y)
                page.wait_for_function(f"latentlab.debug.inspected === {top}")  # the one on top
        assert tried >= 8
        i, sx, sy, size = glyphs[0]
        page.mouse.click(f["left"] + sx + 0.4 * size, f["top"] + sy + 0.4 * size)
        page.wait_for_function(f"latentlab.debug.pinned === {i}")
        page.wait_for_timeout(DOUBLE_CLICK_MS)  # a second click, not a double click
        page.mouse.click(f["left"] + 2, f["top"] + 2)  # empty map: released
        page.wait_for_function("latentlab.debug.pinned === -1")
    page.close_clean()


@pytest.fixture(scope="module")
def scanpy_store(store, tmp_path_factory):
    """The store read and written back by anndata, with what a scanpy session adds: a categorical ``leiden``
    column, a numeric column, a projection under its own key, and a long category name."""
    path = tmp_path_factory.mktemp("scanpy") / "written_back.h5ad"
    adata = anndata.read_h5ad(store.path)
    rng = np.random.default_rng(0)
    adata.obs["leiden"] = np.array([f"cluster {c}" for c in rng.integers(0, 5, adata.n_obs)])
    adata.obs["leiden"] = adata.obs["leiden"].astype("category")
    adata.obs["n_strokes"] = rng.integers(1, 12, adata.n_obs)
    adata.obsm["my_proj"] = adata.obsm["X_pca"][:, [2, 3]] * 10
    adata.write_h5ad(path)
    with h5py.File(path, "r+") as f:  # a Quick, Draw! class name as long as the real ones get, and more
        names = [s.decode() if isinstance(s, bytes) else s for s in f["obs/label/categories"][:]]
        codes = f["obs/label/codes"][:]
        names[int(np.bincount(codes[codes >= 0]).argmax())] = "the great wall of china seen from far away at dusk"
        del f["obs/label/categories"]
        f.create_dataset("obs/label/categories", data=np.array(names, dtype=object), dtype=h5py.string_dtype())
    return LatentStore(path)


def test_a_store_scanpy_wrote_back_is_coloured_by_its_own_columns(browser, scanpy_store, tmp_path):
    s = scanpy_store
    out = write_report(s, tmp_path / "scanpy.html", color_by="leiden")
    page = Page(browser, out)
    options = page.evaluate("Array.from(document.querySelectorAll('#ll-color option'), o => o.value)")
    assert {"class", "leiden", "n_strokes", "length", "Lr", "Lkl"} <= set(options)
    assert page.text_content("#ll-classes-title") == "leiden"
    leiden = s.read("obs/leiden")
    listed = page.evaluate("Array.from(document.querySelectorAll('#ll-classes li'), li => "
                           "[li.querySelector('.name').textContent, +li.querySelector('.count').textContent])")
    cats = s.strings("obs/leiden/categories")
    assert sorted(map(tuple, listed)) == sorted((c, int((leiden == j).sum())) for j, c in enumerate(cats))
    page.click("#ll-classes li >> nth=0")  # one cluster only
    settle(page.page)
    chosen = cats.index(listed[0][0])
    assert page.evaluate("Array.from(latentlab.debug.state.visible)") == (leiden == chosen).astype(int).tolist()
    page.click("#ll-classes li.on")  # and all again
    assert page.evaluate("latentlab.debug.state.visible.every((v) => v === 1)")
    page.select_option("#ll-color", "n_strokes")
    assert page.evaluate("Bokeh.documents[0].get_model_by_name('ll-colorbar').visible")
    assert page.evaluate("Array.from(Bokeh.documents[0].get_model_by_name('ll-points').data.c)") == \
        s.read("obs/n_strokes").astype(float).tolist()
    heads = page.evaluate("Array.from(document.querySelectorAll('#ll-ranges .head span:first-child'), "
                          "e => e.textContent)")
    assert "n_strokes" in heads  # a histogram filter for every numeric column
    page.select_option("#ll-basis", "my_proj")
    xs = np.array(page.evaluate("Array.from(Bokeh.documents[0].get_model_by_name('ll-points').data.x)"))
    want = s.read("obsm/my_proj")[:, 0]
    assert np.abs(xs - want).max() <= np.ptp(want) * 1.1 / 65535
    decodes = page.evaluate("Array.from(document.querySelectorAll('#ll-dec-choice option'), o => o.textContent)")
    assert decodes == ["decoded (tau0.1_js)", "decoded (tau0.1)"]
    page.wait_for_function(STILL_MAP, polling=100)  # the projection changed: aim where the map is now
    page.mouse.move(*page.point(4))
    page.wait_for_function("latentlab.debug.inspected === 4")
    first = page.evaluate("document.querySelector('#ll-dec').toDataURL()")
    page.select_option("#ll-dec-choice", index=1)
    assert page.evaluate("latentlab.debug.state.dec") == "dec1"
    assert page.evaluate("document.querySelector('#ll-dec').toDataURL()") != first  # the other decode is drawn
    facts = page.text_content("#ll-facts")
    assert f"leiden{cats[leiden[4]]}" in facts and f"n_strokes{s.read('obs/n_strokes')[4]}" in facts
    page.close_clean()


def test_long_class_names_stay_inside_the_panels(browser, scanpy_store, tmp_path):
    out = write_report(scanpy_store, tmp_path / "long.html")
    page = Page(browser, out, viewport=(1280, 800))
    side = page.evaluate("document.querySelector('#ll-side').getBoundingClientRect().right")
    rights = page.evaluate("Array.from(document.querySelectorAll('#ll-classes li'), li => "
                           "li.getBoundingClientRect().right)")
    assert max(rights) <= side + 0.5
    long = "the great wall of china seen from far away at dusk"
    row = int(np.flatnonzero(np.array(scanpy_store.label_names()) == long)[0])
    page.mouse.click(*page.point(row))
    page.wait_for_function(f"latentlab.debug.pinned === {row}")
    caps = page.evaluate("Array.from(document.querySelectorAll('#ll-strip .cell'), c => [c.title, "
                         "Array.from(c.querySelectorAll('.cap'), e => [e.textContent, e.scrollWidth <= e.clientWidth "
                         "&& e.scrollHeight <= e.clientHeight + 1])])")
    assert caps
    for title, ((row_text, row_fits), (name, _)) in caps:
        assert row_fits and title.startswith(f"row {row_text[1:]}") and name in title  # the whole name on hover
    short = [fits for _, (_, (name, fits)) in caps if len(name) <= 16]
    assert all(short)  # class names up to two short lines show whole
    shutil.copy(out, tmp_path / "kept.html")
    page.close_clean()


def test_unknown_projections_and_columns_name_what_the_store_has(scanpy_store, tmp_path):
    from latentlab.errors import LatentlabValueError

    with pytest.raises(LatentlabValueError, match=r"no projection 'tsne' in obsm \(have: X_pca, X_umap, my_proj\)"):
        write_report(scanpy_store, tmp_path / "a.html", basis="tsne")
    with pytest.raises(LatentlabValueError, match=r"obs column of the store \(class, .*leiden.*n_strokes.*\), got 'x'"):
        write_report(scanpy_store, tmp_path / "a.html", color_by="x")
    assert not list(tmp_path.iterdir())  # nothing half-written

"""The explorer page in the states people put it in: window resizes and colour changes (the sketches on the map
follow their points), the pointer on a sketch drawn on the map, clearing a selection, long
class names, and a store that anndata has written back with its own columns, projections and decodes."""
from __future__ import annotations

import anndata
import h5py
import numpy as np
import pytest

from latentlab.explorer.report import write_report
from latentlab.store import LatentStore

from helpers.browser import DOUBLE_CLICK_MS, box_select, settle
from helpers.tiled import HOVERED, PINNED, SELECTED, TiledPage

# each sketch drawn on the map: how far (px) its centre is from where its row's point is on the map as it is laid
# out now, and how far the map's canvas is from filling its box (less the colour bar's strip)
GLYPH_OFFSETS = """() => { const d = latentlab.debug, S = d.S, c = document.querySelector('#ll-map');
  const box = document.querySelector('#ll-mapbox').getBoundingClientRect(), r = c.getBoundingClientRect();
  const bar = document.querySelector('#ll-colorbar').hidden ? 0 : 64;
  const canvas = Math.max(Math.abs(r.width - (box.width - bar)), Math.abs(r.height - box.height),
                          Math.abs(c.width - Math.round(r.width * devicePixelRatio)));
  return [canvas, S.glyphs.map(([j, x, y]) => { const [px, py] = d.screenOf({tile: S.tiles.get(S.drawn.T[j]),
                                                                            k: S.drawn.K[j]});
                                                return Math.hypot(px - x, py - y); })]; }"""


def _open(browser, path, **kw) -> TiledPage:
    return TiledPage(browser, path.as_uri(), **kw)


def _assert_glyphs_follow(page, when: str) -> None:
    settle(page.page, 5)  # the resize observed and the map drawn again
    canvas, offsets = page.evaluate(GLYPH_OFFSETS)
    assert offsets, f"{when}: no sketches drawn on the map"
    assert canvas < 1.5 and max(offsets) < 1, (when, canvas, max(offsets))


def test_sketches_on_the_map_follow_a_resize_and_a_colour_bar(browser, report):
    page = _open(browser, report, sketches_on_map=True, viewport=(1400, 900))
    _assert_glyphs_follow(page, "opened")
    for size in ((1024, 700), (1920, 1080), (1280, 800)):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        _assert_glyphs_follow(page, f"resized to {size}")
    page.select_option("#ll-color", "Lr")  # the colour bar appears and the map narrows
    assert page.is_visible("#ll-colorbar")
    _assert_glyphs_follow(page, "coloured by Lr")
    page.close_clean()


def test_escape_and_the_clear_button_empty_a_selection(browser, report):
    page = _open(browser, report)
    for how in ("Escape", "#ll-sel-clear"):
        box_select(page.page, page.mouse, (0.2, 0.2), (0.7, 0.7))  # and back to panning
        page.wait_for_function(f"({SELECTED}).length > 0")
        assert "rows selected" in page.text_content("#ll-sel-note")
        assert page.input_value("#ll-drag") == "pan"  # panning again, the selection stays until cleared
        assert page.evaluate(f"({SELECTED}).length") > 0
        if how == "Escape":
            page.keyboard.press("Escape")
        else:
            page.click(how)
        page.wait_for_function(f"({SELECTED}).length === 0")
        assert page.locator("#ll-grid .cell").count() == 0
    page.close_clean()


ROW_OF_DRAWN = "(j) => latentlab.debug.S.tiles.get(latentlab.debug.S.drawn.T[j]).A.row[latentlab.debug.S.drawn.K[j]]"


def test_the_pointer_anywhere_on_a_drawn_sketch_inspects_it(browser, report):
    page = _open(browser, report, sketches_on_map=True)
    glyphs = page.evaluate("latentlab.debug.S.glyphs")  # zoomed out: a sketch for each dense region
    assert glyphs and all(g[3] > 30 for g in glyphs), glyphs
    tried = 0
    for j, sx, sy, size in glyphs[:8]:
        for dx, dy in ((0.4, 0.35), (-0.38, 0.1), (0.05, -0.42)):  # near the frame, far from the point
            x, y = sx + dx * size, sy + dy * size
            top = [g[0] for g in glyphs if abs(x - g[1]) <= g[3] / 2 and abs(y - g[2]) <= g[3] / 2][-1]
            tried += top == j
            page.mouse.move(page.box["x"] + x, page.box["y"] + y)
            page.wait_for_function(f"({HOVERED}) === {page.evaluate(ROW_OF_DRAWN, top)}")  # the one on top
    assert tried >= 8
    j, sx, sy, size = glyphs[0]
    page.mouse.click(page.box["x"] + sx + 0.4 * size, page.box["y"] + sy + 0.4 * size)
    page.wait_for_function(f"({PINNED}) === {page.evaluate(ROW_OF_DRAWN, j)}")
    page.wait_for_timeout(DOUBLE_CLICK_MS)  # a second click, not a double click
    page.mouse.click(page.box["x"] + 2, page.box["y"] + 2)  # empty map: released
    page.wait_for_function(f"({PINNED}) === null")
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
    page = _open(browser, out)
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
    drawn = ("Array.from(latentlab.debug.S.drawn.K, (k) => latentlab.debug.S.tiles.get(0).A.row[k])"
             ".sort((a, b) => a - b)")
    assert page.evaluate(drawn) == np.flatnonzero(leiden == chosen).tolist()
    page.click("#ll-classes li.on")  # and all again
    settle(page.page)
    assert page.evaluate(f"({drawn}).length") == len(s)
    page.select_option("#ll-color", "n_strokes")
    assert page.is_visible("#ll-colorbar")
    heads = page.evaluate("Array.from(document.querySelectorAll('#ll-ranges .range'), (b) => b.dataset.column)")
    assert {"n_strokes", "length", "Lr"} <= set(heads)  # a range filter for every numeric column
    page.select_option("#ll-basis", label="my_proj")
    page.wait_for_function("latentlab.debug.B.key === 'my_proj' && latentlab.debug.S.drawn.X.length > 0")
    b = page.evaluate("latentlab.debug.M.bases[latentlab.debug.B.j]")
    xs = np.array(page.evaluate("Array.from(latentlab.debug.S.tiles.get(0).A.x)")) / 65535 * b["span"] + b["origin"][0]
    want = s.read("obsm/my_proj")[:, 0]
    assert np.abs(xs - want).max() <= b["span"] / 65535
    decodes = page.evaluate("Array.from(document.querySelectorAll('#ll-dec-choice option'), o => o.textContent)")
    assert decodes == ["decoded (tau0.1_js)", "decoded (tau0.1)"]
    page.mouse.move(*page.point_of(4))
    page.wait_for_function(f"({HOVERED}) === 4")
    settle(page.page)
    first = page.evaluate("document.querySelector('#ll-dec').toDataURL()")
    page.select_option("#ll-dec-choice", index=1)
    assert page.evaluate("latentlab.debug.S.dec") == "dec1"
    settle(page.page)
    assert page.evaluate("document.querySelector('#ll-dec').toDataURL()") != first  # the other decode is drawn
    facts = page.text_content("#ll-facts")
    assert f"leiden{cats[leiden[4]]}" in facts and f"n_strokes{s.read('obs/n_strokes')[4]}" in facts
    page.close_clean()


def test_long_class_names_stay_inside_the_panels(browser, scanpy_store, tmp_path):
    out = write_report(scanpy_store, tmp_path / "long.html")
    page = _open(browser, out)
    side = page.evaluate("document.querySelector('#ll-side').getBoundingClientRect().right")
    rights = page.evaluate("Array.from(document.querySelectorAll('#ll-classes li'), li => "
                           "li.getBoundingClientRect().right)")
    assert max(rights) <= side + 0.5
    long = "the great wall of china seen from far away at dusk"
    row = int(np.flatnonzero(np.array(scanpy_store.label_names()) == long)[0])
    page.evaluate(f"async () => latentlab.debug.pin(await latentlab.debug.locate({row}))")
    page.wait_for_function(f"({PINNED}) === {row}")
    page.wait_for_function("document.querySelectorAll('#ll-strip .cell').length > 0")
    caps = page.evaluate("Array.from(document.querySelectorAll('#ll-strip .cell'), c => [c.title, "
                         "Array.from(c.querySelectorAll('.cap'), e => [e.textContent, e.scrollWidth <= e.clientWidth "
                         "&& e.scrollHeight <= e.clientHeight + 1])])")
    assert caps
    for title, ((row_text, row_fits), (name, _)) in caps:
        assert row_fits and title.startswith(f"row {row_text[1:]}") and name in title  # the whole name on hover
    short = [fits for _, (_, (name, fits)) in caps if len(name) <= 16]
    assert all(short)  # class names up to two short lines show whole
    page.close_clean()


def test_unknown_projections_and_columns_name_what_the_store_has(scanpy_store, tmp_path):
    from latentlab.errors import LatentlabValueError

    with pytest.raises(LatentlabValueError, match=r"no projection 'tsne' in obsm \(have: X_pca, X_umap, my_proj\)"):
        write_report(scanpy_store, tmp_path / "a.html", basis="tsne")
    with pytest.raises(LatentlabValueError, match=r"obs column of the store \(class, .*leiden.*n_strokes.*\), got 'x'"):
        write_report(scanpy_store, tmp_path / "a.html", color_by="x")
    assert not list(tmp_path.iterdir())  # nothing half-written

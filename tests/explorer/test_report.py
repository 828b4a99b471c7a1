"""The explorer report, written from a real store and used in headless Chromium as a person would use it."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from latentlab.errors import LatentlabValueError
from latentlab.io.strokes import to_polylines
from latentlab.explorer.report import write_report
from latentlab.explorer.sketchtable import GRID, quantise
from latentlab.store import LatentStore, encode_to_store
from latentlab import tl
from latentlab.eval import chamfer_matrix, rasterize

from helpers.browser import DOUBLE_CLICK_MS, Page, settle
from helpers.hostile import HOSTILE, hostile_store
from helpers import SHEEP


def _dequantise(table, j: int) -> list[np.ndarray]:
    a, b = table.offsets[j], table.offsets[j + 1]
    xy = np.cumsum(table.steps[a:b].astype(np.int64), axis=0)
    return np.split(xy, np.flatnonzero(table.starts[a:b])[1:])


def test_quantised_strokes_stay_within_half_a_lattice_step(sheep):
    sketches = sheep["test"].sketches[:200]
    table = quantise(sketches + sketches[:50])  # repeats are stored once
    assert len(table.offsets) - 1 == 200 and np.array_equal(table.ids[200:], table.ids[:50])
    for i, sketch in enumerate(sketches):
        lines = to_polylines(sketch)
        pts = np.concatenate(lines)
        lo, span = pts.min(0), (pts.max(0) - pts.min(0)).max()
        got = _dequantise(table, table.ids[i])
        assert len(got) == len(lines)  # the same strokes
        for line, q in zip(lines, got):
            exact = (line - lo) / span * GRID
            # every kept lattice point is within half a step of a point of the stroke, and each point of the
            # stroke is within half a step of a kept lattice point (repeats dropped, nothing else)
            d = np.abs(exact[:, None, :] - q[None, :, :]).max(-1)
            assert d.min(1).max() <= 0.5 + 1e-9 and d.min(0).max() <= 0.5 + 1e-9


def test_quantise_refuses_garbage():
    with pytest.raises(LatentlabValueError, match="NaN or infinite"):
        quantise([np.array([[0, 0, 0], [np.nan, 1, 1]], np.float32)])


def test_report_is_one_small_offline_file_of_strokes(store, report):
    from bokeh.resources import Resources

    page = report.read_text()
    bokeh_js = Resources(mode="inline", components=["bokeh", "bokeh-gl"]).render_js()
    assert page.count("data:image") == bokeh_js.count("data:image")  # strokes, not pictures: only BokehJS's icons
    assert "<script src=" not in page and "<link " not in page  # nothing loaded from elsewhere
    assert len(page) < 2.5e6, len(page)  # BokehJS is 1.5 MB of it
    assert "Content-Security-Policy" in page
    with pytest.raises(LatentlabValueError, match="no decoded group 'tau0.3'.*cached: tau0.1, tau0.1_js"):
        write_report(store, report.with_name("x.html"), decoded="tau0.3")
    with pytest.raises(LatentlabValueError, match="written as .html"):
        write_report(store, report.with_name("x.png"))
    assert not report.with_name("x.html").exists()


def test_every_point_is_kept_unless_a_limit_is_asked_for(store):
    from latentlab.explorer.report import report_data

    meta, arrays = report_data(store)
    assert meta["n_shown"] == len(store) and not meta["sampled"]
    assert meta["decodes"][0]["key"] == "tau0.1_js"  # the newest decode first, and the page names it
    meta, arrays = report_data(store, max_points=300, seed=3)
    assert meta["n_shown"] == 300 and meta["sampled"] and len(np.unique(arrays["row"])) == 300
    inside = arrays["neighbors"][arrays["neighbors"] >= 0]
    assert inside.max() < 300  # neighbours point into the sample, or are -1


# ---- in the browser -----------------------------------------------------------------------------------------

def _canvas_ink(page, selector: str) -> np.ndarray:
    url = page.evaluate(f"document.querySelector('{selector}').toDataURL()")
    img = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",")[1]))).convert("RGBA"))
    return img[..., 3] > 64


def _fit(mask: np.ndarray, size: int = 64) -> np.ndarray:
    """An ink mask cropped to its ink and scaled into a size square the way ``rasterize`` places a sketch."""
    ys, xs = np.nonzero(mask)
    crop = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    scale = (size - 3) / max(crop.shape)
    img = Image.fromarray(crop.astype(np.uint8) * 255).resize(
        (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))), Image.BILINEAR)
    out = np.zeros((size, size), bool)
    arr = np.asarray(img) > 40
    out[1:1 + arr.shape[0], 1:1 + arr.shape[1]] = arr
    return out


def test_hover_draws_that_sketch_in_the_inspector(browser, store, report, tmp_path):
    page = Page(browser, report)
    # the decodes' settings, as tl.decode recorded them (the seed under scanpy's name, random_state)
    assert "decoded: tau0.1_js (temperature 0.1, softmax temperature 0.55, seed 0, from mu)" in \
        page.text_content("#ll-subtitle")
    rng = np.random.default_rng(0)
    sketches = store.sketches()
    for row in rng.choice(len(store), 6, replace=False).tolist():
        page.mouse.move(*page.point(row))
        page.wait_for_function(f"latentlab.debug.inspected === {row}")
        shown = _fit(_canvas_ink(page, "#ll-orig"))
        own, other = chamfer_matrix([shown], [rasterize(sketches[row]), rasterize(sketches[(row + 1) % len(store)])])[0]
        assert own < 1.5 and own < other / 2, (row, own, other)
        facts = page.text_content("#ll-facts")
        assert f"row{row}" in facts and store.label_names()[row] in facts and "Lr" in facts
    page.screenshot(path=str(tmp_path / "hover.png"))
    page.close_clean()


def test_box_selection_fills_the_grid_with_those_rows(browser, store, report):
    page = Page(browser, report)
    x0, y0, x1, y1 = page.box_select((0.3, 0.3), (0.6, 0.55))
    page.wait_for_function("latentlab.debug.selectionRows && latentlab.debug.selectionRows.length > 0")
    pts = page.evaluate(f"Array.from({{length: {len(store)}}}, (_, i) => latentlab.debug.pagePoint(i))")
    inside = {i for i, p in enumerate(pts) if x0 + 1 < p["x"] < x1 - 1 and y0 + 1 < p["y"] < y1 - 1}
    near_edge = {i for i, p in enumerate(pts) if x0 - 1 <= p["x"] <= x1 + 1 and y0 - 1 <= p["y"] <= y1 + 1}
    selected = set(page.evaluate("latentlab.debug.selectionRows"))
    assert inside <= selected <= near_edge and len(selected) > 5
    grid = page.evaluate("Array.from(document.querySelectorAll('#ll-grid canvas'), c => +c.dataset.row)")
    assert grid == sorted(selected)[:48]
    page.close_clean()


def test_click_shows_the_stored_neighbours(browser, store, report):
    page = Page(browser, report)
    stored = store.read("uns/knn/indices")
    for row in (5, 400):
        page.wait_for_timeout(DOUBLE_CLICK_MS)  # not a double click with the click before
        page.mouse.click(*page.point(row))
        page.wait_for_function(f"latentlab.debug.pinned === {row}")
        strip = page.evaluate("Array.from(document.querySelectorAll('#ll-strip canvas'), c => +c.dataset.row)")
        assert strip == stored[row].tolist()
        assert page.evaluate("Bokeh.documents[0].get_model_by_name('ll-edges').data.x0.length") == len(strip)
        corner = page.evaluate("document.querySelector('#ll-overlay').getBoundingClientRect().toJSON()")
        page.wait_for_timeout(DOUBLE_CLICK_MS)  # not a double click
        page.mouse.click(corner["left"] + 3, corner["top"] + 3)  # away from every point: releases the pin
        page.wait_for_function("latentlab.debug.pinned === -1")
    page.close_clean()


def test_typing_a_class_filters_the_points(browser, store, report, tmp_path):
    page = Page(browser, report)
    page.fill("#ll-search", "cat")
    settle(page.page)
    names = store.label_names()
    expected = [("cat" in name.lower()) for name in names]
    visible = page.evaluate("Array.from(latentlab.debug.state.visible)")
    assert visible == [int(e) for e in expected] and 0 < sum(visible) < len(names) / 10
    listed = page.evaluate("Array.from(document.querySelectorAll('#ll-classes .name'), e => e.textContent)")
    assert listed and all("cat" in x for x in listed) and "cat" in listed
    alpha = page.evaluate("Array.from(Bokeh.documents[0].get_model_by_name('ll-points').data.a)")
    assert all((a > 0.5) == bool(e) for a, e in zip(alpha, expected))
    page.screenshot(path=str(tmp_path / "search.png"))
    page.close_clean()


def test_strings_from_the_data_run_nothing(browser, store, tmp_path):
    hostile = hostile_store(store, tmp_path / "hostile.h5")
    out = write_report(hostile, tmp_path / "hostile.html", title=HOSTILE[0])
    page = Page(browser, out)
    page.fill("#ll-search", "script")
    settle(page.page)
    assert page.evaluate("window.__pwned") is None
    assert HOSTILE[1] in page.text_content("#ll-classes") and HOSTILE[0] == page.text_content("#ll-title")
    assert HOSTILE[1] in page.text_content("#ll-prov-table")
    assert page.title() == HOSTILE[0]
    page.close_clean()


def test_a_sampled_store_says_so(browser, store, tmp_path):
    out = write_report(store, tmp_path / "sampled.html", max_points=200, basis="pca", color_by="Lr")
    page = Page(browser, out)
    banner = page.text_content("#ll-banner")
    assert f"holds {len(store):,} sketches" in banner and "random sample of 200 (seed 0)" in banner
    assert page.text_content("#ll-title").endswith(f"PCA of 200 of {len(store):,} latent vectors (random sample)")
    assert page.evaluate("latentlab.debug.state.visible.length") == 200
    page.select_option("#ll-basis", "X_umap")  # both projections travel with the page
    x = store.read("obsm/X_umap")[:, 0]
    assert page.evaluate("Bokeh.documents[0].get_model_by_name('ll-points').data.x[0]") == pytest.approx(
        float(x[page.evaluate("latentlab.debug.arrays.row[0]")]), abs=float(np.ptp(x)) / 65535)  # uint16 in the page
    page.close_clean()


def test_sheep_report_without_classes(browser, sheep_model, tmp_path):
    """A one-class store: coloured by length with a colour bar, no '(no label)', decodes off."""
    s = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path / "sheep.h5", progress=False))
    tl.pca(s, n_components=5)
    out = write_report(s, tmp_path / "sheep.html", basis="pca")
    page = Page(browser, out)
    assert page.evaluate("latentlab.debug.state.colorBy") == "length"
    assert page.evaluate("Bokeh.documents[0].get_model_by_name('ll-colorbar').visible")
    page.mouse.move(*page.point(3))
    page.wait_for_function("latentlab.debug.inspected === 3")
    assert "no label" not in page.text_content("body") and page.is_hidden("#ll-dec-fig")
    page.close_clean()


def test_a_projection_under_a_key_of_its_own_shows_its_parameters(store, tmp_path):
    """``key_added="X_foo"`` keeps its parameters at ``uns/X_foo``: the page's provenance shows them."""
    import json
    import shutil

    from latentlab import tl
    from latentlab.explorer.pagedata import report_data
    from latentlab.store import LatentStore

    copy = LatentStore(shutil.copy(store.path, tmp_path / "copy.h5"))
    tl.pca(copy, n_components=3, key_added="X_foo")
    meta, _ = report_data(copy, basis="X_foo")
    rows = dict(meta["provenance"])
    assert json.loads(rows["obsm/X_foo"])["n_components"] == 3 and json.loads(rows["obsm/X_umap"])["n_neighbors"]
    assert meta["basis_labels"][:1] == ["X_foo"] and "UMAP" in meta["basis_labels"]
    assert meta["title"].startswith(f"{copy.path.name}: X_foo of ")

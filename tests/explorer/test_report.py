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

from helpers.browser import DOUBLE_CLICK_MS, settle
from helpers.hostile import HOSTILE, hostile_store
from helpers import SHEEP
from helpers.tiled import HOVERED, PINNED, TiledPage, page_files, page_meta


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
    page = report.read_text()
    assert "data:image" not in page  # strokes, not pictures
    assert "<script src=" not in page and "<link " not in page  # nothing loaded from elsewhere
    assert len(page) < 1e6, len(page)
    assert "Content-Security-Policy" in page
    with pytest.raises(LatentlabValueError, match="no decoded group 'tau0.3'.*cached: tau0.1, tau0.1_js"):
        write_report(store, report.with_name("x.html"), decoded="tau0.3")
    with pytest.raises(LatentlabValueError, match="written as .html"):
        write_report(store, report.with_name("x.png"))
    assert not report.with_name("x.html").exists()


def test_every_point_is_kept_unless_a_limit_is_asked_for(store, report, tmp_path):
    meta, files = page_meta(report), page_files(report)
    rows = np.cumsum(files["tiles/0/0-0.bin"]["row"])  # rows travel as steps
    assert rows.tolist() == list(range(len(store))) and meta["sample"] is None
    assert [b["tiles"] for b in meta["bases"]] == [["0/0-0"], ["0/0-0"]]  # one tile a projection
    assert set(files["tiles_X_pca/0/0-0.bin"]) == {"row", "x", "y"}  # the sketches travel once
    assert meta["decodes"][0]["key"] == "tau0.1_js"  # the newest decode first, and the page names it
    sampled = write_report(store, tmp_path / "s.html", max_points=300, seed=3)
    meta, files = page_meta(sampled), page_files(sampled)
    rows = np.cumsum(files["tiles/0/0-0.bin"]["row"])
    assert meta["sample"] == {"rows": 300, "seed": 3} and len(np.unique(rows)) == 300 == len(rows)
    assert sum(meta["columns"][0]["counts"]) <= 300  # the class list counts the page's rows
    knn = files["rows/0.bin"]["neighbors"].reshape(len(store), -1)
    assert knn[rows].tolist() == store.read("uns/knn/indices")[rows].tolist()  # the page's rows keep theirs
    assert not knn[np.setdiff1d(np.arange(len(store)), rows)].any()  # the others carry none


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


def _open(browser, path, **kw) -> TiledPage:
    return TiledPage(browser, path.as_uri(), **kw)


def test_hover_draws_that_sketch_in_the_inspector(browser, store, report, tmp_path):
    page = _open(browser, report)
    rng = np.random.default_rng(0)
    sketches = store.sketches()
    for row in rng.choice(len(store), 6, replace=False).tolist():
        page.mouse.move(*page.point_of(row))
        page.wait_for_function(f"({HOVERED}) === {row}")
        settle(page.page)
        shown = _fit(_canvas_ink(page, "#ll-orig"))
        own, other = chamfer_matrix([shown], [rasterize(sketches[row]), rasterize(sketches[(row + 1) % len(store)])])[0]
        assert own < 1.5 and own < other / 2, (row, own, other)
        facts = page.text_content("#ll-facts")
        assert f"row{row}" in facts and store.label_names()[row] in facts and "Lr" in facts
    # the decodes' settings, as tl.decode recorded them (the seed under scanpy's name, random_state)
    assert "tau0.1_js: temperature 0.1, softmax temperature 0.55, seed 0, from mu" in page.get_attribute(
        "#ll-dec-choice", "title")
    page.screenshot(path=str(tmp_path / "hover.png"))
    page.close_clean()


def test_a_click_pins_and_a_click_away_lets_go(browser, store, report):
    page = _open(browser, report)
    stored = store.read("uns/knn/indices")
    for row in (5, 400):
        page.wait_for_timeout(DOUBLE_CLICK_MS)  # not a double click with the click before
        page.mouse.click(*page.point_of(row))
        page.wait_for_function(f"({PINNED}) === {row}")
        page.wait_for_function(f"document.querySelectorAll('#ll-strip canvas').length === {stored.shape[1]}")
        strip = page.evaluate("Array.from(document.querySelectorAll('#ll-strip canvas'), c => +c.dataset.row)")
        assert strip == stored[row].tolist()
        page.wait_for_timeout(DOUBLE_CLICK_MS)
        page.mouse.click(page.box["x"] + 3, page.box["y"] + 3)  # away from every point: releases the pin
        page.wait_for_function(f"({PINNED}) === null")
    page.close_clean()


def test_typing_finds_classes_and_a_click_shows_one_alone(browser, store, report):
    page = _open(browser, report)
    page.fill("#ll-search", "cat")
    listed = page.evaluate("Array.from(document.querySelectorAll('#ll-classes .name'), e => e.textContent)")
    assert listed and all("cat" in x for x in listed) and "cat" in listed
    page.click("#ll-classes li:has(.name:text-is('cat'))")
    settle(page.page)
    names = store.label_names()
    shown = page.evaluate("""(() => { const S = latentlab.debug.S, d = S.drawn;
        return Array.from(d.T, (t, j) => S.tiles.get(t).A.row[d.K[j]]); })()""")
    assert sorted(shown) == [r for r, name in enumerate(names) if name == "cat"]
    page.close_clean()


def test_strings_from_the_data_run_nothing(browser, store, tmp_path):
    hostile = hostile_store(store, tmp_path / "hostile.h5")
    out = write_report(hostile, tmp_path / "hostile.html", title=HOSTILE[0])
    page = _open(browser, out)
    page.fill("#ll-search", "script")
    settle(page.page)
    assert page.evaluate("window.__pwned") is None
    assert HOSTILE[1] in page.text_content("#ll-classes") and HOSTILE[0] == page.text_content("#ll-title")
    assert HOSTILE[1] in page.text_content("#ll-prov-table")
    assert page.title() == HOSTILE[0]
    page.close_clean()


def test_a_sampled_store_says_so(browser, store, tmp_path):
    out = write_report(store, tmp_path / "sampled.html", max_points=200, basis="pca", color_by="Lr")
    page = _open(browser, out)
    banner = page.text_content("#ll-banner")
    assert f"holds {len(store):,} sketches" in banner and "random sample of 200 (seed 0)" in banner
    assert page.text_content("#ll-subtitle").startswith(f"200 of {len(store):,} rows (a sample)")
    assert page.evaluate("latentlab.debug.S.drawn.X.length") == 200
    page.select_option("#ll-basis", "1")  # every projection travels with the page
    page.wait_for_function("latentlab.debug.B.key === 'X_umap' && latentlab.debug.S.drawn.X.length === 200")
    xy = store.read("obsm/X_umap")[:, :2]
    got = page.evaluate("""(() => { const A = latentlab.debug.S.tiles.get(0).A;
        return [A.row[0], A.x[0] / 65535, A.y[0] / 65535]; })()""")
    b = page.evaluate("latentlab.debug.M.bases[1]")
    assert np.allclose(np.array(b["origin"]) + np.array(got[1:]) * b["span"], xy[got[0]], atol=b["span"] / 65535)
    page.close_clean()


def test_sheep_report_without_classes(browser, sheep_model, tmp_path):
    """A one-class store: coloured by length with a colour bar, no '(no label)', no decode."""
    s = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path / "sheep.h5", progress=False))
    tl.pca(s, n_components=5)
    out = write_report(s, tmp_path / "sheep.html", basis="pca")
    page = _open(browser, out)
    assert page.input_value("#ll-color") == "length"
    assert page.is_visible("#ll-colorbar")
    page.mouse.move(*page.point_of(3))
    page.wait_for_function(f"({HOVERED}) === 3")
    assert "no label" not in page.text_content("body") and "no decode stored" in page.text_content("#ll-inspector")
    page.close_clean()


def test_a_projection_under_a_key_of_its_own_shows_its_parameters(store, tmp_path):
    """``key_added="X_foo"`` keeps its parameters at ``uns/X_foo``: the page's provenance shows them."""
    import json
    import shutil

    copy = LatentStore(shutil.copy(store.path, tmp_path / "copy.h5"))
    tl.pca(copy, n_components=3, key_added="X_foo")
    meta = page_meta(write_report(copy, tmp_path / "foo.html", basis="X_foo"))
    rows = dict(meta["provenance"])
    assert json.loads(rows["obsm/X_foo"])["n_components"] == 3 and json.loads(rows["obsm/X_umap"])["n_neighbors"]
    labels = [b["label"] for b in meta["bases"]]
    assert labels[0] == "X_foo" and "UMAP" in labels
    assert meta["title"].startswith(f"{copy.path.name}: X_foo, ")

"""Sketches as bokeh figures (pl.grid, pl.strip): each sketch's strokes fitted into its own cell, its caption
under it and on hover; drawn by bokeh in the browser."""
from __future__ import annotations

import numpy as np
import pytest

from latentlab.errors import LatentlabValueError
from latentlab.io.strokes import to_polylines
from latentlab.pl import grid, strip

from helpers.browser import settle


def _data(fig, kind: str) -> dict:
    renderer = next(r for r in fig.renderers if type(r.glyph).__name__ == kind)
    return renderer.data_source.data


def test_a_grid_puts_every_stroke_of_each_sketch_in_its_own_cell(analysed_store):
    sketches = analysed_store.sketches(list(range(10)))
    fig = grid(sketches, captions=[f"row {k}" for k in range(10)], ncols=4)
    lines = _data(fig, "MultiLine")
    assert len(lines["xs"]) == sum(len(to_polylines(s)) for s in sketches)
    row_h = 1 + 18 / 110  # a unit cell, then the caption
    for k, sketch in enumerate(sketches):  # the strokes of sketch k, in cell (k % 4, k // 4), shape kept
        mine = [j for j, c in enumerate(lines["caption"]) if c == f"row {k}"]
        xs = np.concatenate([lines["xs"][j] for j in mine])
        ys = np.concatenate([lines["ys"][j] for j in mine])
        assert k % 4 < xs.min() and xs.max() < k % 4 + 1
        assert -(k // 4) * row_h - 1 < ys.min() and ys.max() < -(k // 4) * row_h
        points = np.concatenate(to_polylines(sketch))
        span = np.ptp(points, axis=0)
        assert np.ptp(xs) / np.ptp(ys) == pytest.approx(span[0] / span[1], rel=1e-5)
    assert _data(fig, "Text")["caption"] == [f"row {k}" for k in range(10)]
    assert fig.width == 4 * 110


def test_a_strip_is_one_row_and_bad_input_is_refused(analysed_store):
    sketches = analysed_store.sketches([0, 1, 2])
    fig = strip(sketches, captions=["0.00", "0.50", "1.00"])
    assert fig.width == 3 * 110 and set(_data(fig, "Text")["y"]) == {-1}  # one row: captions under its cells
    with pytest.raises(LatentlabValueError, match="2 captions for 3 sketches"):
        strip(sketches, captions=["a", "b"])
    with pytest.raises(LatentlabValueError, match="no sketches"):
        grid([])


def test_the_grid_is_drawn_in_the_browser(browser, analysed_store, tmp_path):
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    names = analysed_store.label_names()
    fig = grid(analysed_store.sketches(list(range(12))), captions=[names[k] for k in range(12)], ncols=6,
               title="the first 12 sketches")
    (tmp_path / "grid.html").write_text(file_html(fig, INLINE, "grid"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 800, "height": 400})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "grid.html").as_uri())
    page.wait_for_function("window.Bokeh && Bokeh.documents.length && Bokeh.documents[0].roots().length")
    settle(page, 10)
    canvas = page.locator("canvas").first
    png = canvas.screenshot(path=str(tmp_path / "grid.png"))
    from io import BytesIO

    from PIL import Image

    ink = np.asarray(Image.open(BytesIO(png)).convert("L")) < 128
    h, w = ink.shape
    cells = [ink[:, int(w * c / 6):int(w * (c + 1) / 6)].any() for c in range(6)]
    assert all(cells)  # every column of the grid has strokes drawn
    assert not errors
    page.close()

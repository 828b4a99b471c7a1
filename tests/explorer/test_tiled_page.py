"""The tiled explorer in Chromium, served from 127.0.0.1 by ``latentlab.explorer.serve``: tiles load as the view zooms,
and hover, click, neighbours, selection, class search and colour work on rows from any tile."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.hostile import HOSTILE, hostile_store
from helpers.browser import settle
from helpers.tiled import TiledPage, served
from latentlab.explorer.pagedata import NEIGHBORS_KEY
from latentlab.explorer.tiled import write_tiled
from latentlab.explorer.tiles import plan_tiles

HI = '#ll-ranges .range[data-column="length"] input >> nth=1'  # the length range's upper slider


@pytest.fixture(scope="module")
def tiled(store, tmp_path_factory):
    return write_tiled(store, tmp_path_factory.mktemp("tiled") / "ex", basis=["umap", "pca"], capacity=48,
                       block_rows=150)


@pytest.fixture(scope="module")
def server(tiled):
    with served(tiled.parent) as url:
        yield url


def test_zooming_loads_deeper_tiles_and_no_request_leaves_loopback(browser, server, tiled, tmp_path):
    page = TiledPage(browser, server + "ex/index.html")
    first = [u for u in page.requests if "/tiles/" in u]
    assert first and page.evaluate("latentlab.debug.level()") == 1
    x, y, _ = page.drawn(0)
    page.mouse.move(x, y)
    for _ in range(8):
        page.mouse.wheel(0, -300)
        settle(page.page, 1)
    page.idle()
    later = [u for u in page.requests if "/tiles/" in u]
    assert page.evaluate("latentlab.debug.level()") >= 3 and len(later) > len(first)
    assert any(u.split("/tiles/")[1].startswith(("3/", "4/", "5/")) for u in later)
    assert page.evaluate("latentlab.debug.S.drawn.X.length") > 0
    page.screenshot(path=str(tmp_path / "zoomed.png"))
    assert not page.errors, page.errors
    assert all(u.startswith(server) for u in page.requests), page.requests


def test_hover_and_click_show_the_row_and_its_stored_neighbours_from_any_tile(browser, server, store):
    page = TiledPage(browser, server + "ex/index.html")
    x, y, row = page.drawn(5)
    page.mouse.move(x, y)
    page.wait_for_function("(r) => document.querySelector('#ll-facts td + td')?.textContent === r", arg=str(row))
    facts = dict(page.evaluate("Array.from(document.querySelectorAll('#ll-facts tr'), "
                               "r => Array.from(r.cells, c => c.textContent))"))
    assert facts["row"] == str(row) and facts["class"] == store.label_names()[row]
    page.mouse.click(x, y)
    page.wait_for_function("document.querySelectorAll('#ll-strip .cell').length > 0")
    knn = store.read(f"uns/{NEIGHBORS_KEY}/indices")[row]
    shown = page.evaluate("latentlab.debug.S.neighbors.map(p => p.tile.A.row[p.k])")
    assert shown == knn.tolist()
    tiles = page.evaluate("latentlab.debug.S.neighbors.map(p => p.tile.i)")
    assert len(set(tiles)) > 1  # neighbours came from several tiles, loaded on demand
    captions = page.evaluate("Array.from(document.querySelectorAll('#ll-strip .cell'), "
                             "c => Array.from(c.querySelectorAll('.cap'), e => e.textContent))")
    assert captions == [[f"#{r}", store.label_names()[r]] for r in knn]  # row numbers and classes
    assert not page.errors, page.errors


def test_switching_projection_keeps_the_pinned_row_and_draws_the_other_quadtree(browser, server, store):
    page = TiledPage(browser, server + "ex/index.html")
    assert page.evaluate("latentlab.debug.B.key") == "X_umap"
    x, y, row = page.drawn(5)
    page.mouse.click(x, y)
    page.wait_for_function("document.querySelectorAll('#ll-strip .cell').length > 0")
    page.select_option("#ll-basis", "1")
    page.wait_for_function("latentlab.debug.B.key === 'X_pca' && latentlab.debug.S.pin && "
                           "latentlab.debug.S.neighbors.length > 0")
    pinned = page.evaluate("(() => { const p = latentlab.debug.S.pin; return [p.tile.A.row[p.k], p.tile.A.x[p.k], "
                           "p.tile.A.y[p.k]]; })()")
    plan = plan_tiles(store, "pca", capacity=48, block_rows=150)
    assert pinned == [row, *plan["xy"][row].tolist()]  # the same row, where PCA puts it
    knn = store.read(f"uns/{NEIGHBORS_KEY}/indices")[row]
    assert page.evaluate("latentlab.debug.S.neighbors.map(p => p.tile.A.row[p.k])") == knn.tolist()
    x, y, other = page.drawn(7)
    page.mouse.move(x, y)
    page.wait_for_function("(r) => document.querySelector('#ll-facts td + td')?.textContent === r", arg=str(other))
    assert page.evaluate("document.querySelector('#ll-facts td + td').textContent") == str(other)
    assert plan["tile_of_row"][other] == page.evaluate("latentlab.debug.S.drawn.T[7]")
    assert any("/ex/tiles_X_pca/" in u for u in page.requests) and not page.errors, page.errors


def test_the_inspector_shows_the_decode_chosen(browser, server, store):
    page = TiledPage(browser, server + "ex/index.html")
    assert page.evaluate("Array.from(document.querySelector('#ll-dec-choice').options, o => o.value)") == [
        "dec0", "dec1"]  # the store's two decodes
    x, y, _ = page.drawn(5)
    page.mouse.click(x, y)
    # whether the inspector shows decode `which`: painting it again over the canvas changes no pixel
    painted = """(which) => { const S = latentlab.debug.S, c = document.querySelector("#ll-dec"), shown = c.toDataURL();
        latentlab.debug.paintCanvas(c, S.pin.tile.A, which, S.pin.k);
        const same = c.toDataURL() === shown;
        latentlab.debug.paintCanvas(c, S.pin.tile.A, S.dec, S.pin.k);
        return same; }"""
    assert page.evaluate(painted, "dec0") and not page.evaluate(painted, "dec1")
    page.select_option("#ll-dec-choice", "dec1")
    assert page.evaluate(painted, "dec1") and not page.evaluate(painted, "dec0")
    assert not page.errors, page.errors


def test_box_selection_class_search_and_colour(browser, server, tmp_path):
    page = TiledPage(browser, server + "ex/index.html")
    b = page.box
    page.keyboard.down("Shift")
    page.mouse.move(b["x"] + b["width"] * 0.2, b["y"] + b["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] * 0.8, b["y"] + b["height"] * 0.8, steps=6)
    page.mouse.up()
    page.keyboard.up("Shift")
    cells = page.evaluate("document.querySelectorAll('#ll-grid .cell').length")
    selected = page.evaluate("latentlab.debug.S.selection.length")
    assert 0 < cells <= 60 and selected >= cells and "selection at this zoom" in page.text_content("#ll-sel-note")
    page.screenshot(path=str(tmp_path / "selection.png"))
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelectorAll('#ll-grid .cell').length") == 0
    page.fill("#ll-search", "ca")
    names = page.evaluate("Array.from(document.querySelectorAll('#ll-classes .name'), e => e.textContent)")
    assert names and all("ca" in n.lower() for n in names)
    page.fill("#ll-search", "")
    before = page.evaluate("latentlab.debug.S.drawn.X.length")
    top = page.evaluate("document.querySelector('#ll-classes .count').textContent")
    page.click("#ll-classes li", modifiers=["Control"])  # the largest class: hidden on the map
    assert page.evaluate("latentlab.debug.S.drawn.X.length") < before and int(top.replace(",", "")) > 0
    page.select_option("#ll-color", "length")
    assert page.text_content("#ll-classes-title") == "Classes"  # the classes stay listed beside the ranges
    shown = page.evaluate("latentlab.debug.S.drawn.X.length")
    page.fill(HI, "300")  # the lower 30% of the lengths' range
    lengths, labels = page.evaluate("""(() => { const d = latentlab.debug.S.drawn, S = latentlab.debug.S;
        const A = (t) => S.tiles.get(t).A, label = latentlab.debug.M.columns[0].array;
        return [Array.from(d.T, (t, j) => A(t).length[d.K[j]]), Array.from(d.T, (t, j) => A(t)[label][d.K[j]])];
        })()""")
    lo, hi = page.evaluate("latentlab.debug.S.filters.length")
    hidden = page.evaluate("[...latentlab.debug.S.filters.class]")
    assert 0 < len(lengths) < shown and all(lo <= v <= hi for v in lengths)
    assert len(hidden) == 1 and hidden[0] not in labels  # the class filter holds beside the range
    assert page.evaluate("document.querySelectorAll('#ll-filter-list .filter').length") == 2
    assert "rows" in page.text_content('#ll-ranges .range[data-column="length"] .note')  # about how many pass
    assert not page.errors, page.errors


def test_a_lasso_selects_the_points_inside_it(browser, server):
    page = TiledPage(browser, server + "ex/index.html")
    page.select_option("#ll-drag", "lasso")
    b = page.box
    cx, cy, r = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, min(b["width"], b["height"]) * 0.3
    ring = [(cx + r * np.cos(t), cy + r * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 24)]
    page.mouse.move(*ring[0])
    page.mouse.down()
    for x, y in ring[1:]:
        page.mouse.move(x, y)
    page.mouse.up()
    picked = page.evaluate("latentlab.debug.S.selection.map(p => latentlab.debug.screenOf(p))")
    assert picked and all(np.hypot(x + b["x"] - cx, y + b["y"] - cy) <= r + 1 for x, y in picked)
    drawn = page.evaluate("Array.from(latentlab.debug.S.drawn.X, (x, j) => [x, latentlab.debug.S.drawn.Y[j]])")
    inside = sum(np.hypot(x + b["x"] - cx, y + b["y"] - cy) < r * np.cos(np.pi / 23) - 1 for x, y in drawn)
    assert len(picked) >= inside  # every point well inside the polygon is selected
    assert page.evaluate("latentlab.debug.S.cx") == 0.5  # a lasso drag does not pan
    assert not page.errors, page.errors


def test_strings_from_the_data_run_nothing(browser, store, tmp_path):
    out = write_tiled(hostile_store(store, tmp_path / "hostile.h5"), tmp_path / "ex", title=HOSTILE[0], capacity=48)
    with served(tmp_path) as base:
        page = TiledPage(browser, f"{base}{out.name}/index.html")
        page.fill("#ll-search", "script")
        settle(page.page)
        assert page.evaluate("window.__pwned") is None
        assert HOSTILE[1] in page.text_content("#ll-classes") and page.text_content("#ll-title") == HOSTILE[0]
        assert page.title() == HOSTILE[0] and not page.errors


def test_opened_from_a_file_the_page_says_to_serve_it(browser, tiled):
    page = TiledPage(browser, (tiled / "index.html").as_uri(), ready="0")
    banner = page.text_content("#ll-banner")
    assert "latentlab serve" in banner and page.is_visible("#ll-banner")

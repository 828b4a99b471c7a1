"""The single file and the tiled folder: one explorer page, its files inlined in the one (opened from disk) and
fetched from a server by the other. The same checks run against both (parametrised), from one store: the layout on
a laptop's and a desktop's screen, selections and what leaves the page."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from latentlab.explorer.report import write_report
from latentlab.explorer.tiled import write_tiled

from helpers.browser import box_select, replay, settle, show_tab
from helpers.tiled import TiledPage, served

# every control of the page at `el`'s place: inputs, lists, buttons and canvases that are shown (in the tab shown)
CONTROLS = """() => [...document.querySelectorAll('#ll-side *, #ll-mapbox canvas, #ll-right *')]
  .filter((e) => e.matches('input, select, button, canvas, textarea, #ll-classes li') && e.checkVisibility())
  .map((e) => { e.scrollIntoView({block: 'nearest', inline: 'nearest'});
                const r = e.getBoundingClientRect();
                return [e.id || e.tagName + '.' + (e.textContent || '').trim().slice(0, 20), r.left, r.top, r.right,
                        r.bottom]; })"""
TABS = "[...document.querySelectorAll('#ll-tabs button')].filter((b) => !b.hidden).map((b) => b.dataset.tab)"


@pytest.fixture(scope="module")
def pages(store, mini_model, tmp_path_factory):
    """Both pages of `store`, with its model (quickdraw_mini) in the page: the single file, and the tiled
    folder's address on a loopback server."""
    out = tmp_path_factory.mktemp("both")
    single = write_report(store, out / "r.html", model=mini_model)
    folder = write_tiled(store, out / "ex", capacity=256, model=mini_model)
    with served(folder) as url:
        yield {"single": single, "tiled": url + "index.html"}


@pytest.fixture(params=["single", "tiled"])
def open_page(request, browser, pages):
    """A function that opens the page under test at a viewport size."""
    opened = []

    def opener(viewport=(1280, 800), url=None, sketches_on_map=False):
        first = pages["single"].as_uri() if request.param == "single" else pages["tiled"]
        page = TiledPage(browser, url or first, sketches_on_map=sketches_on_map, viewport=viewport)
        page.kind = request.param
        opened.append(page)
        return page

    yield opener
    for page in opened:
        assert not page.errors, page.errors
        page.close()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_every_control_is_in_view_without_scrolling_the_page(open_page, size):
    page = open_page(size)
    tabs = page.evaluate(TABS)
    assert tabs == ["neighbours", "selection", "draw", "interp", "about"]  # no audit in this store: no issues
    for tab in tabs:
        page.click(f'#ll-tabs button[data-tab="{tab}"]')
        controls = page.evaluate(CONTROLS)
        assert len(controls) > 10, (tab, controls)
        off = [c for c in controls if c[1] < 0 or c[2] < 0 or c[3] > size[0] + 0.5 or c[4] > size[1] + 0.5]
        assert not off, (tab, off)
        assert page.evaluate("[window.scrollY, document.scrollingElement.scrollHeight]") == [0, size[1]], tab
    classes = page.evaluate("document.querySelectorAll('#ll-classes li').length")
    shown = page.evaluate("""[...document.querySelectorAll('#ll-classes li')].filter((li) => {
        const r = li.getBoundingClientRect(), box = li.parentElement.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom; }).length""")
    assert shown >= min(classes, 10), (shown, classes)  # a list of classes, not four of them


SELECTED = "latentlab.debug.S.selection.map(p => p.tile.A.row[p.k])"
PINNED = "latentlab.debug.S.pin && latentlab.debug.S.pin.tile.A.row[latentlab.debug.S.pin.k]"


def _pin_one(page) -> int:
    """Click a point on the map; the row pinned."""
    x, y, _ = page.drawn(0)
    page.mouse.click(x, y)
    page.wait_for_function(f"({PINNED}) !== null")
    return page.evaluate(PINNED)


def _download(page, button: str, path):
    with page.expect_download() as info:
        page.click(button)
    info.value.save_as(path)
    return path


def test_a_selection_shows_in_its_tab_and_leaves_the_page_as_rows_csv_and_sketches(open_page, store, tmp_path):
    page = open_page()
    box_select(page.page, page.mouse, (0.15, 0.15), (0.85, 0.85))
    page.wait_for_function(f"({SELECTED}).length > 0")
    assert page.get_attribute('#ll-tabs button[data-tab="selection"]', "aria-selected") == "true"
    rows = page.evaluate(SELECTED)
    tops = page.evaluate("[...document.querySelectorAll('#ll-grid .cell')].map((c) => c.getBoundingClientRect().top)")
    assert len(set(tops)) > 1 and page.evaluate("document.querySelector('#ll-grid .cell').getBoundingClientRect()"
                                                ".bottom") <= 800  # the grid wraps, in view
    ids = _download(page, "#ll-export-ids", tmp_path / "rows.txt").read_text().split()
    assert [int(r) for r in ids] == rows
    with open(_download(page, "#ll-export-csv", tmp_path / "rows.csv"), newline="") as f:
        table = list(csv.DictReader(f))
    classes, lengths = store.class_names, store.read("obs/length")
    assert [int(r["row"]) for r in table] == rows
    assert [r["class"] for r in table] == [classes[c] for c in store.read("obs/label")[rows]]
    assert [float(r["length"]) for r in table] == lengths[rows].tolist()
    npz = np.load(_download(page, "#ll-export-npz", tmp_path / "sketches.npz"))
    assert npz["rows"].tolist() == rows and npz["strokes"].dtype == np.int16
    offsets, strokes = npz["offsets"], npz["strokes"]
    assert offsets[0] == 0 and offsets[-1] == len(strokes) and len(offsets) == len(rows) + 1
    sketches = store.sketches(rows)
    same = [int(strokes[offsets[j]:offsets[j + 1], 2].sum()) == int(sketches[j][:, 2].sum()) for j in range(len(rows))]
    assert all(strokes[offsets[j + 1] - 1, 2] == 1 for j in range(len(rows)))  # each sketch ends a stroke
    assert np.mean(same) > 0.9, np.mean(same)  # stroke for stroke (the page's lattice can merge a tiny one)
    page.click("#ll-sel-clear")
    page.wait_for_function(f"({SELECTED}).length === 0")
    assert page.is_disabled("#ll-export-csv")


def test_a_copied_link_opens_the_same_view(open_page):
    page = open_page()
    page.select_option("#ll-color", "length")
    row = _pin_one(page)
    box_select(page.page, page.mouse, (0.3, 0.3), (0.7, 0.7))
    page.wait_for_function(f"({SELECTED}).length > 0")
    page.click('#ll-tabs button[data-tab="about"]')
    page.wait_for_function("location.hash.includes('tab=about')")
    selected = page.evaluate(SELECTED)
    again = open_page(url=page.url)
    again.wait_for_function(f"({SELECTED}).length === {len(selected)}")
    assert again.evaluate(SELECTED) == selected
    assert again.evaluate(PINNED) == row
    assert again.input_value("#ll-color") == "length"
    assert again.get_attribute('#ll-tabs button[data-tab="about"]', "aria-selected") == "true"


# ---- what each page shows
INTERP = "latentlab.debug.S.interpStrip"
EDGES = "latentlab.debug.S.edges"
COLORBAR = "!document.querySelector('#ll-colorbar').hidden"
DRAWN_NEAREST = "latentlab.debug.S.drawing ? latentlab.debug.S.neighbors.map(p => p.tile.A.row[p.k]) : []"
# the rows on the map now (those that pass the filters) and their class and length
ROWS_SHOWN = """(() => { const S = latentlab.debug.S, d = S.drawn, label = latentlab.debug.M.columns[0].array;
  return Array.from(d.T, (t, j) => { const A = S.tiles.get(t).A, k = d.K[j];
                                     return [A.row[k], A[label][k], A.length[k]]; }); })()"""


def _fact(page, name: str) -> str | None:
    return dict(page.evaluate("Array.from(document.querySelectorAll('#ll-facts tr'), "
                              "r => Array.from(r.cells, c => c.textContent))")).get(name)


def test_hover_inspects_and_a_click_pins_with_edges_to_the_neighbours(open_page, store):
    page = open_page()
    x, y, row = page.drawn(5)
    page.mouse.move(x, y)
    page.wait_for_function("(r) => document.querySelector('#ll-facts td + td')?.textContent === r", arg=str(row))
    assert _fact(page, "class") == store.label_names()[row]
    page.mouse.click(x, y)
    page.wait_for_function(f"({PINNED}) === {row}")
    knn = store.read("uns/knn/indices")[row].tolist()
    page.wait_for_function(f"document.querySelectorAll('#ll-strip .cell').length === {len(knn)}")
    strip = page.evaluate("Array.from(document.querySelectorAll('#ll-strip .cap:first-of-type'), c => c.textContent)")
    assert strip == [f"#{r}" for r in knn]  # the stored neighbours, nearest first, with their rows
    page.wait_for_function(f"({EDGES}) === {len(knn)}")  # an edge from the pinned row to each


def test_a_lasso_selects_what_it_encloses(open_page):
    page = open_page()
    page.select_option("#ll-drag", "lasso")
    b = page.evaluate("document.querySelector('#ll-mapbox').getBoundingClientRect().toJSON()")
    cx, cy, r = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, min(b["width"], b["height"]) * 0.3
    ring = [(cx + r * np.cos(t), cy + r * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 32)]
    page.mouse.move(*ring[0])
    page.mouse.down()
    for p in ring[1:]:
        page.mouse.move(*p, steps=2)
    page.mouse.up()
    page.wait_for_function(f"({SELECTED}).length > 0")
    rows = page.evaluate(SELECTED)
    inside = [row for x, y, row in (page.drawn(j) for j in range(_count(page)))
              if (x - cx) ** 2 + (y - cy) ** 2 < (0.97 * r) ** 2]
    assert set(inside) <= set(rows) and len(rows) < _count(page)  # what is well inside, not the whole map


def _count(page) -> int:
    return page.evaluate("latentlab.debug.S.drawn.X.length")


def _class_and_length_filters(page, cut: float):
    """The first class of the list clicked (both pages then show that class alone) and lengths kept up to `cut`:
    a test of (class, length) that every row shown must pass."""
    name = page.text_content("#ll-classes li .name")
    page.click("#ll-classes li")
    code = page.evaluate("(n) => latentlab.debug.M.columns[0].categories.indexOf(n)", name)
    page.select_option("#ll-color", "length")
    lo, hi = page.evaluate("latentlab.debug.M.columns.find((c) => c.name === 'length').range")
    page.fill('#ll-ranges .range[data-column="length"] input >> nth=1', str(int(1000 * (cut - lo) / (hi - lo))))
    return lambda cls, length: cls == code and length <= cut


def test_filters_hold_together_and_the_status_line_follows(open_page, store):
    page = open_page()
    before = page.text_content("#ll-subtitle")
    lengths = store.read("obs/length")
    cut = float(np.percentile(lengths, 60))
    long = next(j for j in range(_count(page)) if lengths[page.drawn(j)[2]] > cut)
    x, y, hovered = page.drawn(long)  # a sketch the filters will hide, in the inspector
    page.mouse.move(x, y)
    page.wait_for_function("(r) => document.querySelector('#ll-facts td + td')?.textContent === r", arg=str(hovered))
    passes = _class_and_length_filters(page, cut)
    page.wait_for_function("(b) => document.querySelector('#ll-subtitle').textContent !== b", arg=before)
    shown = page.evaluate(ROWS_SHOWN)
    assert shown and all(passes(cls, length) for _, cls, length in shown), shown[:5]
    assert _fact(page, "row") != str(hovered)  # it left the inspector
    labels = store.read("obs/label")
    want = [r for r in range(len(store)) if passes(labels[r], lengths[r])]
    assert page.evaluate("document.querySelectorAll('#ll-filter-list .filter').length") == 2
    if page.kind == "single":  # one tile holds every row: the whole map shows exactly those that pass
        assert sorted(r for r, _, _ in shown) == want
        assert f"{len(want):,} points drawn (every row in view that passes the filters)" in page.text_content(
            "#ll-subtitle")
    else:  # the map draws those in view that pass, zoomed out an overview
        assert set(r for r, _, _ in shown) <= set(want)


def test_a_numeric_colour_has_a_colour_bar(open_page):
    page = open_page()
    assert not page.evaluate(COLORBAR)  # coloured by class
    page.select_option("#ll-color", "length")
    page.wait_for_function(COLORBAR)
    page.select_option("#ll-color", "class")
    page.wait_for_function(f"!({COLORBAR})")


def test_the_inspector_shows_the_decode_chosen(open_page):
    page = open_page()
    x, y, row = page.drawn(3)
    page.mouse.click(x, y)
    page.wait_for_function(f"({PINNED}) === {row}")
    options = page.evaluate("Array.from(document.querySelector('#ll-dec-choice').options, o => o.value)")
    assert options == ["dec0", "dec1"]  # the store's two decodes
    settle(page.page)
    first = page.evaluate("document.querySelector('#ll-dec').toDataURL()")
    page.select_option("#ll-dec-choice", "dec1")
    settle(page.page)
    assert page.evaluate("document.querySelector('#ll-dec').toDataURL()") != first


def test_draw_to_search_and_interpolate_in_the_page(open_page, store):
    page = open_page()
    page.wait_for_function("document.body.dataset.model === 'ready'", timeout=60_000)
    row = 17
    replay(page, store.sketches([row])[0])
    page.wait_for_function(f"({DRAWN_NEAREST}).length > 0", timeout=30_000)
    assert row in page.evaluate(DRAWN_NEAREST)[:3]  # the drawing finds its own sketch among the first
    show_tab(page, "interp")
    page.click("#ll-a-draw")
    x, y, other = page.drawn(3)
    page.mouse.click(x, y)
    page.wait_for_function(f"({PINNED}) === {other}")
    page.click("#ll-b-pin")
    page.fill("#ll-steps", "4")
    page.click("#ll-run")
    page.wait_for_function(f"({INTERP}) && ({INTERP}).length === 4 && ({INTERP}).every((s) => s)",
                           timeout=60_000)
    assert page.text_content("#ll-b-cap").startswith(f"B: row {other}")
    assert page.locator("#ll-istrip .cell canvas").count() == 4


def test_a_box_that_starts_on_a_sketch_drawn_on_the_map_selects(open_page):
    page = open_page(sketches_on_map=True)
    _, sx, sy, _ = page.evaluate("latentlab.debug.S.glyphs")[0]
    x0, y0 = page.box["x"] + sx, page.box["y"] + sy
    page.select_option("#ll-drag", "box")
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 120, y0 + 120, steps=8)
    page.mouse.up()
    page.wait_for_function(f"({SELECTED}).length > 0")
    assert page.evaluate(PINNED) is None  # a drag, not a click on the sketch

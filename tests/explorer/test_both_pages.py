"""The single file and the tiled folder as one explorer: the same checks run against both pages (parametrised),
from one store: the layout on a laptop's and a desktop's screen, selections and what leaves the page."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from latentlab.explorer.report import write_report
from latentlab.explorer.tiled import write_tiled

from helpers.browser import Page
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

    def opener(viewport=(1280, 800), url=None):
        if request.param == "single":
            page = Page(browser, url or pages["single"], viewport=viewport)
        else:
            page = TiledPage(browser, url or pages["tiled"])
            page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
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


def _kind(page) -> str:
    return "tiled" if isinstance(page, TiledPage) else "single"


def _box(page, lo=(0.15, 0.15), hi=(0.85, 0.85)) -> None:
    """A box selection dragged over the map, from `lo` to `hi` (fractions of the map)."""
    if _kind(page) == "single":
        page.box_select(lo, hi)
        return
    b = page.box
    page.select_option("#ll-drag", "box")
    page.mouse.move(b["x"] + b["width"] * lo[0], b["y"] + b["height"] * lo[1])
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] * hi[0], b["y"] + b["height"] * hi[1], steps=6)
    page.mouse.up()
    page.select_option("#ll-drag", "pan")


SELECTED = {"single": "latentlab.debug.selectionRows",
            "tiled": "latentlab.debug.S.selection.map(p => p.tile.A.row[p.k])"}
PINNED = {"single": "latentlab.debug.pinned < 0 ? null : latentlab.debug.arrays.row[latentlab.debug.pinned]",
          "tiled": "latentlab.debug.S.pin && latentlab.debug.S.pin.tile.A.row[latentlab.debug.S.pin.k]"}


def _pin_one(page) -> int:
    """Click a point on the map; the row pinned."""
    if _kind(page) == "single":
        i = page.evaluate("latentlab.debug.state.visible.indexOf(1)")
        page.mouse.click(*page.point(i))
    else:
        x, y, _ = page.drawn(0)
        page.mouse.click(x, y)
    page.wait_for_function(f"({PINNED[_kind(page)]}) !== null")
    return page.evaluate(PINNED[_kind(page)])


def _download(page, button: str, path):
    with page.expect_download() as info:
        page.click(button)
    info.value.save_as(path)
    return path


def test_a_selection_shows_in_its_tab_and_leaves_the_page_as_rows_csv_and_sketches(open_page, store, tmp_path):
    page = open_page()
    _box(page)
    kind = _kind(page)
    page.wait_for_function(f"({SELECTED[kind]}).length > 0")
    assert page.get_attribute('#ll-tabs button[data-tab="selection"]', "aria-selected") == "true"
    rows = page.evaluate(SELECTED[kind])
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
    page.wait_for_function(f"({SELECTED[kind]}).length === 0")
    assert page.is_disabled("#ll-export-csv")


def test_a_copied_link_opens_the_same_view(open_page):
    page = open_page()
    page.select_option("#ll-color", "length")
    row = _pin_one(page)
    _box(page, (0.3, 0.3), (0.7, 0.7))
    kind = _kind(page)
    page.wait_for_function(f"({SELECTED[kind]}).length > 0")
    page.click('#ll-tabs button[data-tab="about"]')
    page.wait_for_function("location.hash.includes('tab=about')")
    selected = page.evaluate(SELECTED[kind])
    again = open_page(url=page.url)
    again.wait_for_function(f"({SELECTED[kind]}).length === {len(selected)}")
    assert again.evaluate(SELECTED[kind]) == selected
    assert again.evaluate(PINNED[kind]) == row
    assert again.input_value("#ll-color") == "length"
    assert again.get_attribute('#ll-tabs button[data-tab="about"]', "aria-selected") == "true"

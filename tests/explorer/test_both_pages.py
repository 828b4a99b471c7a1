"""The single file and the tiled folder as one explorer: the same checks run against both pages (parametrised),
from one store: the layout on a laptop's and a desktop's screen, selections and what leaves the page."""
from __future__ import annotations

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

    def opener(viewport=(1280, 800)):
        if request.param == "single":
            page = Page(browser, pages["single"], viewport=viewport)
        else:
            page = TiledPage(browser, pages["tiled"])
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

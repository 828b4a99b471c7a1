"""The explorer as a notebook widget (latentlab.pl.explorer) in a real JupyterLab on 127.0.0.1, opened in
Chromium: a notebook's cell shows the widget; what is done in the page is read in the kernel, and what the kernel
sets, the page follows. The tiled mode gets its tiles from the kernel through the widget (no server, no path).
The same server's Notebook 7 shows it too."""
from __future__ import annotations

import shutil
import time

import pytest

from helpers.browser import box_select, settle
from helpers.tiled import HOVERED, SELECTED
from helpers.jupyter import evaluate, lab, run, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.subprocess, pytest.mark.slow]

CELLS = ["from latentlab import pl, tl\nfrom latentlab.store import LatentStore\n"
         "w = pl.explorer('s.h5')\npicked = []\nw.on_select(picked.append)\nw",
         "t = pl.explorer('s.h5', tiled=True)\nt"]


def until(check, timeout: float = 30):
    """Poll ``check()`` (the kernel's or the page's state) until it returns a true value; that value."""
    deadline = time.time() + timeout
    while not (value := check()):
        assert time.time() < deadline, "timed out"
        time.sleep(0.2)
    return value


def run_all(page, server, notebook: str, ui: str = "lab") -> None:
    """Open ``notebook`` in JupyterLab (or Notebook 7), wait for its kernel to be idle, and run all its cells from
    the Run menu."""
    page.goto(server.url(notebook, ui=ui))
    page.wait_for_function("document.querySelector('.jp-Notebook .jp-Cell')", timeout=120_000)
    until(lambda: any(s["path"] == notebook and s["kernel"]["execution_state"] == "idle"
                      for s in server.api("sessions")), timeout=120)
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")


class Widget:
    """The k-th widget's page in the notebook: ``frame`` (the iframe's document, once the explorer in it is
    ready) and ``offset()``, the iframe's place on the browser's page, scrolled into view."""

    def __init__(self, page, k: int) -> None:
        self.element = page.locator("iframe.latentlab-explorer").nth(k)
        self.element.wait_for(timeout=120_000)
        self.frame = self.element.element_handle().content_frame()
        self.frame.wait_for_function("document.body.dataset.ready", timeout=120_000)
        assert self.frame.evaluate("document.body.dataset.ready") == "1", self.frame.text_content("#ll-banner")

    def offset(self) -> tuple[float, float]:
        """Where the iframe is once the notebook around it has stopped moving (outputs below it still lay out)."""
        self.element.scroll_into_view_if_needed()
        last = None
        while (box := self.element.bounding_box()) != last:
            last = box
            settle(self.frame, 5)
        return box["x"], box["y"]


@pytest.fixture(scope="module")
def notebook(browser, store, tmp_path_factory):
    """JupyterLab on a copy of the store with a notebook showing it twice (one page, and tiled), its cells run in
    the browser; (browser page, kernel client, the single file's Widget, the tiled one's, the server)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(store.path, root / "s.h5")
    write_notebook(root / "w.ipynb", CELLS)
    write_notebook(root / "n7.ipynb", ["from latentlab import pl\nv = pl.explorer('s.h5')\nv"])
    with lab(root) as server:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        run_all(page, server, "w.ipynb")
        single, tiled = Widget(page, 0), Widget(page, 1)
        kernel = server.kernel("w.ipynb")
        yield page, kernel, single, tiled, server
        kernel.stop_channels()
        page.close()
        assert not errors, errors


def test_a_box_selection_in_the_page_is_read_in_python(notebook):
    page, kernel, single = notebook[:3]
    frame = single.frame
    frame.evaluate("document.querySelector('#ll-thumbs').click()")  # aim at points, not at sketches
    box_select(frame, page.mouse, (0.2, 0.2), (0.8, 0.8), single.offset())
    rows = until(lambda: frame.evaluate(SELECTED))
    assert until(lambda: evaluate(kernel, "sorted(w.selected)")) == sorted(rows)
    assert evaluate(kernel, "picked[-1]") == evaluate(kernel, "w.selected")  # w.on_select's callback


def test_the_row_under_the_pointer_is_read_in_python(notebook):
    page, kernel, single = notebook[:3]
    frame, offset = single.frame, single.offset()
    x, y = frame.evaluate("""async () => { const d = latentlab.debug, r = document.querySelector('#ll-map')
        .getBoundingClientRect(), [x, y] = d.screenOf(await d.locate(7)); return [r.x + x, r.y + y]; }""")
    page.mouse.move(offset[0] + x, offset[1] + y)
    row = until(lambda: frame.evaluate(HOVERED))
    assert until(lambda: evaluate(kernel, "w.hovered") == row)


def test_the_page_follows_what_python_sets(notebook, store):
    _, kernel, single = notebook[:3]
    frame = single.frame
    run(kernel, "w.selected = [3, 11, 40]")
    until(lambda: frame.evaluate(SELECTED) == [3, 11, 40])
    run(kernel, "w.color_by = 'Lr'")
    assert until(lambda: frame.evaluate("latentlab.debug.S.color") == "Lr")
    names = store.strings("obs/label/categories")
    codes = store.read("obs/label")
    name = names[codes[0]]
    run(kernel, f"w.filter = {{'class': [{name!r}]}}")
    drawn = "latentlab.debug.S.drawn.X.length"
    shown = until(lambda: frame.evaluate(f"{drawn} < {len(codes)} && {drawn}"))
    assert shown == int((codes == codes[0]).sum())  # one page: every row of the class is drawn
    until(lambda: evaluate(kernel, "w.filter") == {"class": [name]})  # the page's state, read back
    run(kernel, "w.filter = {}")
    until(lambda: frame.evaluate(f"{drawn} === {len(codes)}"))
    run(kernel, "w.highlight([5, 6])")
    until(lambda: frame.evaluate("latentlab.debug.S.highlighted.map((p) => p.tile.A.row[p.k])") == [5, 6])
    run(kernel, "w.selected = []")
    until(lambda: frame.evaluate(f"({SELECTED}).length === 0"))


def test_a_store_changed_in_python_shows_after_refresh(notebook):
    page, kernel = notebook[:2]
    run(kernel, "tl.leiden(LatentStore('s.h5'), resolution=1.0)\nw.refresh()", timeout=180)
    frame = Widget(page, 0).frame
    until(lambda: frame.evaluate("[...document.querySelectorAll('#ll-color option')].some((o) => o.value === "
                                 "'leiden')"))
    assert evaluate(kernel, "w.ready")


def test_the_tiled_widget_gets_its_tiles_from_the_kernel_and_follows_python(notebook):
    page, kernel, _, tiled, _ = notebook
    frame = tiled.frame
    assert frame.url.startswith("blob:")  # no server: every tile came through the widget
    assert frame.evaluate("latentlab.debug.S.tiles.size") > 0
    run(kernel, "t.selected = [2, 9]")
    until(lambda: frame.evaluate("latentlab.debug.S.selection.map((p) => p.tile.A.row[p.k])") == [2, 9])
    run(kernel, "t.highlight([4, 9])")
    until(lambda: frame.evaluate("latentlab.debug.S.highlighted.map((p) => p.tile.A.row[p.k])") == [4, 9])
    frame.evaluate("document.querySelector('#ll-thumbs').click()")
    settle(frame)
    p = frame.evaluate("(() => { const d = latentlab.debug.S.drawn, r = document.querySelector('#ll-map')"
                       ".getBoundingClientRect(); return [r.x + d.X[0], r.y + d.Y[0], "
                       "latentlab.debug.S.tiles.get(d.T[0]).A.row[d.K[0]]]; })()")
    run(kernel, "t.selected = []")
    until(lambda: evaluate(kernel, "t.selected") == [])
    offset = tiled.offset()
    page.mouse.click(offset[0] + p[0], offset[1] + p[1])
    assert until(lambda: evaluate(kernel, "t.pinned") == p[2])
    assert evaluate(kernel, "t.selected") == [p[2]]  # the clicked row, as nothing is selected


def test_notebook_7_shows_the_widget_linked_to_python(notebook, browser):
    server = notebook[4]
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    run_all(page, server, "n7.ipynb", ui="notebook")
    widget = Widget(page, 0)
    kernel = server.kernel("n7.ipynb")
    widget.frame.evaluate("document.querySelector('#ll-thumbs').click()")
    box_select(widget.frame, page.mouse, (0.3, 0.3), (0.7, 0.7), widget.offset())
    rows = until(lambda: widget.frame.evaluate(SELECTED))
    assert until(lambda: evaluate(kernel, "sorted(v.selected)")) == sorted(rows)
    run(kernel, "v.selected = [1, 2]")
    until(lambda: widget.frame.evaluate(SELECTED) == [1, 2])
    kernel.stop_channels()
    page.close()

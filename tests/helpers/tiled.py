"""The explorer pages in tests: a page's manifest, a folder served from 127.0.0.1, and the tiled explorer opened
in Chromium."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from latentlab.explorer.serve import serve

from helpers.browser import settle


def page_meta(page: Path) -> dict:
    """The manifest (``ll-meta``) of an explorer page: the single file, or a tiled folder (its ``index.html``)."""
    from latentlab.explorer.packing import page_meta as meta_of

    page = Path(page)
    return meta_of((page / "index.html" if page.is_dir() else page).read_text(), page)


@contextmanager
def served(folder: Path):
    """``folder`` on a loopback web server (``latentlab serve``) while the block runs; its base URL."""
    httpd = serve(folder, port=0, background=True)
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class TiledPage:
    """A tiled explorer opened at 1280x800, with its console errors and every request it made."""

    def __init__(self, browser, url: str, ready: str = "1", *, sketches_on_map: bool = False):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.wait_for_function("document.body.dataset.ready", timeout=60_000)
        assert self.page.evaluate("document.body.dataset.ready") == ready, self.page.text_content("#ll-banner")
        if ready == "1" and not sketches_on_map:  # sketches drawn on the map answer the pointer before points
            self.page.uncheck("#ll-thumbs")
        self.box = self.page.evaluate("document.querySelector('#ll-map').getBoundingClientRect().toJSON()")

    def __getattr__(self, name):
        return getattr(self.page, name)

    def drawn(self, j: int) -> tuple[float, float, int]:
        """Page position and row of drawn point ``j``."""
        x, y, row = self.page.evaluate(f"""(() => {{ const d = latentlab.debug.S.drawn;
            return [d.X[{j}], d.Y[{j}], latentlab.debug.S.tiles.get(d.T[{j}]).A.row[d.K[{j}]]]; }})()""")
        return self.box["x"] + x, self.box["y"] + y, row

    def idle(self) -> None:
        self.page.wait_for_function("latentlab.debug.S.loading.size === latentlab.debug.S.tiles.size")
        settle(self.page)  # the tiles loaded are drawn

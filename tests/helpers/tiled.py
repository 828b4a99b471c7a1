"""The explorer pages in tests: a page's manifest, a folder served from 127.0.0.1, and the tiled explorer opened
in Chromium."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import numpy as np

from latentlab.explorer.serve import serve

from helpers.browser import settle


HOVERED = "latentlab.debug.S.hover ? latentlab.debug.S.hover.tile.A.row[latentlab.debug.S.hover.k] : null"
PINNED = "latentlab.debug.S.pin ? latentlab.debug.S.pin.tile.A.row[latentlab.debug.S.pin.k] : null"
SELECTED = "latentlab.debug.S.selection.map(p => p.tile.A.row[p.k])"


def page_files(page: Path) -> dict[str, dict]:
    """The files a single-file explorer carries inline, by path, as their arrays."""
    import re

    from latentlab.explorer.packing import from_text, unpack_binary

    text = Path(page).read_text()
    data = from_text(re.search(r'id="ll-files">(.*?)</script>', text, re.S).group(1))
    return {name: unpack_binary(data[a:a + n]) for name, (a, n) in page_meta(page)["files"].items()}


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
    """An explorer page (a served folder's, or a single file's address) opened at ``viewport`` (default
    1280x800), with its console errors and every request it made."""

    def __init__(self, browser, url: str, ready: str = "1", *, sketches_on_map: bool = False,
                 viewport: tuple[int, int] = (1280, 800)):
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
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

    def point_of(self, row: int) -> tuple[float, float]:
        """Page position of ``row`` on the map (its tile loaded)."""
        x, y = self.page.evaluate("""async (r) => latentlab.debug.screenOf(await latentlab.debug.locate(r))""", row)
        return self.box["x"] + x, self.box["y"] + y

    def close_clean(self) -> None:
        """Close the page, which must have logged no error (and, opened from a file, asked nothing of a server)."""
        assert not self.errors, self.errors
        if self.url.startswith("file:"):
            assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in self.requests), self.requests
        self.page.close()

    def idle(self) -> None:
        self.page.wait_for_function("latentlab.debug.S.loading.size === latentlab.debug.S.tiles.size")
        settle(self.page)  # the tiles loaded are drawn


def hover_rightness(page, box: dict, hovers: int, rng: np.random.Generator) -> tuple[int, list]:
    """Hover ``hovers`` drawn points picked by ``rng`` (the map's place on the page: ``box``): how many showed
    that point (or one drawn at the same pixel) in the inspector, and the page's hover timings (ms)."""
    right = 0
    page.evaluate("latentlab.debug.S.hoverMs.length = 0")
    n = page.evaluate("latentlab.debug.S.drawn.X.length")
    for j in rng.choice(n, min(hovers, n), replace=False).tolist():
        x, y, row = page.evaluate(f"""(() => {{ const d = latentlab.debug.S.drawn;
            return [d.X[{j}], d.Y[{j}], latentlab.debug.S.tiles.get(d.T[{j}]).A.row[d.K[{j}]]]; }})()""")
        page.mouse.move(box["x"] + x, box["y"] + y)
        got = page.evaluate("(() => { const h = latentlab.debug.S.hover; return h ? h.tile.A.row[h.k] : -1; })()")
        same_spot = page.evaluate(f"""(() => {{ const d = latentlab.debug.S.drawn, h = latentlab.debug.S.hover;
            if (!h) return false; for (let i = 0; i < d.X.length; i++) {{
              const t = latentlab.debug.S.tiles.get(d.T[i]);
              if (t === h.tile && d.K[i] === h.k) return Math.hypot(d.X[i] - {x}, d.Y[i] - {y}) < 1; }}
            return false; }})()""")
        right += got == row or same_spot  # that point, or one drawn at the same pixel
        page.mouse.move(box["x"] + 2, box["y"] + 2)  # away, so the next hover is a new one
    return right, page.evaluate("latentlab.debug.S.hoverMs")

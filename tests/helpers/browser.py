"""Reports opened in headless Chromium (Playwright driving /usr/bin/chromium; no browser is downloaded)."""
from __future__ import annotations

import os
import shutil

import numpy as np

from latentlab.io.strokes import to_polylines


DOUBLE_CLICK_MS = 500  # two clicks further apart than this are two clicks, not a double click


def settle(page, frames: int = 3) -> None:
    """Wait until the page has drawn ``frames`` more animation frames: what a handler changed is laid out and
    painted, and bokeh has applied a model change (it does on its next render).  A frame takes longer on a busy
    machine, so this waits longer there, as a fixed sleep would not.

    Parameters
    ----------
    page
        A Playwright page.
    frames
        Frames to wait for.
    """
    page.evaluate("""(n) => new Promise((done) => { const step = () => (n-- > 0 ? requestAnimationFrame(step)
                                                                        : done()); step(); })""", frames)


def chromium() -> str | None:
    return os.environ.get("LATENTLAB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright, path: str | None = None):
    """Headless Chromium (the system's, never a downloaded one) with WebGL through SwiftShader."""
    return playwright.chromium.launch(executable_path=path or chromium(),
                                      args=["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"])


# true once the map's frame is where it was at the previous poll: bokeh lays a map out again over a few frames,
# more of them on a busy machine
STILL_MAP = """() => { const r = JSON.stringify(document.querySelector('#ll-overlay').getBoundingClientRect());
  const still = r === window.llLastFrame; window.llLastFrame = r; return still; }"""


def box_select(frame, mouse, lo: tuple[float, float], hi: tuple[float, float],
               offset: tuple[float, float] = (0, 0)) -> tuple[float, float, float, float]:
    """Drag a box selection over a single file's map from ``lo`` to ``hi`` (fractions of the map's frame) with
    ``mouse``; returns the box's corners (x0, y0, x1, y1) in the frame.

    Parameters
    ----------
    frame
        The page (or the iframe, a Playwright Frame) the explorer is in.
    mouse
        The browser page's mouse.
    lo, hi
        The box's corners.
    offset
        Where the frame's top left is on the browser page (an iframe's place).
    """
    frame.select_option("#ll-drag", "box")
    settle(frame)  # bokeh activates the tool on its next render
    frame.wait_for_function(STILL_MAP, polling=100)  # aim where the map is, not where it was
    r = frame.evaluate("document.querySelector('#ll-overlay').getBoundingClientRect().toJSON()")
    x0, y0 = r["left"] + r["width"] * lo[0], r["top"] + r["height"] * lo[1]
    x1, y1 = r["left"] + r["width"] * hi[0], r["top"] + r["height"] * hi[1]
    mouse.move(offset[0] + x0, offset[1] + y0)
    mouse.down()
    mouse.move(offset[0] + x1, offset[1] + y1, steps=8)
    mouse.up()
    return x0, y0, x1, y1


class Page:
    """A report opened in a fresh page, with its console messages and every request it made.

    Sketches drawn on the map answer hover and click before the points under them, so tests that aim at points
    turn them off (``sketches_on_map=False``, the default here; the page's default is on)."""

    def __init__(self, browser, path, *, sketches_on_map: bool = False, viewport=(1400, 900)):
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path if isinstance(path, str) else path.as_uri())  # a file, or an address
        self.page.wait_for_function("document.body.dataset.ready", timeout=60_000)
        assert self.page.evaluate("document.body.dataset.ready") == "1", self.page.text_content("#ll-banner")
        if not sketches_on_map:
            self.page.uncheck("#ll-thumbs")

    def __getattr__(self, name):
        return getattr(self.page, name)

    def point(self, i: int) -> tuple[float, float]:
        pt = self.page.evaluate(f"latentlab.debug.pagePoint({i})")
        return pt["x"], pt["y"]

    def box_select(self, lo: tuple[float, float], hi: tuple[float, float]) -> tuple[float, float, float, float]:
        """Drag a box selection over the map from ``lo`` to ``hi`` (fractions of the map's frame); returns the
        box's page corners (x0, y0, x1, y1)."""
        return box_select(self.page, self.page.mouse, lo, hi)

    def close_clean(self) -> None:
        assert not self.errors, self.errors
        assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in self.requests), self.requests
        self.page.close()


def show_tab(page, name: str) -> None:
    """Show the right column's tab ``name`` (neighbours, selection, draw, interp, issues, about): what is in the
    other tabs is not on screen, so a click there would wait for it."""
    page.click(f'#ll-tabs button[data-tab="{name}"]')


def replay(page, sketch: np.ndarray) -> None:
    """Draw a stored ``sketch`` on the report's drawing canvas as a person would: pointer down, moves, up, stroke
    by stroke (under magenta's convention the drawing's first point was the origin, so it is drawn too)."""
    show_tab(page, "draw")
    lines = to_polylines(sketch)
    if page.evaluate("latentlab.info.drawing.first_point") == "origin":
        lines[0] = np.vstack([[0.0, 0.0], lines[0]])
    pts = np.concatenate(lines)
    lo, span = pts.min(0), (pts.max(0) - pts.min(0)).max()
    box = page.locator("#ll-draw").bounding_box()
    scale = (box["width"] - 20) / span
    for line in lines:
        xy = [(box["x"] + 10 + (x - lo[0]) * scale, box["y"] + 10 + (y - lo[1]) * scale) for x, y in line]
        page.mouse.move(*xy[0])
        page.mouse.down()
        for p in xy[1:]:
            page.mouse.move(*p)
        page.mouse.up()

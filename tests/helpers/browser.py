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


def box_select(frame, mouse, lo: tuple[float, float], hi: tuple[float, float],
               offset: tuple[float, float] = (0, 0)) -> tuple[float, float, float, float]:
    """Drag a box selection over an explorer's map from ``lo`` to ``hi`` (fractions of the map) with ``mouse``;
    returns the box's corners (x0, y0, x1, y1) in the frame.

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
    r = frame.evaluate("document.querySelector('#ll-map').getBoundingClientRect().toJSON()")
    x0, y0 = r["left"] + r["width"] * lo[0], r["top"] + r["height"] * lo[1]
    x1, y1 = r["left"] + r["width"] * hi[0], r["top"] + r["height"] * hi[1]
    mouse.move(offset[0] + x0, offset[1] + y0)
    mouse.down()
    mouse.move(offset[0] + x1, offset[1] + y1, steps=8)
    mouse.up()
    frame.select_option("#ll-drag", "pan")
    return x0, y0, x1, y1


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

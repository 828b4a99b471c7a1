"""The explorer's page from its templates (``assets/``): markup, styles, the bundled script and the manifest,
for the tiled folder's ``index.html`` (:mod:`latentlab.explorer.tiled`) and the single file
(:mod:`latentlab.explorer.report`), which is the same page with its files inlined.
"""
from __future__ import annotations

import html
import re
from importlib.resources import files

from latentlab.explorer.packing import script_json

EXPLORER_JS = "explorer.bundle.js"  # the page's script: esbuild's bundle of latentlab/explorer/js (make js)


def render_page(meta: dict, inline: str = "") -> str:
    """The explorer's page: its markup, styles, scripts and manifest (the tiled folder's ``index.html``, or with
    its files ``inline`` the single file of :mod:`latentlab.explorer.report`).

    Parameters
    ----------
    meta
        The manifest (:func:`latentlab.explorer.tiled.write_stage`); with ``inline``, ``meta["files"]`` says
        where each file is in it.
    inline
        The files, concatenated and written as text (:func:`latentlab.explorer.packing.to_text`).
    """
    assets = files("latentlab.explorer") / "assets"
    parts = {"TITLE": html.escape(meta["title"]), "CSS": (assets / "explorer.css").read_text(),
             **shared_parts(meta.get("model")), "META": script_json(meta), "FILES": inline,
             "JS": (assets / EXPLORER_JS).read_text()}
    template = (assets / "explorer.html").read_text()
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def shared_parts(model: dict | None) -> dict[str, str]:
    """The page's shared parts: the right column (the inspector and the tabs: neighbours, selection, drawing pad,
    interpolation strip, data issues, share and provenance; the model's tabs hidden until a model starts) and,
    when the page carries a model (the manifest's ``model``), the Web Workers' script."""
    assets = files("latentlab.explorer") / "assets"
    inner = {"DRAW_PANEL": (assets / "drawpanel.html").read_text(), "INTERP": (assets / "interp.html").read_text()}
    panels = re.sub(r"\{\{(\w+)\}\}", lambda m: inner[m.group(1)], (assets / "panels.html").read_text())
    return {"PANELS": panels, "MODEL_JS": (assets / "sketchrnn.worker.js").read_text() if model else ""}

"""The explorer report: one offline HTML file that maps a latent store and draws its sketches in the page.

Every shown sketch travels once, as strokes (not images): its points are
rounded to a ``GRID`` x ``GRID`` lattice over the sketch's larger side
(at most half a lattice step off, under 1 px in the 256 px inspector),
repeated points dropped, stored as int8 steps, identical sketches stored
once, and all arrays go deflated into one script tag, 7 bits a character
(:mod:`latentlab.explorer.packing`), that the browser inflates with ``DecompressionStream``.  The map is a bokeh WebGL
scatter (BokehJS inlined, so the file opens offline); the explorer's bundle
(``EXPLORER_JS``, built from ``latentlab/explorer/js``) draws the sketches on canvases and links the views: inspector,
neighbours, selection grid, class search, colour and filters, and sketches drawn
on the map.
"""
from __future__ import annotations

import html
import os
import re
import time
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from latentlab.atomic import output_path, write_text
from latentlab.explorer.packing import pack, script_json
from latentlab.explorer.pagedata import MAX_POINTS, ensure_neighbors, page_model, page_model_of, report_data
from latentlab.store.format import LatentStore

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN

SUFFIXES = (".html", ".htm")
EXPLORER_JS = "explorer.bundle.js"  # the single file's script: esbuild's bundle of latentlab/explorer/js (make js)


def write_report(store: LatentStore, out: str | os.PathLike, *, basis: str = "umap", decoded: str | None = None,
                 color_by: str = "auto", title: str | None = None, max_points: int = MAX_POINTS,
                 seed: int = 0, n_neighbors: int | None = None, with_model: bool = False,
                 model: "str | os.PathLike | SketchRNN | None" = None, model_precision: str = "int8") -> Path:
    """Write the explorer for ``store`` as one self-contained HTML file.

    Parameters
    ----------
    store
        A latent store with ``obsm/X_<basis>`` (``latentlab project``).
    out
        The ``.html`` file (written atomically).
    basis
        The projection shown first: an obsm key (``X_umap``, a ``key_added``) or a scanpy basis name (``umap``,
        ``pca``); the page offers every other 2-D projection in ``obsm`` too.
    decoded
        The decoded group shown beside each original (``"tau0.1_js"`` or ``"decoded/tau0.1_js"``), or
        ``"none"``; default every cached decode, the newest shown first and the others a choice in the page.
    color_by
        ``"class"`` or any numeric or categorical obs column (``"length"``, ``"Lr"`` from
        :func:`latentlab.tl.score`, a scanpy ``"leiden"``...), or ``"auto"`` (class when there are several, else
        length); the page offers every other one too.
    title
        The page's title (default: the store's name, projection and size).
    max_points
        Above this many sketches, show a random sample of this size (seeded by ``seed``); the page says so.
    n_neighbors
        Store each sketch's ``n_neighbors`` nearest (cosine on mu, :func:`latentlab.tl.neighbors`) first, unless
        that many are stored already; default: show the stored ones, if any.
    with_model
        Embed the model and the shown sketches' mu: the page then encodes drawings, finds their neighbours and
        decodes interpolations itself (``window.latentlab``; see :mod:`latentlab.explorer.inpage`).
    model
        The model to embed (a folder or a loaded model); default the one that encoded the store, checked against
        its provenance.
    model_precision
        ``"int8"`` (matrices rounded per row, about 2.5 MB for the sheep model) or ``"float32"``.

    Returns
    -------
    The path written.
    """
    out = output_path(out, SUFFIXES, "report")
    return write_text(out, report_page(store, basis=basis, decoded=decoded, color_by=color_by, title=title,
                                       max_points=max_points, seed=seed, n_neighbors=n_neighbors,
                                       with_model=with_model, model=model, model_precision=model_precision))


def report_page(store: LatentStore, *, basis: str = "umap", decoded: str | None = None, color_by: str = "auto",
                title: str | None = None, max_points: int = MAX_POINTS, seed: int = 0, n_neighbors: int | None = None,
                with_model: bool = False, model: "str | os.PathLike | SketchRNN | None" = None,
                model_precision: str = "int8", widget: bool = False) -> str:
    """The explorer page :func:`write_report` writes, as text.

    Parameters
    ----------
    store
        A latent store with a projection.
    basis, decoded, color_by, title, max_points, seed, n_neighbors, with_model, model, model_precision
        As for :func:`write_report`.
    widget
        The page links itself to the notebook's widget around it (:func:`latentlab.pl.explorer`).
    """
    ensure_neighbors(store, n_neighbors)
    meta, arrays = report_data(store, basis=basis, decoded=decoded, color_by=color_by, title=title,
                               max_points=max_points, seed=seed)
    meta["model"], model_blob = None, ""
    if with_model or model is not None:
        from latentlab.explorer.inpage import mu_arrays

        meta["model"], tensors = page_model(store, page_model_of(store, model), precision=model_precision,
                                            rows=arrays["row"], seed=seed)
        if tensors:
            arrays.update(mu_arrays(store.read("obsm/mu")[arrays["row"]]))
            model_blob, meta["model"]["arrays"] = pack(tensors)
    blob, header = pack(arrays)
    del arrays  # the page is made from the packed copy: the arrays are not held beside it
    meta["arrays"] = header
    meta["created"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    meta["widget"] = widget
    return render_page(meta, blob, model_blob)


def _figure(numeric: bool):
    """The bokeh map; the explorer's ``js/map.js`` fills its sources and wires the page to it by the models'
    names."""
    from bokeh.models import ColorBar, ColumnDataSource, CustomJS, LinearColorMapper, Range1d
    from bokeh.plotting import figure

    fig = figure(name="ll-map", output_backend="webgl", sizing_mode="stretch_both", min_border=8,
                 tools="pan,wheel_zoom,box_select,lasso_select,reset", active_scroll="wheel_zoom",
                 active_drag="pan", toolbar_location="above", x_range=Range1d(0, 1), y_range=Range1d(0, 1))
    fig.axis.visible = False
    fig.grid.visible = False
    fig.outline_line_color = "#ddd"
    empty = np.zeros(0, np.float32)
    points = ColumnDataSource({"x": empty, "y": empty, "c": empty, "a": empty}, name="ll-points")
    mapper = LinearColorMapper(palette=["#bbbbbb"], low=0, high=1, name="ll-mapper")  # the page colours (js/ramp.js)
    fig.scatter("x", "y", source=points, size=6, line_color=None, fill_alpha="a",
                          fill_color={"field": "c", "transform": mapper}, name="ll-scatter")
    edges = ColumnDataSource({"x0": [], "y0": [], "x1": [], "y1": [], "color": []}, name="ll-edges")
    fig.segment("x0", "y0", "x1", "y1", source=edges, line_color="color", line_width=1.5, line_alpha=0.8)
    marks = ColumnDataSource({"x": [], "y": [], "color": [], "size": []}, name="ll-marks")
    fig.scatter("x", "y", source=marks, size="size", fill_color=None, line_color="color", line_width=2.5)
    fig.add_layout(ColorBar(color_mapper=mapper, name="ll-colorbar", visible=numeric, width=10, title=""),
                   "right")  # visible from the start: the frame keeps its size when the page starts
    hook = "const h = window.latentlab && window.latentlab.hooks; if (h && h.{0}) h.{0}(cb_obj, cb_data);"
    fig.js_on_event("tap", CustomJS(code=hook.format("tap")))
    points.selected.js_on_change("indices", CustomJS(code=hook.format("selected")))
    for r in (fig.x_range, fig.y_range):
        r.js_on_change("start", CustomJS(code=hook.format("viewChanged")))
        r.js_on_change("end", CustomJS(code=hook.format("viewChanged")))
    return fig


def render_page(meta: dict, blob: str, model_blob: str = "") -> str:
    """The HTML page: BokehJS (core and WebGL, inlined), the map, the explorer's own markup, scripts and data
    (and the in-page model's runtime and weights when ``meta["model"]`` is set).

    Parameters
    ----------
    meta
        The page's strings and settings (:func:`report_data`).
    blob
        The packed arrays (:func:`pack`).
    model_blob
        The packed model, or empty.
    """
    from bokeh.embed import components
    from bokeh.resources import Resources

    color = next(c for c in meta["columns"] if c["name"] == meta["color_by"])
    script, div = components(_figure(color["kind"] == "numeric"))
    bokeh_js = Resources(mode="inline", components=["bokeh", "bokeh-gl"]).render_js()
    assets = files("latentlab.explorer") / "assets"
    template = (assets / "explorer.html").read_text()
    parts = {
        "TITLE": html.escape(meta["title"]), "CSS": (assets / "explorer.css").read_text(),
        "BOKEH_JS": bokeh_js, "BOKEH_SCRIPT": script, "BOKEH_DIV": div, "META": script_json(meta),
        "DATA": blob, "MODEL": model_blob,
        "EXPLORER_JS": (assets / EXPLORER_JS).read_text(), **shared_parts(meta.get("model")),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)  # one pass: inserted text stays as is


def shared_parts(model: dict | None) -> dict[str, str]:
    """The template parts both pages share: the right column (the inspector and the tabs: neighbours, selection,
    drawing pad, interpolation strip, data issues, share and provenance; the model's tabs hidden until a model
    starts) and, when the page carries a model (the manifest's ``model``), the Web Workers' script."""
    assets = files("latentlab.explorer") / "assets"
    inner = {"DRAW_PANEL": (assets / "drawpanel.html").read_text(), "INTERP": (assets / "interp.html").read_text()}
    panels = re.sub(r"\{\{(\w+)\}\}", lambda m: inner[m.group(1)], (assets / "panels.html").read_text())
    return {"PANELS": panels, "MODEL_JS": (assets / "sketchrnn.worker.js").read_text() if model else ""}

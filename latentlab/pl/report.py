"""The explorer report: one offline HTML file that maps a latent store and draws its sketches in the page.

Every shown sketch travels once, as strokes (not images): its points are
rounded to a ``GRID`` x ``GRID`` lattice over the sketch's larger side
(at most half a lattice step off, under 1 px in the 256 px inspector),
repeated points dropped, stored as int8 steps, identical sketches stored
once, and all arrays go deflated into one script tag, 7 bits a character
(:mod:`latentlab.pl.packing`), that the browser inflates with ``DecompressionStream``.  The map is a bokeh WebGL
scatter (BokehJS inlined, so the file opens offline); the explorer's modules
(``EXPLORER_JS``) draw the sketches on canvases and link the views: inspector,
neighbours, selection grid, class search, colour and filters, and sketches drawn
on the map.
"""
from __future__ import annotations

import colorsys
import html
import json
import os
import re
import time
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from latentlab.atomic import output_path, write_text
from latentlab.errors import LatentlabValueError
from latentlab.pl.packing import pack, script_json
from latentlab.pl.sketchtable import GRID, SketchTable, quantise_chunks
from latentlab.store.format import PROVENANCE, LatentStore
from latentlab.store.keys import maker, page_makers

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN

BASES = ("umap", "pca")
COLOR_BY = ("auto", "class", "length", "Lr")
SUFFIXES = (".html", ".htm")
EXPLORER_JS = ("core.js", "draw.js", "map.js", "overlay.js", "filters.js", "inspector.js", "selection.js",
               "explorer.js")  # the explorer's modules, in the order the page runs them
MAX_POINTS = 200_000  # above this the report shows a seeded random sample and says so
NEIGHBORS_KEY = "knn"  # not scanpy's "neighbors", whose uns entry its own tools read


def palette(n: int) -> list[str]:
    """``n`` distinct colours, evenly spaced in hue (enough for hundreds of classes)."""
    out = []
    for i in range(max(n, 1)):
        r, g, b = colorsys.hsv_to_rgb((i * 0.618034) % 1.0, 0.75, 0.85 - 0.25 * (i % 3) / 2)
        out.append(f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}")
    return out


def resolve_decoded(store: LatentStore, decoded: str | None) -> str | None:
    """The decoded group to show: ``decoded`` as ``tau0.1_js`` or ``decoded/tau0.1_js``, ``"none"`` for none;
    by default the newest cached decode (the last written), or none when nothing is cached.

    Parameters
    ----------
    store
        The latent store.
    decoded
        A decoded group's name, ``"none"``, or None.
    """
    cached = store.keys("decoded")
    if decoded == "none":
        return None
    if decoded is None:
        if not cached:
            return None
        written = {k: str(store.params(f"decoded/{k}").get("written", "")) for k in cached}
        return "decoded/" + max(cached, key=lambda k: (written[k], k))
    name = decoded.removeprefix("decoded/")
    if name not in cached:
        have = ", ".join(cached) or "none"
        raise LatentlabValueError(f"{store.path}: no decoded group {name!r} (cached: {have}); "
                                  f"run `{maker('uns/decoded', str(store.path))[0]}` to make one")
    return f"decoded/{name}"


def _bounds(coords: np.ndarray) -> list[float]:
    lo, hi = np.nanmin(coords, axis=0), np.nanmax(coords, axis=0)
    pad = np.maximum((hi - lo) * 0.04, 1e-3)
    return [float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])]


def _split_names(store: LatentStore) -> list[str]:
    return [s.rsplit(":", 1)[-1] if ":" in s else s for s in store.sources]


def _provenance(store: LatentStore, bases: list[str], decoded: str | None) -> list[list[str]]:
    p = store.provenance
    rows = [[k, str(p[k])] for k in PROVENANCE + ("created",) if k in p and k not in ("sources", "dataset_sha256")]
    shas = p.get("dataset_sha256") or []
    for k, source in enumerate(store.sources):
        rows.append([f"source {k}", f"{source}  sha256 {shas[k] if k < len(shas) else '?'}"])
    for basis in bases:
        rows.append([f"obsm/X_{basis}", json.dumps(store.params(basis))])
    if decoded:
        rows.append([decoded, json.dumps(store.params(decoded))])
    if store.has(f"uns/{NEIGHBORS_KEY}/indices"):
        rows.append([f"uns/{NEIGHBORS_KEY}", json.dumps(store.params(NEIGHBORS_KEY))])
    return rows


def _stored_table(store: LatentStore, rows: np.ndarray, key: str) -> SketchTable:
    """The sketches of ``rows`` under ``key``, quantised as they stream from the store (a chunk at a time)."""
    try:
        return quantise_chunks(store.iter_sketches(rows, key=key))
    except LatentlabValueError as exc:
        raise LatentlabValueError(f"{store.path}: {key}: {exc}") from None


def report_data(store: LatentStore, *, basis: str = "umap", decoded: str | None = None, color_by: str = "auto",
                title: str | None = None, max_points: int = MAX_POINTS, seed: int = 0) -> tuple[dict, dict]:
    """What the page needs: ``(meta, arrays)``; meta holds every string (escaped when written), arrays the rest.

    Parameters
    ----------
    store
        The latent store.
    basis, decoded, color_by, title, max_points, seed
        As for :func:`write_report`.

    Returns
    -------
    meta, arrays
        The page's strings and settings, and its arrays by name.
    """
    if basis not in BASES:
        raise LatentlabValueError(f"basis must be one of {', '.join(BASES)}, got {basis!r}")
    if color_by not in COLOR_BY:
        raise LatentlabValueError(f"color_by must be one of {', '.join(COLOR_BY)}, got {color_by!r}")
    store.shape(f"obsm/X_{basis}")  # a missing projection says which command makes it
    if color_by == "Lr":
        store.shape("obs/Lr")
    bases = [basis] + [b for b in BASES if b != basis and store.has(f"obsm/X_{b}")]
    decoded = resolve_decoded(store, decoded)
    n = len(store)
    rows = np.arange(n) if n <= max_points else np.sort(np.random.default_rng(seed).choice(n, max_points,
                                                                                           replace=False))
    arrays = _point_arrays(store, rows, bases)
    for name, key in (("orig", "strokes"), ("dec", decoded)):
        if key:
            table = _stored_table(store, rows, key)
            arrays[f"{name}_steps"], arrays[f"{name}_starts"] = table.steps, table.starts
            arrays[f"{name}_offsets"], arrays[f"{name}_ids"] = table.offsets, table.ids
    if store.has(f"uns/{NEIGHBORS_KEY}/indices"):
        arrays["neighbors"] = _neighbor_rows(store, rows)
    if color_by == "auto":
        color_by = "class" if len(set(arrays["label"].tolist()) - {-1}) > 1 else "length"
    meta = {
        "title": title or f"{store.path.name}: {basis.upper()} of " + (
            f"{len(rows):,} of {n:,} latent vectors (random sample)" if len(rows) < n else f"{n:,} latent vectors"),
        "store": store.path.name, "n_total": n, "n_shown": int(len(rows)),
        "sampled": len(rows) < n, "sample_seed": seed, "bases": bases, "bounds": {
            b: _bounds(np.column_stack([arrays[f"x_{b}"], arrays[f"y_{b}"]])) for b in bases},
        "classes": store.class_names, "palette": palette(len(store.class_names)), "splits": _split_order(store),
        "color_by": color_by, "has_lr": "lr" in arrays, "grid": GRID,
        "decoded": {"key": decoded.removeprefix("decoded/"), "attrs": store.params(decoded)} if decoded else None,
        "neighbors": store.params(NEIGHBORS_KEY) if "neighbors" in arrays else None,
        "provenance": _provenance(store, bases, decoded), "makers": page_makers(store.path.name),
    }
    return meta, arrays


def _split_order(store: LatentStore) -> list[str]:
    splits = _split_names(store)
    return sorted(set(splits), key=splits.index)


def _point_arrays(store: LatentStore, rows: np.ndarray, bases: list[str]) -> dict[str, np.ndarray]:
    """Per-point arrays of the shown ``rows``: coordinates of each basis, label, length, split, row, Lr."""
    arrays: dict[str, np.ndarray] = {}
    for b in bases:
        xy = store.read(f"obsm/X_{b}")[rows, :2].astype(np.float32)
        arrays[f"x_{b}"], arrays[f"y_{b}"] = xy[:, 0].copy(), xy[:, 1].copy()
    labels = store.read("obs/label")[rows]  # codes checked when the store opened
    arrays["label"] = labels.astype(np.int16 if len(store.class_names) < 32000 else np.int32)
    arrays["length"] = np.minimum(store.read("obs/length")[rows], 65535).astype(np.uint16)
    splits, order = _split_names(store), _split_order(store)
    arrays["split"] = np.array([order.index(s) for s in splits], np.uint8)[store.read("obs/source")[rows]] \
        if splits else np.zeros(len(rows), np.uint8)
    arrays["row"] = rows.astype(np.uint32)
    if store.has("obs/Lr"):
        arrays["lr"] = store.read("obs/Lr")[rows].astype(np.float32)
    return arrays


def _neighbor_rows(store: LatentStore, rows: np.ndarray) -> np.ndarray:
    """The stored neighbours of ``rows`` as positions among them (-1: a neighbour outside a sample)."""
    idx = store.read(f"uns/{NEIGHBORS_KEY}/indices")[rows]
    if len(rows) < len(store):
        where = np.full(len(store), -1, np.int64)
        where[rows] = np.arange(len(rows))
        idx = where[idx]
    return idx.astype(np.int32)


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
        The projection shown first, ``"umap"`` or ``"pca"``; the page switches to the other when stored.
    decoded
        The decoded group shown beside each original (``"tau0.1_js"`` or ``"decoded/tau0.1_js"``); default the
        newest cached decode; ``"none"`` for none.
    color_by
        ``"class"``, ``"length"``, ``"Lr"`` (needs ``obs/Lr``, see :func:`latentlab.tl.score`) or
        ``"auto"`` (class when there are several, else length).
    title
        The page's title (default: the store's name, projection and size).
    max_points
        Above this many sketches, show a random sample of this size (seeded by ``seed``); the page says so.
    n_neighbors
        Store each sketch's ``n_neighbors`` nearest (cosine on mu, :func:`latentlab.tl.neighbors`) first, unless
        that many are stored already; default: show the stored ones, if any.
    with_model
        Embed the model and the shown sketches' mu: the page then encodes drawings, finds their neighbours and
        decodes interpolations itself (``window.latentlab``; see :mod:`latentlab.model.inpage`).
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
    if n_neighbors and store.params(NEIGHBORS_KEY).get("n_neighbors") != n_neighbors:
        from latentlab.tl import neighbors

        neighbors(store, n_neighbors=n_neighbors, key_added=NEIGHBORS_KEY)
    meta, arrays = report_data(store, basis=basis, decoded=decoded, color_by=color_by, title=title,
                               max_points=max_points, seed=seed)
    meta["model"], model_blob = None, ""
    if with_model or model is not None:
        from latentlab.io.quickdraw import drawing_conversion
        from latentlab.model.inpage import model_arrays, mu_arrays

        loaded = store.model(model) if model is None or isinstance(model, (str, os.PathLike)) else model
        meta["model"], tensors = model_arrays(loaded, precision=model_precision)
        if tensors:
            arrays.update(mu_arrays(store.read("obsm/mu")[arrays["row"]]))
            sample = np.random.default_rng(seed).choice(arrays["row"], min(400, len(arrays["row"])), replace=False)
            meta["model"]["drawing"] = drawing_conversion(store.sketches(np.sort(sample).tolist()))
            model_blob, meta["model"]["arrays"] = pack(tensors)
    blob, header = pack(arrays)
    del arrays  # the page is made from the packed copy: the arrays are not held beside it
    meta["arrays"] = header
    meta["created"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    return write_text(out, render_page(meta, blob, model_blob))


def _figure(color_by: str):
    """The bokeh map; explorer.js fills its sources and wires the page to it by the models' names."""
    from bokeh.models import (ColorBar, ColumnDataSource, CustomJS, HoverTool, LinearColorMapper, Range1d)
    from bokeh.palettes import Viridis256
    from bokeh.plotting import figure

    fig = figure(name="ll-map", output_backend="webgl", sizing_mode="stretch_both", min_border=8,
                 tools="pan,wheel_zoom,box_select,lasso_select,reset", active_scroll="wheel_zoom",
                 active_drag="pan", toolbar_location="above", x_range=Range1d(0, 1), y_range=Range1d(0, 1))
    fig.axis.visible = False
    fig.grid.visible = False
    fig.outline_line_color = "#ddd"
    empty = np.zeros(0, np.float32)
    points = ColumnDataSource({"x": empty, "y": empty, "c": empty, "a": empty}, name="ll-points")
    mapper = LinearColorMapper(palette=Viridis256, low=0, high=1, name="ll-mapper")
    scatter = fig.scatter("x", "y", source=points, size=6, line_color=None, fill_alpha="a",
                          fill_color={"field": "c", "transform": mapper}, name="ll-scatter")
    edges = ColumnDataSource({"x0": [], "y0": [], "x1": [], "y1": [], "color": []}, name="ll-edges")
    fig.segment("x0", "y0", "x1", "y1", source=edges, line_color="color", line_width=1.5, line_alpha=0.8)
    marks = ColumnDataSource({"x": [], "y": [], "color": [], "size": []}, name="ll-marks")
    fig.scatter("x", "y", source=marks, size="size", fill_color=None, line_color="color", line_width=2.5)
    fig.add_layout(ColorBar(color_mapper=mapper, name="ll-colorbar", visible=color_by != "class", width=10, title=""),
                   "right")  # visible from the start: the frame keeps its size when the page starts
    hook = "const h = window.latentlab && window.latentlab.hooks; if (h && h.{0}) h.{0}(cb_obj, cb_data);"
    fig.add_tools(HoverTool(renderers=[scatter], tooltips=None, callback=CustomJS(code=hook.format("hover"))))
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

    script, div = components(_figure(meta["color_by"]))
    bokeh_js = Resources(mode="inline", components=["bokeh", "bokeh-gl"]).render_js()
    assets = files("latentlab.pl") / "explorer"
    template = (assets / "explorer.html").read_text()
    parts = {
        "TITLE": html.escape(meta["title"]), "CSS": (assets / "explorer.css").read_text(),
        "BOKEH_JS": bokeh_js, "BOKEH_SCRIPT": script, "BOKEH_DIV": div, "META": script_json(meta),
        "DATA": blob, "MODEL": model_blob,
        "EXPLORER_JS": "\n".join((assets / name).read_text() for name in EXPLORER_JS),
        "MODEL_JS": (assets / "sketchrnn.js").read_text() if meta.get("model") else "",
        "INPAGE_JS": (assets / "inpage.js").read_text() if meta.get("model") else "",
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)  # one pass: inserted text stays as is

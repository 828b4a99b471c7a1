"""The map of a store as a bokeh figure for notebooks, as umap.plot's interactive plots: hover a point for its
sketch and its decode (the design's "hover thumbnails of decoded sketches"); ``bokeh.io.show`` draws it inline."""
from __future__ import annotations

import base64

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.pl.draw import to_svg
from latentlab.pl.embedding import basis_key
from latentlab.store import LatentStore

MAX_POINTS = 20_000  # points drawn at most (a seeded sample): each carries its sketches as small SVGs
THUMB = 96
_TOOLTIP = """<div style="display:flex;gap:6px;align-items:flex-start">
<figure style="margin:0;text-align:center"><img src="@orig" width="{t}" height="{t}" style="border:1px solid #ddd">
<figcaption style="font-size:10px">original</figcaption></figure>{decoded}</div>
<div style="font-size:11px">row @row{{0}} · @name</div>"""
_DECODED = """<figure style="margin:0;text-align:center"><img src="@dec" width="{t}" height="{t}"
style="border:1px solid #ddd"><figcaption style="font-size:10px">{caption}</figcaption></figure>"""


def _uri(sketch: np.ndarray) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(sketch, THUMB, 1.6).encode()).decode("ascii")


def scatter(store: LatentStore, *, basis: str = "umap", color: str = "label", decoded: str | None = "auto",
            max_points: int = MAX_POINTS, random_state: int = 0, width: int = 640, height: int = 520):
    """A bokeh figure of ``store`` on a stored projection, coloured by an obs column; hovering a point shows its
    sketch and, when the store has one, its decode.

    Parameters
    ----------
    store
        A latent store with the projection.
    basis
        ``"umap"``, ``"pca"`` or any 2-column obsm key.
    color
        A categorical obs column (``"label"``, ``"leiden"``): a colour per category.
    decoded
        A cached decode (``"decoded/tau0.1"``), ``"auto"`` (the first the store has) or None.
    max_points
        Points drawn at most (a seeded sample above).
    random_state
        Seed of the sample.
    width, height
        The figure's size in px.

    Returns
    -------
    A ``bokeh.plotting.figure``.
    """
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    key = basis_key(store, basis)
    if not store.has(key):
        from latentlab.store.keys import missing

        raise LatentlabValueError(missing(str(store.path), key))
    if not store.has(f"obs/{color}/categories"):
        raise LatentlabValueError(f"{store.path}: obs/{color} is not a categorical column (use label, leiden...)")
    if decoded == "auto":
        decoded = next((f"decoded/{k}" for k in store.keys("decoded")), None)
    n = len(store)
    rows = np.arange(n) if n <= max_points else np.sort(np.random.default_rng(random_state).choice(
        n, max_points, replace=False))
    xy = store.read(key)[rows, :2]
    codes, names = store.read(f"obs/{color}")[rows], store.strings(f"obs/{color}/categories")
    from latentlab.explorer.pagedata import palette

    colors = np.array(palette(len(names)) + ["#bbbbbb"])[np.where(codes >= 0, codes, len(names))]
    data = {"x": xy[:, 0], "y": xy[:, 1], "row": rows, "color": colors,
            "name": [names[c] if c >= 0 else "" for c in codes],
            "orig": [_uri(s) for s in store.sketches(rows.tolist())]}
    if decoded:
        data["dec"] = [_uri(s) for s in store.sketches(rows.tolist(), key=decoded)]
    fig = figure(width=width, height=height, tools="pan,wheel_zoom,box_zoom,reset",
                 title=f"{store.path.name}: {key.removeprefix('obsm/')} of {len(rows):,}"
                       + (f" of {n:,} (random sample)" if len(rows) < n else "") + f" sketches, by {color}")
    points = fig.scatter("x", "y", source=ColumnDataSource(data), color="color", size=5 if n > 2000 else 7,
                         alpha=0.8, name="points")
    caption = decoded.removeprefix("decoded/") if decoded else ""
    tooltip = _TOOLTIP.format(t=THUMB, decoded=_DECODED.format(t=THUMB, caption=f"decoded {caption}")
                              if decoded else "")
    fig.add_tools(HoverTool(renderers=[points], tooltips=tooltip))
    fig.xaxis.visible = fig.yaxis.visible = False
    fig.grid.visible = False
    return fig

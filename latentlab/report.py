"""Interactive scatter reports: bokeh plots of a projection with hover thumbnails, saved as one HTML file.

The HTML embeds bokeh's JavaScript (no CDN), so a report opens offline and can be shared as a single file.
"""
from __future__ import annotations

import base64
import colorsys
import html
import os
from pathlib import Path

import numpy as np

from latentlab.atomic import write_text
from latentlab.draw import to_svg
from latentlab.errors import LatentlabError
from latentlab.store import PROVENANCE, LatentStore

BASES = {"umap": "obsm/X_umap", "pca": "obsm/X_pca"}
HINTS = {"umap": "latentlab project {path} --method umap", "pca": "latentlab project {path} --method pca"}


def svg_uri(sketch: np.ndarray, size: int = 96) -> str:
    """A sketch as a ``data:image/svg+xml`` URI (what the hover tooltips show)."""
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(sketch, size).encode()).decode()


def palette(n: int) -> list[str]:
    """``n`` distinct colours, evenly spaced in hue (enough for hundreds of classes)."""
    out = []
    for i in range(max(n, 1)):
        r, g, b = colorsys.hsv_to_rgb((i * 0.618034) % 1.0, 0.75, 0.85 - 0.25 * (i % 3) / 2)
        out.append(f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}")
    return out


def scatter_figure(store: LatentStore, basis: str = "umap", decoded: str | None = None, title: str | None = None,
                   max_points: int | None = None, seed: int = 0):
    """A bokeh figure of ``obsm/X_<basis>``, coloured by class, hovering shows original (and decoded) sketch."""
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    if basis not in BASES:
        raise LatentlabError(f"basis must be one of {', '.join(BASES)}")
    coords = store.read(BASES[basis], hint=HINTS[basis].format(path=store.path))
    n = len(coords)
    rows = np.arange(n)
    if max_points and n > max_points:
        rows = np.sort(np.random.default_rng(seed).choice(n, max_points, replace=False))
    originals = store.sketches(rows.tolist())
    labels = store.label_names()
    names = [labels[i] or "(no label)" for i in rows]
    classes = sorted(set(names))
    lengths = np.array([len(s) for s in originals])
    if len(classes) > 1:
        colours = dict(zip(classes, palette(len(classes))))
        point_colours = [colours[c] for c in names]
        colour_note = "colour: class"
    else:  # one class: colour by sketch length instead (viridis, short = dark)
        from matplotlib import colormaps
        from matplotlib.colors import to_hex

        span = max(int(np.ptp(lengths)), 1)
        point_colours = [to_hex(colormaps["viridis"]((k - lengths.min()) / span)) for k in lengths]
        colour_note = f"colour: sketch length ({lengths.min()} dark to {lengths.max()} points yellow)"
    data = {"x": coords[rows, 0], "y": coords[rows, 1], "row": rows, "label": names,
            "color": point_colours, "thumb": [svg_uri(s) for s in originals], "length": lengths}
    tooltip = ('<div style="width:210px"><b>@label</b> #@row (@length points)<br>'
               '<img src="@thumb" width="96" height="96" style="border:1px solid #ddd"/>')
    if decoded:
        data["decoded"] = [svg_uri(s) for s in store.sketches(rows.tolist(), key=decoded)]
        tooltip += '<img src="@decoded" width="96" height="96" style="border:1px solid #ddd"/><br>original / decoded'
    tooltip += "</div>"
    fig = figure(title=f"{title or f'{store.path.name}: {basis.upper()} of {n} latent vectors'} ({colour_note})",
                 width=900, height=700, tools="pan,wheel_zoom,box_zoom,reset,save",
                 active_scroll="wheel_zoom", x_axis_label=f"{basis}1", y_axis_label=f"{basis}2")
    source = ColumnDataSource(data)
    legend = {"legend_field": "label"} if 1 < len(classes) <= 20 else {}
    renderer = fig.scatter("x", "y", source=source, size=7, color="color", alpha=0.75, **legend)
    # limit=1: in a dense cluster show the nearest sketch, not a stack of every point under the cursor
    fig.add_tools(HoverTool(renderers=[renderer], tooltips=tooltip, limit=1))
    if legend:
        fig.legend.click_policy = "hide"
        fig.legend.label_text_font_size = "8pt"
    return fig


def write_report(store: LatentStore, out: str | os.PathLike, basis: str = "umap", decoded: str | None = None,
                 title: str | None = None, max_points: int | None = 20000) -> Path:
    """Save the scatter as a self-contained HTML report, with the store's provenance listed under it."""
    from bokeh.embed import file_html
    from bokeh.layouts import column
    from bokeh.models import Div
    from bokeh.resources import INLINE

    fig = scatter_figure(store, basis, decoded, title, max_points)
    keys = PROVENANCE + ("created",)
    params = store.key_attrs(BASES[basis])
    rows = "".join(f"<tr><td>{k}</td><td>{html.escape(str(store.attrs.get(k, '')))}</td></tr>" for k in keys)
    rows += f"<tr><td>{basis}</td><td>{html.escape(str(params))}</td></tr>"
    info = Div(text=f"<table style='font-size:11px'>{rows}</table>", width=900)
    page = file_html(column(fig, info), INLINE, title=fig.title.text)
    return write_text(out, page)

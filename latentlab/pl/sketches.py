"""Sketches as bokeh figures for notebooks (``bokeh.io.show`` draws them inline; ``bokeh.io.save`` writes them as
HTML): :func:`grid`, rows of sketches with their captions, and :func:`strip`, one row, e.g. an interpolation
strip of :func:`latentlab.tl.strip`. Hovering a sketch names it. Their matplotlib twins, for PNG files, are
:mod:`latentlab.pl.draw`'s."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.io.strokes import bounds, to_polylines

PAD = 0.08  # of a cell, around each sketch
CAPTION_PX = 18  # under each sketch


def _cell_lines(sketch: np.ndarray, col: int, top: float) -> list[np.ndarray]:
    """The sketch's strokes fitted (aspect kept) into the unit cell from x = ``col`` and y = ``top`` down."""
    x0, x1, y0, y1 = bounds(sketch)
    scale = (1 - 2 * PAD) / max(x1 - x0, y1 - y0, 1e-9)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [np.column_stack([col + 0.5 + (p[:, 0] - cx) * scale, top - 0.5 - (p[:, 1] - cy) * scale])
            for p in to_polylines(sketch)]


def _short(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars - 1] + "\u2026"


def grid(sketches: Sequence[np.ndarray], *, captions: Sequence[str] | None = None, ncols: int = 8,
         cell: int = 110, title: str | None = None, line_width: float = 1.5):
    """A bokeh figure of ``sketches`` in rows of ``ncols``, each fitted into its own cell with its caption under it.

    Parameters
    ----------
    sketches
        Stroke-3 arrays.
    captions
        One caption a sketch (shown under it, cut to fit, and in full on hover); default their numbers.
    ncols
        Sketches a row.
    cell
        Pixels a sketch's cell is wide and high.
    title
        The figure's title.
    line_width
        The strokes' width in px.

    Returns
    -------
    A ``bokeh.plotting.figure``.
    """
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    if not len(sketches):
        raise LatentlabValueError("no sketches to draw")
    captions = [str(c) for c in captions] if captions is not None else [str(k) for k in range(len(sketches))]
    if len(captions) != len(sketches):
        raise LatentlabValueError(f"{len(captions)} captions for {len(sketches)} sketches")
    ncols = max(1, min(ncols, len(sketches)))
    nrows = -(-len(sketches) // ncols)
    row_h = 1 + CAPTION_PX / cell  # a row: the sketch's unit cell, then its caption
    lines = {"xs": [], "ys": [], "caption": []}
    for k, sketch in enumerate(sketches):
        for p in _cell_lines(np.asarray(sketch), k % ncols, -(k // ncols) * row_h):
            lines["xs"].append(p[:, 0].astype(np.float32))  # half the bytes in a notebook's output
            lines["ys"].append(p[:, 1].astype(np.float32))
            lines["caption"].append(captions[k])
    text = {"x": [k % ncols + 0.5 for k in range(len(sketches))],
            "y": [-(k // ncols) * row_h - 1 for k in range(len(sketches))],
            "caption": [_short(c, cell // 6) for c in captions]}
    fig = figure(width=ncols * cell, height=round(nrows * row_h * cell) + (30 if title else 0), title=title,
                 x_range=(0, ncols), y_range=(-nrows * row_h, 0), tools="save", toolbar_location=None,
                 min_border=0)
    strokes = fig.multi_line("xs", "ys", source=ColumnDataSource(lines), line_color="#222", line_width=line_width)
    fig.text("x", "y", text="caption", source=ColumnDataSource(text), text_align="center", text_baseline="top",
             text_font_size="11px", text_color="#555")
    fig.add_tools(HoverTool(renderers=[strokes], tooltips="@caption"))
    fig.axis.visible = False
    fig.grid.visible = False
    fig.outline_line_color = None
    return fig


def strip(sketches: Sequence[np.ndarray], *, captions: Sequence[str] | None = None, cell: int = 110,
          title: str | None = None):
    """A bokeh figure of ``sketches`` in one row: an interpolation strip (``t, s = tl.strip(...)``;
    ``pl.strip(s, captions=[f"{x:.2f}" for x in t])``) or any sequence; parameters as :func:`grid`'s.

    Parameters
    ----------
    sketches
        Stroke-3 arrays, left to right.
    captions, cell, title
        As for :func:`grid`.
    """
    return grid(sketches, captions=captions, ncols=len(sketches), cell=cell, title=title)

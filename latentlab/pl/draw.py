"""Drawing sketches: matplotlib paths, grids, SVG thumbnails, PNG files and animations.

Coordinates follow the original notebook: absolute points are the cumulative
sum of the offsets divided by ``factor``, each pen lift starts a new subpath
(``MOVETO``), and the y axis points down as on the drawing canvas.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import matplotlib.pyplot as plt  # the user's backend: headless machines get Agg by themselves
import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from latentlab.atomic import atomic_path, output_path
from latentlab.io.strokes import to_polylines


def sketch_path(sketch: np.ndarray, factor: float = 1.0) -> MplPath:
    """stroke-3 -> matplotlib ``Path``; every stroke after a pen lift begins with ``MOVETO``.

    Parameters
    ----------
    sketch
        Stroke-3.
    factor
        Scale applied to the offsets.
    """
    vertices, codes = [], []
    for line in to_polylines(sketch, factor):
        vertices.append(line)
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(line) - 1)
    if not vertices:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.concatenate(vertices), codes)


def _frame(ax: plt.Axes, sketch: np.ndarray, factor: float, pad: float = 0.05) -> None:
    path = sketch_path(sketch, factor)
    if len(path.vertices):
        (x0, y0), (x1, y1) = path.vertices.min(0), path.vertices.max(0)
    else:
        x0 = y0 = 0.0
        x1 = y1 = 1.0
    side = max(x1 - x0, y1 - y0, 1e-6) * (1 + 2 * pad)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - side / 2, cx + side / 2)
    ax.set_ylim(cy + side / 2, cy - side / 2)  # y down, as on the canvas
    ax.set_aspect("equal")
    ax.axis("off")


def draw(sketch: np.ndarray, ax: plt.Axes | None = None, factor: float = 1.0, color: str = "black",
         linewidth: float = 1.5, title: str | None = None) -> plt.Axes:
    """Draw one stroke-3 sketch, framed and y-down as on the drawing canvas.

    Parameters
    ----------
    sketch
        Stroke-3 (n, 3).
    ax
        Axes to draw on (default: a new figure's).
    factor
        Divide coordinates by this (e.g. a model's scale factor).
    color, linewidth
        Stroke style.
    title
        Axes title.

    Returns
    -------
    The axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(3, 3))
    ax.add_patch(PathPatch(sketch_path(sketch, factor), fill=False, edgecolor=color, linewidth=linewidth,
                           capstyle="round", joinstyle="round"))
    _frame(ax, sketch, factor)
    if title:
        ax.set_title(title, fontsize=8)
    return ax


def grid(sketches: Sequence[np.ndarray], captions: Sequence[str] | None = None, ncols: int = 8,
         cell: float = 1.6, factor: float = 1.0, title: str | None = None) -> plt.Figure:
    """A figure of sketches in rows of ``ncols``.

    Parameters
    ----------
    sketches
        Stroke-3 arrays (None: an empty cell).
    captions
        One caption under each sketch.
    ncols
        Sketches per row.
    cell
        Inches per sketch.
    factor
        Divide coordinates by this.
    title
        Figure title.

    Returns
    -------
    The matplotlib figure (``save_png`` writes and closes it).
    """
    n = max(len(sketches), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(cell * ncols, cell * nrows + (0.4 if title else 0)),
                             squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        if i < len(sketches) and sketches[i] is not None:
            draw(sketches[i], ax, factor=factor, title=captions[i] if captions else None, linewidth=1.0)
        else:
            ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.4 / fig.get_figheight()) if title else None)
    return fig


def save_png(fig: plt.Figure, path: str | os.PathLike, dpi: int = 100) -> Path:
    """Save a figure as PNG atomically and close it.

    Parameters
    ----------
    fig
        The figure.
    path
        The ``.png`` file.
    dpi
        Resolution.

    Returns
    -------
    The path written.
    """
    try:
        path = output_path(path, (".png",), "PNG figure")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi, format=path.suffix.lstrip(".") or "png", facecolor="white")
    finally:
        plt.close(fig)
    return path


def to_svg(sketch: np.ndarray, size: int = 96, stroke_width: float = 2.0, color: str = "black",
           factor: float = 1.0) -> str:
    """A standalone SVG of one sketch, scaled into a ``size`` x ``size`` box.

    Parameters
    ----------
    sketch
        Stroke-3 (n, 3).
    size
        Box side in px.
    stroke_width, color
        Stroke style.
    factor
        Divide coordinates by this.

    Returns
    -------
    The SVG text.
    """
    lines = to_polylines(sketch, factor)
    if lines:
        pts = np.concatenate(lines)
        lo, hi = pts.min(0), pts.max(0)
    else:
        lo, hi = np.zeros(2), np.ones(2)
    margin = stroke_width * 2
    scale = (size - 2 * margin) / max(float((hi - lo).max()), 1e-6)
    offset = margin + ((size - 2 * margin) - (hi - lo) * scale) / 2
    d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (line - lo) * scale + offset) for line in lines)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {size} {size}"><path d="{d}" fill="none" stroke="{color}" '
            f'stroke-width="{stroke_width}" stroke-linecap="round" stroke-linejoin="round"/></svg>')


def save_strip_svg(sketches: Sequence[np.ndarray], path: str | os.PathLike, size: int = 100) -> Path:
    """Sketches side by side in one SVG file (``size`` px each), written atomically.

    Parameters
    ----------
    sketches
        Stroke-3 sketches.
    path
        The ``.svg`` to write.
    size
        Pixels a sketch.
    """
    from latentlab.atomic import write_text

    cells = "".join(f'<g transform="translate({k * size},0)">{to_svg(s, size)}</g>' for k, s in enumerate(sketches))
    return write_text(path, f'<svg xmlns="http://www.w3.org/2000/svg" width="{size * len(sketches)}" '
                            f'height="{size}">{cells}</svg>')


def animate(sketches: Sequence[np.ndarray], titles: Sequence[str] = ("original", "reconstruction"),
            interval: int = 40, factor: float = 1.0) -> FuncAnimation:
    """Side-by-side stroke-by-stroke animation: frame ``k`` shows the first ``k`` points of each sketch.

    Parameters
    ----------
    sketches
        Stroke-3 arrays, one panel each.
    titles
        Panel titles.
    interval
        Milliseconds between frames.
    factor
        Divide coordinates by this.

    Returns
    -------
    A matplotlib ``FuncAnimation`` (``save_animation`` writes it).
    """
    fig, axes = plt.subplots(1, len(sketches), figsize=(3 * len(sketches), 3), squeeze=False)
    axes = axes[0]
    patches = []
    for ax, sketch, title in zip(axes, sketches, titles):
        _frame(ax, sketch, factor)
        ax.set_title(title, fontsize=9)
        patch = PathPatch(MplPath(np.zeros((1, 2))), fill=False, linewidth=1.5, capstyle="round")
        ax.add_patch(patch)
        patches.append(patch)
    frames = max(len(s) for s in sketches) + 1

    def update(k: int):
        for patch, sketch in zip(patches, sketches):
            patch.set_path(sketch_path(sketch[:k], factor) if k else MplPath(np.zeros((1, 2))))
        return patches

    anim = FuncAnimation(fig, update, frames=frames, interval=interval, blit=False)
    plt.close(fig)
    return anim


def save_animation(anim: FuncAnimation, path: str | os.PathLike, fps: int = 25) -> Path:
    """Save an animation as ``.gif`` (Pillow) or ``.html`` (self-contained JS player), atomically.

    Parameters
    ----------
    anim
        From :func:`animate`.
    path
        ``.gif``, ``.html`` or ``.htm``.
    fps
        Frames per second.

    Returns
    -------
    The path written.
    """
    path = output_path(path, (".gif", ".html", ".htm"), "animation")
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".gif":
            anim.save(tmp, writer=PillowWriter(fps=fps))
        else:
            tmp.write_text(f"<!doctype html><meta charset='utf-8'><body>{anim.to_jshtml(fps=fps)}</body>")
    return path

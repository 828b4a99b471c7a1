"""Sketches as ink masks and the chamfer distance between them: the raster measures of :mod:`latentlab.eval`."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw
from scipy.ndimage import distance_transform_edt

from latentlab.io.strokes import to_polylines

RASTER = 64


def rasterize(sketch: np.ndarray, size: int = RASTER) -> np.ndarray:
    """Ink mask of a sketch scaled to fit a ``size`` square (aspect kept), for shape comparisons.

    Parameters
    ----------
    sketch
        Stroke-3 (n, 3).
    size
        Side of the square in pixels.

    Returns
    -------
    (size, size) bool ink mask.
    """
    lines = to_polylines(sketch)
    img = Image.new("L", (size, size), 0)
    if lines:
        pts = np.concatenate(lines)
        lo, extent = pts.min(0), max(float((pts.max(0) - pts.min(0)).max()), 1e-6)
        draw = ImageDraw.Draw(img)
        for line in lines:
            xy = [tuple(p) for p in (line - lo) / extent * (size - 3) + 1]
            draw.line(xy if len(xy) > 1 else xy * 2, fill=255, width=2)
    return np.asarray(img) > 0


def chamfer_matrix(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> np.ndarray:
    """Symmetric chamfer distance (pixels) between every ink mask of ``a`` and every one of ``b``.

    Entry (i, j) is the mean of: the distance from each ink pixel of a[i] to the nearest
    ink of b[j], and the other way round.  Two matrix products, so all pairs are cheap.
    An empty mask is ``RASTER`` pixels from everything.

    Parameters
    ----------
    a, b
        Ink masks from :func:`rasterize`.

    Returns
    -------
    (len(a), len(b)) float distances in pixels.
    """
    def flat(masks):
        ink = np.stack(masks).reshape(len(masks), -1).astype(np.float64)
        dist = np.stack([distance_transform_edt(~m) if m.any() else np.zeros(m.shape) for m in masks])
        return ink, dist.reshape(len(masks), -1), ink.sum(1)

    ink_a, dist_a, n_a = flat(a)
    ink_b, dist_b, n_b = flat(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = ((ink_a @ dist_b.T) / n_a[:, None] + (dist_a @ ink_b.T) / n_b[None, :]) / 2
    out[(n_a == 0)[:, None] | (n_b == 0)[None, :]] = RASTER
    return out

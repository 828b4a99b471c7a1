"""Stroke formats and their conversions.

* stroke-3: ``(n, 3)`` rows of ``(dx, dy, pen_lifted)``; ``pen_lifted=1`` means the
  pen leaves the paper *after* this point (magenta's convention).
* stroke-5: magenta's "big strokes" ``(dx, dy, p1, p2, p3)`` with one-hot pen
  states (down, up, end of sketch), padded with ``(0, 0, 0, 0, 1)`` rows.
* polylines: a list of ``(k, 2)`` absolute point arrays, one per pen-down stroke.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from latentlab.errors import LatentlabError


def to_stroke5(sketch: np.ndarray, max_len: int) -> np.ndarray:
    """stroke-3 -> stroke-5 padded to ``max_len`` rows (magenta's ``to_big_strokes``).

    Parameters
    ----------
    sketch
        Stroke-3 (n, 3).
    max_len
        Rows of the result.

    Returns
    -------
    (max_len, 5) float32.
    """
    sketch = np.asarray(sketch)
    n = len(sketch)
    if n > max_len:
        raise LatentlabError(f"sketch has {n} points, more than max_len={max_len}")
    out = np.zeros((max_len, 5), dtype=np.float32)
    out[:n, :2] = sketch[:, :2]
    out[:n, 3] = sketch[:, 2]
    out[:n, 2] = 1 - sketch[:, 2]
    out[n:, 4] = 1
    return out


def from_stroke5(big: np.ndarray) -> np.ndarray:
    """stroke-5 -> stroke-3, stopping at the first end-of-sketch row (``to_normal_strokes``).

    Parameters
    ----------
    big
        Stroke-5 (m, 5).

    Returns
    -------
    Stroke-3 (n, 3) float32.
    """
    big = np.asarray(big)
    ends = np.flatnonzero(big[:, 4] > 0)
    n = int(ends[0]) if len(ends) else len(big)
    out = np.zeros((n, 3), dtype=np.float32)
    out[:, :2] = big[:n, :2]
    out[:, 2] = big[:n, 3]
    return out


def pad_batch(sketches: Sequence[np.ndarray], max_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Batch of stroke-3 -> ``(batch, max_len + 1, 5)`` with magenta's start token, and lengths.

    Same layout as magenta's ``DataLoader.pad_batch``: row 0 is ``(0, 0, 1, 0, 0)``,
    rows ``1..n`` the sketch, then end-of-sketch padding.

    Parameters
    ----------
    sketches
        Stroke-3 arrays, each at most ``max_len`` long.
    max_len
        Steps after the start token.

    Returns
    -------
    data, lengths
        (batch, max_len + 1, 5) float32 and (batch,) int32.
    """
    out = np.zeros((len(sketches), max_len + 1, 5), dtype=np.float32)
    lengths = np.zeros(len(sketches), dtype=np.int32)
    for i, sketch in enumerate(sketches):
        out[i, 1:] = to_stroke5(sketch, max_len)
        lengths[i] = len(sketch)
    out[:, 0, 2] = 1
    return out, lengths


def to_polylines(sketch: np.ndarray, factor: float = 1.0) -> list[np.ndarray]:
    """stroke-3 -> absolute polylines (cumulative sum / ``factor``), split at pen lifts.

    Parameters
    ----------
    sketch
        Stroke-3 (n, 3).
    factor
        Divide coordinates by this.

    Returns
    -------
    One (k, 2) array of absolute points per stroke.
    """
    sketch = np.asarray(sketch, dtype=np.float64)
    if len(sketch) == 0:
        return []
    points = np.cumsum(sketch[:, :2], axis=0) / factor
    cuts = np.flatnonzero(sketch[:, 2] > 0) + 1
    return [p for p in np.split(points, cuts) if len(p)]


def from_polylines(lines: Sequence[np.ndarray]) -> np.ndarray:
    """Absolute polylines -> stroke-3 (first offset measured from the origin).

    Parameters
    ----------
    lines
        Polylines (k, 2) of absolute points.

    Returns
    -------
    Stroke-3 (n, 3) float32.
    """
    lines = [np.asarray(line, dtype=np.float64).reshape(-1, 2) for line in lines if len(line)]
    if not lines:
        return np.zeros((0, 3), dtype=np.float32)
    points = np.concatenate(lines)
    pen = np.zeros(len(points))
    pen[np.cumsum([len(line) for line in lines]) - 1] = 1
    deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2)))
    return np.column_stack([deltas, pen]).astype(np.float32)


def bounds(sketch: np.ndarray, factor: float = 1.0) -> tuple[float, float, float, float]:
    """``(min_x, max_x, min_y, max_y)`` of the absolute points, the origin included as magenta does; parameters
    as for :func:`to_polylines`.

    Parameters
    ----------
    sketch
        Stroke-3.
    factor
        Scale applied to the offsets first.
    """
    points = np.cumsum(np.asarray(sketch, dtype=np.float64)[:, :2], axis=0) / factor
    points = np.vstack([np.zeros((1, 2)), points])
    return (float(points[:, 0].min()), float(points[:, 0].max()),
            float(points[:, 1].min()), float(points[:, 1].max()))


def scale_factor(sketches: Sequence[np.ndarray]) -> float:
    """Magenta's normalising scale factor: the std of every dx and dy of a split.

    Parameters
    ----------
    sketches
        Stroke-3 arrays.

    Returns
    -------
    The factor (a float).
    """
    deltas = np.concatenate([np.asarray(s, dtype=np.float64)[:, :2].ravel() for s in sketches])
    return float(np.std(deltas))


def rdp_mask(points: np.ndarray, epsilon: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: a boolean mask of the points of one polyline to keep.

    A mask (not the points) so that per-point data such as timings can follow.
    Iterative, vectorised per segment.

    Parameters
    ----------
    points
        (n, 2) points of one polyline.
    epsilon
        Largest distance of a dropped point from the simplified line.

    Returns
    -------
    (n,) bool, True for the points kept (always both ends).
    """
    points = np.asarray(points, dtype=np.float64)
    n = len(points)
    keep = np.zeros(n, dtype=bool)
    keep[[0, n - 1]] = True
    stack = [(0, n - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        a, b = points[start], points[end]
        inner = points[start + 1:end]
        ab = b - a
        norm = np.hypot(*ab)
        if norm == 0:
            dist = np.hypot(*(inner - a).T)
        else:
            dist = np.abs(ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])) / norm
        i = int(np.argmax(dist))
        if dist[i] > epsilon:
            mid = start + 1 + i
            keep[mid] = True
            stack += [(start, mid), (mid, end)]
    return keep

"""Sketches packed for the explorer page: strokes on an integer lattice (int8 steps), repeated sketches stored
once, computed a chunk at a time so that memory stays near the table's own size."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from latentlab.errors import LatentlabValueError

GRID = 127  # lattice steps over a sketch's larger side: int8 steps, < 1 px off in the 256 px inspector


@dataclass
class SketchTable:
    """Quantised sketches for the page: identical ones stored once.

    ``steps`` (P, 2) int8 lattice steps, the first of each sketch from the origin;
    ``starts`` (P,) uint8, 1 where a stroke begins; sketch ``j`` of the table is
    ``steps[offsets[j]:offsets[j+1]]``; input sketch ``i`` is table row ``ids[i]``.
    """

    steps: np.ndarray
    starts: np.ndarray
    offsets: np.ndarray
    ids: np.ndarray


def _lattice(sketches: Sequence[np.ndarray], grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sketches -> (int8 lattice steps, uint8 stroke starts, points kept per sketch), vectorised over all points."""
    n = len(sketches)
    lengths = np.array([len(s) for s in sketches], np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    pts = (np.concatenate([np.asarray(s, np.float64).reshape(-1, 3) for s in sketches]) if offsets[-1]
           else np.zeros((0, 3)))
    sid = np.repeat(np.arange(n), lengths)
    first = offsets[:-1][lengths > 0]
    cum = np.cumsum(pts[:, :2], axis=0)
    xy = cum - np.vstack([np.zeros((1, 2)), cum])[offsets[:-1]][sid]  # absolute points, per sketch
    lo = np.zeros((n, 2))
    span = np.ones(n)
    if len(first):
        lo[lengths > 0] = np.minimum.reduceat(xy, first)
        span[lengths > 0] = np.maximum((np.maximum.reduceat(xy, first) - lo[lengths > 0]).max(1), 1e-9)
    if not np.all(np.isfinite(xy)):
        raise LatentlabValueError("sketches hold NaN or infinite coordinates")
    q = np.rint((xy - lo[sid]) / span[sid, None] * grid).astype(np.int16)
    start = np.ones(len(pts), bool)
    start[1:] = pts[:-1, 2] > 0.5  # the point after a pen lift begins a stroke
    start[first] = True
    same = np.zeros(len(pts), bool)
    same[1:] = np.all(q[1:] == q[:-1], axis=1)
    keep = ~(same & ~start)  # a repeated point inside a stroke draws nothing
    q, start, sid = q[keep], start[keep], sid[keep]
    kept = np.bincount(sid, minlength=n)
    bounds = np.concatenate([[0], np.cumsum(kept)])
    prev = np.vstack([np.zeros((1, 2), np.int16), q[:-1]])
    prev[bounds[:-1][kept > 0]] = 0  # each sketch's first step is from the origin
    return (q - prev).astype(np.int8), start.astype(np.uint8), kept


def quantise(sketches: Sequence[np.ndarray], grid: int = GRID, chunk: int = 4096) -> SketchTable:
    """Stroke-3 sketches -> a :class:`SketchTable` on a ``grid`` lattice (vectorised, ``chunk`` sketches at a time
    so that memory stays a few times the strokes' own).

    Parameters
    ----------
    sketches
        Stroke-3 arrays.
    grid
        Lattice steps over a sketch's larger side (1..127).
    chunk
        Sketches quantised together.

    Returns
    -------
    A :class:`SketchTable`.
    """
    return quantise_chunks((sketches[a:a + chunk] for a in range(0, len(sketches), chunk)), grid)


def quantise_chunks(chunks: Iterable[Sequence[np.ndarray]], grid: int = GRID) -> SketchTable:
    """:func:`quantise` over sketches that come a chunk at a time (e.g. :meth:`LatentStore.iter_sketches`): only
    one chunk's points are in memory beside the table.

    Parameters
    ----------
    chunks
        Lists of stroke-3 sketches.
    grid
        Lattice points over a sketch's larger side.
    """
    if not 1 <= grid <= 127:
        raise LatentlabValueError(f"grid must be in 1..127 (int8 steps), got {grid}")
    seen: dict[bytes, int] = {}  # a sketch's 128-bit digest -> its table row
    ids: list[int] = []
    steps, starts, sizes = [np.zeros((0, 2), np.int8)], [np.zeros(0, np.uint8)], [np.zeros(0, np.int64)]
    for chunk in chunks:
        st, sa, kept = _lattice(chunk, grid)
        bounds = np.concatenate([[0], np.cumsum(kept)])
        new = np.zeros(len(kept), bool)
        for i in range(len(kept)):
            a, b = bounds[i], bounds[i + 1]
            key = hashlib.blake2b(st[a:b].tobytes() + sa[a:b].tobytes(), digest_size=16).digest()
            rows = len(seen)
            ids.append(seen.setdefault(key, rows))
            new[i] = ids[-1] == rows  # seen for the first time
        points = np.repeat(new, kept)  # a mask, not an index: a byte a point
        steps.append(st[points]), starts.append(sa[points]), sizes.append(kept[new])
    offsets = np.concatenate([[0], np.cumsum(np.concatenate(sizes))]).astype(np.uint32)
    return SketchTable(np.concatenate(steps), np.concatenate(starts), offsets, np.array(ids, np.uint32))

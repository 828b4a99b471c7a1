"""The tiled explorer's data: a quadtree over a projection, each level a density-preserving share of the rows and
the leaves every row, written as tiles that the page loads as the view needs them.

Each row goes to one tile: a seeded random order ranks the rows, and level ``L`` (``2**L`` x ``2**L`` cells
over the map) takes, in each cell, the first rows not in a coarser level until the cell holds ``capacity``
(its coarser rows counted).  So the root is a uniform random sample, a dense cell shows ``capacity`` points at
every zoom and a sparse one all of its own; drawing levels ``0..L`` of the tiles in view shows each place at
its own density.  A tile holds its rows' coordinates, colour columns, sketches and decodes packed as the single
file packs them (:mod:`latentlab.explorer.packing`), in a binary file (``pack_binary``) that the page fetches: from
``latentlab serve`` or any static host (a browser does not fetch from ``file://``; the page says so).

Writing streams over the store in blocks of ``BLOCK_ROWS`` rows (memory for one block, plus a few small arrays
over every row): each block leaves its rows, sorted by tile, in ``.parts/``, done blocks are skipped when a
write resumes, and a Dask client writes blocks in parallel; then each tile is packed from its parts.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.explorer.packing import pack_binary
from latentlab.explorer.pagedata import column_arrays, column_meta, projections
from latentlab.explorer.sketchtable import quantise
from latentlab.explorer.strokecode import code_table
from latentlab.store.keys import basis_label
from latentlab.store.format import LatentStore

CAPACITY = 4096  # rows a tile adds to the view
BLOCK_ROWS = 65536  # rows a block streams from the store (and a row file holds)
MAX_LEVEL = 15  # a cell of 1/32768 of the map takes every row left (e.g. many rows at one point)
TABLES = ("steps", "starts", "offsets", "ids")


def assign_levels(xy: np.ndarray, *, capacity: int = CAPACITY, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Each row's quadtree level and cell (``cx * 2**level + cy``), for ``xy`` scaled to [0, 1].

    Parameters
    ----------
    xy
        (n, 2) coordinates in [0, 1].
    capacity
        Rows a cell holds, its coarser levels' included.
    seed
        Seed of the rows' random order.
    """
    n = len(xy)
    rank = np.random.default_rng(seed).permutation(n)
    level = np.full(n, -1, np.int8)
    cell = np.zeros(n, np.int64)
    for lv in range(MAX_LEVEL + 1):
        side = 1 << lv
        c = np.clip((xy * side).astype(np.int64), 0, side - 1)
        here = c[:, 0] * side + c[:, 1]
        free = np.flatnonzero(level < 0)
        if lv == MAX_LEVEL:
            take = free
        else:
            placed, counts = np.unique(here[level >= 0], return_counts=True)
            order = free[np.lexsort((rank[free], here[free]))]
            cells = here[order]
            first = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
            within = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            held = np.zeros(len(order), np.int64)
            if len(placed):
                pos = np.clip(np.searchsorted(placed, cells), 0, len(placed) - 1)
                held = np.where(placed[pos] == cells, counts[pos], 0)
            take = order[within < capacity - held]
        level[take], cell[take] = lv, here[take]
        if (level >= 0).all():
            break
    return level, cell


def tile_name(level: int, cell: int) -> str:
    """``"L/cx-cy"``: a tile's name and path under ``tiles/`` (without ``.bin``).

    Parameters
    ----------
    level, cell
        The tile's level and cell (as :func:`assign_levels` gives them).
    """
    side = 1 << level
    return f"{level}/{cell // side}-{cell % side}"


def plan_tiles(store: LatentStore, basis: str, *, capacity: int = CAPACITY, seed: int = 0,
               block_rows: int = BLOCK_ROWS) -> dict:
    """Tile of every row, the coordinates on the unit square as uint16, the tiles' names and levels, and the
    colour columns (:func:`latentlab.explorer.pagedata.column_meta`).

    Parameters
    ----------
    store
        The latent store.
    basis
        The projection (as for :func:`latentlab.explorer.pagedata.projections`).
    capacity, seed
        As for :func:`assign_levels`.
    block_rows
        Rows a block streams from the store.
    """
    key = projections(store, basis)[0]
    xy = store.read(f"obsm/{key}")[:, :2].astype(np.float64)
    if not np.all(np.isfinite(xy)):
        bad = int(np.flatnonzero(~np.isfinite(xy).all(1))[0])
        raise LatentlabValueError(f"{store.path}: obsm/{key} row {bad} is not finite; project again")
    lo, hi = xy.min(0), xy.max(0)
    span = float(max((hi - lo).max(), 1e-9)) * 1.04
    origin = (lo + hi) / 2 - span / 2  # a square map, so that cells are square on screen
    unit = (xy - origin) / span
    level, cell = assign_levels(unit, capacity=capacity, seed=seed)
    keys, tile = np.unique((level.astype(np.int64) << 32) | cell, return_inverse=True)
    levels = (keys >> 32).astype(int).tolist()
    return {"basis": key, "label": basis_label(key), "block_rows": block_rows,
            "columns": column_meta(store),
            "origin": origin.tolist(), "span": span,
            "tiles": [tile_name(lv, int(c)) for lv, c in zip(levels, keys & 0xFFFFFFFF)], "levels": levels,
            "tile_of_row": tile.astype(np.uint32).ravel(), "xy": np.rint(unit * 65535).astype(np.uint16)}


def _block_arrays(store: LatentStore, rows: np.ndarray, plan: dict, decodes: list[str]) -> dict[str, np.ndarray]:
    """Per-row arrays of one block: row, x, y, colour columns, and each sketch table's per-row parts (row, x and y
    alone under ``plan["coords_only"]``)."""
    arrays = {"row": rows.astype(np.uint32), "x": plan["xy"][rows, 0], "y": plan["xy"][rows, 1]}
    if plan.get("coords_only"):  # a projection whose tiles share another's columns and sketches
        return arrays
    span = column_arrays(store, plan["columns"], slice(int(rows[0]), int(rows[-1]) + 1))
    arrays.update({name: values[rows - rows[0]] for name, values in span.items()})
    for name, key in [("orig", "strokes")] + [(f"dec{j}", d) for j, d in enumerate(decodes)]:
        sketches = [s for chunk in store.iter_sketches(rows, key=key) for s in chunk]
        table = quantise(sketches)
        lengths = np.diff(table.offsets)[table.ids]
        starts = table.offsets[table.ids]
        arrays[f"{name}_len"] = lengths.astype(np.uint32)
        pick = np.concatenate([np.arange(a, a + n) for a, n in zip(starts, lengths)]) if len(rows) else []
        arrays[f"{name}_steps"], arrays[f"{name}_starts"] = table.steps[pick], table.starts[pick]
    return arrays


def write_block(store: LatentStore, parts: Path, block: int, plan: dict, decodes: list[str]) -> int:
    """Write block ``block`` (of ``plan["block_rows"]`` rows)'s share of every tile to ``parts/b<block>/``: its
    rows (those ``plan["keep"]`` marks, when set) sorted by tile, with where each tile's rows start (whole or not
    at all); its number of rows.

    Parameters
    ----------
    store
        The latent store.
    parts
        The folder of parts.
    block
        Which block.
    plan
        :func:`plan_tiles`'s tiles and coordinates.
    decodes
        The decoded groups shown.
    """
    size = plan["block_rows"]
    rows = np.arange(block * size, min((block + 1) * size, len(store)))
    if (parts / f"b{block:05d}").is_dir():
        return len(rows)
    shown = rows if plan.get("keep") is None else rows[plan["keep"][rows]]
    if not len(shown):
        save_part(parts / f"b{block:05d}", {"tile_starts": np.zeros(len(plan["tiles"]) + 1, np.int64)})
        return len(rows)
    arrays = _block_arrays(store, shown, plan, decodes)
    tiles = plan["tile_of_row"][shown]
    order = np.argsort(tiles, kind="stable")
    arrays = _rows_of(arrays, order)
    arrays["tile_starts"] = np.searchsorted(tiles[order], np.arange(len(plan["tiles"]) + 1))
    save_part(parts / f"b{block:05d}", arrays)
    return len(rows)


def _rows_of(arrays: dict[str, np.ndarray], index: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays of rows ``index``, in its order; a sketch table's points follow its rows, and
    ``<table>_offsets`` say where each row's points start."""
    out = {k: v[index] for k, v in arrays.items() if not k.endswith(("_steps", "_starts"))}
    for name in {k[:-4] for k in arrays if k.endswith("_len")}:
        lengths = arrays[f"{name}_len"].astype(np.int64)
        first = np.concatenate([[0], np.cumsum(lengths)])[index]
        kept = lengths[index]
        offsets = np.concatenate([[0], np.cumsum(kept)])
        pick = np.repeat(first - offsets[:-1], kept) + np.arange(offsets[-1])
        out[f"{name}_steps"], out[f"{name}_starts"] = arrays[f"{name}_steps"][pick], arrays[f"{name}_starts"][pick]
        out[f"{name}_offsets"] = offsets
    return out


def save_part(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    """Arrays as one raw file (``arrays.bin``) and its header, in ``folder`` made whole or not at all: a block's
    part opens as one memory map however many arrays it holds (:func:`load_part`).

    Parameters
    ----------
    folder
        The part's folder (made).
    arrays
        The arrays by name.
    """
    tmp = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    header, offset = {}, 0
    with open(tmp / "arrays.bin", "wb") as fh:
        for name, value in arrays.items():
            value = np.ascontiguousarray(value)
            header[name] = [value.dtype.str, offset, list(value.shape)]
            fh.write(value.tobytes() + b"\0" * (-value.nbytes % 8))
            offset += value.nbytes + (-value.nbytes % 8)
    (tmp / "arrays.json").write_text(json.dumps(header))
    os.replace(tmp, folder)


def load_part(folder: Path) -> dict[str, np.ndarray]:
    """:func:`save_part`'s arrays, as views of one read-only memory map.

    Parameters
    ----------
    folder
        The part's folder.
    """
    header = json.loads((folder / "arrays.json").read_text())
    size = (folder / "arrays.bin").stat().st_size
    mm = np.memmap(folder / "arrays.bin", np.uint8, "r") if size else np.zeros(0, np.uint8)
    return {name: np.ndarray(shape, np.dtype(dtype), buffer=mm, offset=offset)
            for name, (dtype, offset, shape) in header.items()}


def tile_arrays(blocks: list[dict[str, np.ndarray]], tile: int) -> dict[str, np.ndarray]:
    """Tile ``tile``'s arrays from every block's part (:func:`load_part`): rows concatenated (``row`` as steps
    from the previous row, which deflate well), each sketch table as its points (their steps entropy-coded when
    that is smaller: :mod:`latentlab.explorer.strokecode`) and each sketch's count of them (``<table>_len``).

    Parameters
    ----------
    blocks
        The blocks' parts.
    tile
        Which tile.
    """
    pieces = []
    for b in blocks:
        s, e = int(b["tile_starts"][tile]), int(b["tile_starts"][tile + 1])
        if s == e:
            continue
        piece = {k: v[s:e] for k, v in b.items() if not k.endswith(("_steps", "_starts", "_offsets"))}
        for name in [k[:-4] for k in piece if k.endswith("_len")]:
            a, z = int(b[f"{name}_offsets"][s]), int(b[f"{name}_offsets"][e])
            piece[f"{name}_steps"], piece[f"{name}_starts"] = b[f"{name}_steps"][a:z], b[f"{name}_starts"][a:z]
        pieces.append(piece)
    out = {k: np.concatenate([p[k] for p in pieces]) for k in pieces[0]}
    out["row"] = np.diff(out["row"], prepend=np.uint32(0)).astype(np.uint32)
    for name in [k[:-4] for k in list(out) if k.endswith("_len")]:
        out[f"{name}_len"] = out[f"{name}_len"].astype(np.uint16 if out[f"{name}_len"].max(initial=0) < 65536
                                                       else np.uint32)
        out = code_table(out, name)
    return out


def write_tile(path: Path, arrays: dict[str, np.ndarray]) -> int:
    """Write one tile (or row file) as :func:`latentlab.explorer.packing.pack_binary` makes it, atomically; its bytes.

    Parameters
    ----------
    path
        The ``.bin`` file.
    arrays
        Its arrays.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(pack_binary(arrays))
    os.replace(tmp, path)
    return path.stat().st_size

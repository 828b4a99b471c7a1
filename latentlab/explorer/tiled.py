"""The tiled explorer: a folder (``index.html``, ``tiles/``, ``rows/``) for stores past the single file's size.

``index.html`` holds the page and the manifest (map bounds, the tiles and their levels, every colour column with
its categories, class counts and histograms over all rows); ``tiles/L/cx-cy.bin`` hold the rows of
:mod:`latentlab.explorer.tiles`'s quadtree (``tiles_<key>/`` those of each further projection, which the page switches
to); ``rows/<block>.bin`` hold, for every row of a block, its tile and its stored
neighbours (and, with the model, its search cell), which the page loads when a point is clicked.  With the model,
``model.bin`` holds the weights the page runs and ``search/`` every row's mu in cells
(:mod:`latentlab.explorer.tiledsearch`).  The page fetches them, so the folder is opened through a web server
(``latentlab serve``, or any static host); opened from ``file://`` it says so.

The folder is the tool's own: ``.latentlab-explorer.json`` (:data:`MARKER`) records that latentlab wrote it and
from which store.  A write is built in ``.<name>.staging/`` beside it (resumable from its ``.parts/``) under the
folder's lock, and swapped in whole when complete, so the explorer it replaces is served, intact, until then.
A folder without the marker is never written into.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np
from tqdm.auto import tqdm

from latentlab.atomic import replace_folder
from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.io.digest import file_sha256
from latentlab.lock import store_lock
from latentlab.explorer.inpage import PRECISIONS
from latentlab.explorer.maplabels import issue_view, map_labels
from latentlab.explorer.pagedata import (NEIGHBORS_KEY, color_column, ensure_neighbors, left_out, page_model,
                                   page_model_of, provenance_rows, resolve_decoded)
from latentlab.explorer.page import render_page
from latentlab.explorer.sketchtable import GRID
from latentlab.explorer.tiles import (BLOCK_ROWS, CAPACITY, load_part, plan_tiles, save_part, tile_arrays,
                                write_block, write_tile)
from latentlab.store.format import LatentStore
from latentlab.store.keys import page_makers

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN

HIST_BINS = 48
PLAN_FILE = "plan.json"
MARKER = ".latentlab-explorer.json"  # in every folder latentlab wrote: the only folders it writes into


def _summaries(store: LatentStore, cols: list[dict], keep: np.ndarray | None) -> list[dict]:
    """Each colour column with what the page shows of its rows (all, or those ``keep`` marks): counts of
    categories, a histogram of numbers."""
    out = []
    for col in cols:
        values = store.read(f"obs/{col['column']}")
        values = values if keep is None else values[keep]
        if col["kind"] == "categorical":
            counts = np.bincount(values[values >= 0].astype(np.int64), minlength=len(col["categories"]))
            out.append({**col, "counts": counts.tolist()})
        else:
            finite = values[np.isfinite(values)].astype(np.float64)
            lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
            hist = np.histogram(finite, bins=HIST_BINS, range=(lo, hi if hi > lo else lo + 1))[0]
            out.append({**col, "range": [lo, hi], "hist": hist.tolist()})
    return out


def _write_rows(store: LatentStore, folder: Path, plans: list[dict], search: Path | None,
                keep: np.ndarray | None) -> int:
    """``rows/<block>.bin``: each row's tile in each projection (``tile``, ``tile1``...), stored neighbours and
    search cell (zeros for a row ``keep`` leaves out of the page); the number of files."""
    from latentlab.explorer.tiledsearch import block_cells

    has_nn = store.has(f"uns/{NEIGHBORS_KEY}/indices")
    size = plans[0]["block_rows"]
    blocks = -(-len(store) // size)
    for b in range(blocks):
        rows = np.arange(b * size, min((b + 1) * size, len(store)))
        arrays = {}
        for j, plan in enumerate(plans):
            tiles = plan["tile_of_row"][rows]
            arrays[f"tile{j or ''}"] = tiles.astype(np.uint16) if len(plan["tiles"]) < 65536 else tiles
        if has_nn:
            arrays["neighbors"] = store.read(f"uns/{NEIGHBORS_KEY}/indices", rows=slice(rows[0], rows[-1] + 1)
                                             ).astype(np.uint32)
            if keep is not None:
                arrays["neighbors"][~keep[rows]] = 0
        if search is not None:
            arrays["cell"] = block_cells(search, b, rows)
        write_tile(folder / "rows" / f"{b}.bin", arrays)
    return blocks


def _resume_plan(stage: Path, settings: dict) -> Path:
    """The staging folder's ``.parts/``: kept when a stopped write with these settings left it (a resumed
    write), else the staging folder starts empty: no tile of an earlier write is kept."""
    parts = stage / ".parts"
    saved = parts / PLAN_FILE
    if saved.is_file() and json.loads(saved.read_text()) == settings:
        return parts
    shutil.rmtree(stage, ignore_errors=True)
    parts.mkdir(parents=True)
    saved.write_text(json.dumps(settings))
    return parts


def check_owned(out: Path) -> None:
    """Refuse ``out`` unless it is new, empty, or an explorer latentlab wrote (it holds :data:`MARKER`)."""
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise LatentlabError(f"{out}: not a folder; give a new folder for the tiled explorer")
    cwd = Path.cwd().resolve()
    if cwd == out.resolve() or out.resolve() in cwd.parents:
        raise LatentlabError(f"{out}: holds the current folder, and an explorer folder is replaced whole when "
                             "written; give a folder inside it (e.g. explorer/)")
    if not (out / MARKER).is_file() and any(out.iterdir()):
        page = out / "index.html"
        earlier = page.is_file() and (out / "tiles").is_dir() and 'id="ll-meta"' in page.read_text(errors="replace")
        why = ("it looks like an explorer of an earlier latentlab, which wrote no marker: remove it to write it "
               "again" if earlier else "give a new or empty folder")
        raise LatentlabError(f"{out}: a folder latentlab did not write (no {MARKER} in it), so nothing in it was "
                             f"changed; {why}")


def _blocks(work, store: LatentStore, parts: Path, extra: tuple, block_rows: int, client, desc: str) -> None:
    """``work(store, parts, block, *extra)`` for every block, on ``client`` (Dask) when given, else here (the
    work skips blocks already done)."""
    blocks = range(-(-len(store) // block_rows))
    with tqdm(total=len(store), desc=desc, unit="row", disable=None) as bar:
        if client is None:
            for b in blocks:
                bar.update(work(store, parts, b, *extra))
            return
        from dask.distributed import as_completed

        shared = [client.scatter(x, broadcast=True) if isinstance(x, (dict, np.ndarray)) else x for x in extra]
        futures = [client.submit(work, store, parts, b, *shared, pure=False) for b in blocks]
        for future in as_completed(futures):
            bar.update(future.result())


def _write_model(store: LatentStore, out: Path, parts: Path, *, model, precision: str, seed: int,
                 block_rows: int, client, keep: np.ndarray | None, one_cell: bool) -> dict:
    """``model.bin`` (the weights the page runs) and ``search/`` (:mod:`latentlab.explorer.tiledsearch`) of the
    rows ``keep`` marks (default all), in cells or in ``one_cell`` (an exact search); the manifest's ``model``."""
    from latentlab.explorer.tiledsearch import PROBE, fit_cells, pack_cells, probe_recall, write_search_block

    rows = np.arange(len(store)) if keep is None else np.flatnonzero(keep)
    meta, tensors = page_model(store, model, precision=precision, rows=rows, seed=seed)
    if not tensors:
        return meta
    if not (parts / "centres").is_dir():  # fitted once: a resumed write keeps the cells its blocks were sorted into
        centres = (np.full((1, model.hps.z_size), model.hps.z_size ** -0.5, np.float32) if one_cell else
                   fit_cells(store, seed=seed, block_rows=block_rows))
        save_part(parts / "centres", {"centres": centres})
    centres = np.array(load_part(parts / "centres")["centres"])
    _blocks(write_search_block, store, parts, (centres, block_rows, keep), block_rows, client, "search: blocks")
    search_bytes = pack_cells(out, parts, centres)
    probe = len(centres) if one_cell else PROBE
    meta["search"] = {"cells": len(centres), "probe": probe, "bytes": search_bytes,
                      "recall": 1.0 if one_cell else round(probe_recall(store, centres, probe=probe, seed=seed), 4)}
    meta["bytes"] = write_tile(out / "model.bin", tensors)
    return meta


def write_tiled(store: LatentStore, out: str | os.PathLike, *, basis: str | Sequence[str] = "umap",
                decoded: str | None = None,
                color_by: str = "auto", title: str | None = None, capacity: int = CAPACITY, seed: int = 0,
                block_rows: int = BLOCK_ROWS, n_neighbors: int | None = None, with_model: bool = False,
                model: "str | os.PathLike | SketchRNN | None" = None, model_precision: str = "int8",
                client=None) -> Path:
    """Write the tiled explorer of ``store`` into the folder ``out`` (resumable; see :mod:`latentlab.explorer.tiled`).

    Parameters
    ----------
    store
        A latent store with a projection.
    out
        The folder: new, empty, or one latentlab wrote (it is replaced whole when the new one is complete; a
        write stopped part-way resumes from ``.<name>.staging/``).
    basis
        The projection, as for :func:`latentlab.explorer.report.write_report`, or several: each gets its own quadtree
        (and its own copy of every row's tile data), and the page switches between them.
    decoded, color_by, title
        As for :func:`latentlab.explorer.report.write_report`.
    capacity
        Rows a tile adds to the view.
    seed
        Seed of the rows' order in the quadtree.
    block_rows
        Rows a block streams from the store (memory) and a row file holds.
    n_neighbors
        As for :func:`latentlab.explorer.report.write_report`.
    with_model, model, model_precision
        As for :func:`latentlab.explorer.report.write_report`: the page runs the model (draw to search over every row,
        in cells: :mod:`latentlab.explorer.tiledsearch`; interpolation).
    client
        A Dask client: blocks are written on its workers.

    Returns
    -------
    The folder.
    """
    out = Path(out)
    check_owned(out)
    target = Path(os.path.abspath(out))  # a name to stage and lock beside, even for "." or "explorer/"
    with store_lock(target, wait=False, what="report"):
        check_owned(out)  # again, now that no other writer can change it
        stage = target.with_name(f".{target.name}.staging")
        meta = write_stage(store, stage, basis=basis, decoded=decoded, color_by=color_by, title=title,
                            capacity=capacity, seed=seed, block_rows=block_rows, n_neighbors=n_neighbors,
                            with_model=with_model, model=model, model_precision=model_precision, client=client)
        (stage / MARKER).write_text(json.dumps({"written_by": "latentlab", "kind": "tiled explorer",
                                                "store": meta["store"], "rows": meta["n_total"],
                                                "store_sha256": file_sha256(store.path),
                                                "created": meta["created"]}, indent=1))
        (stage / "index.html").write_text(render_page(meta), encoding="utf-8")
        shutil.rmtree(stage / ".parts")
        replace_folder(stage, target)
    return out


def _sample(n: int, page: int | None, seed: int) -> np.ndarray | None:
    """The rows one page shows: None (all) up to ``page`` rows, else a mask of a seeded sample of ``page``."""
    if page is None or n <= page:
        return None
    keep = np.zeros(n, bool)
    keep[np.random.default_rng(seed).choice(n, page, replace=False)] = True
    return keep


def write_stage(store: LatentStore, stage: Path, *, basis, decoded, color_by, title, capacity, seed, block_rows,
                n_neighbors, with_model, model, model_precision, client, page: int | None = None) -> dict:
    """Write the tiles, row files and model of :func:`write_tiled` into ``stage``; the manifest.

    Parameters
    ----------
    store
        A latent store with a projection.
    stage
        The folder written into (resumable from its ``.parts/``).
    basis, decoded, color_by, title, capacity, seed, block_rows, n_neighbors, with_model, model, model_precision
        As for :func:`write_tiled`.
    client
        A Dask client, or None.
    page
        The files of one page (:mod:`latentlab.explorer.report`) instead, of at most ``page`` rows (a seeded sample
        above): one tile a projection (a further projection's holding only its coordinates), one search cell.
    """
    if model_precision not in PRECISIONS:  # before any file is written, not after
        raise LatentlabValueError(f"model_precision must be one of {', '.join(PRECISIONS)}, got {model_precision!r}")
    t0 = time.perf_counter()
    ensure_neighbors(store, n_neighbors)
    decodes = resolve_decoded(store, decoded)
    loaded = page_model_of(store, model) if with_model or model is not None else None
    keep = _sample(len(store), page, seed)
    if page is not None:
        capacity = max(len(store), 1)
    plans = [dict(plan_tiles(store, b, capacity=capacity, seed=seed, block_rows=block_rows), keep=keep,
                  coords_only=page is not None and j > 0)  # one page: a projection's one tile holds the same rows
             for j, b in enumerate([basis] if isinstance(basis, str) else basis)]
    keys = [p["basis"] for p in plans]
    if len(set(keys)) < len(keys):
        raise LatentlabValueError(f"basis names a projection twice: {', '.join(keys)}")
    cols = plans[0]["columns"]
    color_by = color_column(store, cols, color_by, store.read("obs/label"))
    parts = _resume_plan(stage, {"store": str(Path(store.path).resolve()), "mtime": os.path.getmtime(store.path),
                                 "bases": keys, "decodes": decodes, "capacity": capacity, "seed": seed,
                                 "block_rows": block_rows, "model": loaded and loaded.weights_sha256,
                                 "model_precision": model_precision, "page": page})
    bases = []
    for j, plan in enumerate(plans):  # a quadtree a projection: tiles/ for the first, tiles_<key>/ for others
        folder = "tiles" if j == 0 else f"tiles_{plan['basis']}"
        _blocks(write_block, store, parts / folder, (plan, decodes), block_rows, client, f"{folder}: blocks")
        sizes = _pack_tiles(stage / folder, parts / folder, plan)
        bases.append({"basis": plan["basis"], "label": plan["label"], "dir": folder, "origin": plan["origin"],
                      "shares": "tiles" if plan["coords_only"] else None,
                      "span": plan["span"], "tiles": plan["tiles"], "levels": plan["levels"],
                      "tile_bytes": int(sum(sizes)),
                      "counts": np.bincount(plan["tile_of_row"] if keep is None else plan["tile_of_row"][keep],
                                            minlength=len(plan["tiles"])).tolist()})
    model_meta = loaded and _write_model(store, stage, parts / "search", model=loaded, precision=model_precision,
                                         seed=seed, block_rows=block_rows, client=client, keep=keep,
                                         one_cell=page is not None)
    n_rows = _write_rows(store, stage, plans, parts / "search" if model_meta and "search" in model_meta else None,
                         keep)
    shown = len(store) if keep is None else int(keep.sum())
    return {
        "title": title or (f"{Path(store.path).name}: {', '.join(b['label'] for b in bases)} of {shown:,} latent "
                           "vectors" + (" (tiled)" if page is None else "")),
        "store": Path(store.path).name, "n_total": len(store), "bases": bases, "capacity": capacity,
        "sample": None if keep is None else {"rows": shown, "seed": seed},
        "row_block": block_rows, "row_files": n_rows, "neighbors": store.params(NEIGHBORS_KEY) or None,
        "columns": _summaries(store, cols, keep), "color_by": color_by, "grid": GRID, "seed": seed,
        "labels": map_labels(store, cols, keys), "issues": issue_view(store), "left_out": left_out(store),
        "decodes": [{"key": d.removeprefix("decoded/"), "attrs": store.params(d)} for d in decodes],
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "write_s": round(time.perf_counter() - t0, 2),
        "model": model_meta, "provenance": provenance_rows(store, keys, decodes),
        "makers": page_makers(Path(store.path).name),
    }


def _pack_tiles(folder: Path, parts: Path, plan: dict) -> list[int]:
    """Pack each tile into ``folder`` from its parts (a tile already packed by a stopped write is kept); their
    sizes."""
    blocks = [load_part(p) for p in sorted(parts.glob("b[0-9]*"))]
    sizes = []
    for t, name in enumerate(tqdm(plan["tiles"], desc=f"{folder.name}: pack", unit="tile", disable=None)):
        path = folder / f"{name}.bin"
        if not path.is_file():
            write_tile(path, tile_arrays(blocks, t))
        sizes.append(path.stat().st_size)
    return sizes


def tiled_size(folder: str | os.PathLike) -> dict:
    """Bytes of a tiled explorer: the page, its tiles and its row files, and with the model its search cells and
    weights (0 without).

    Parameters
    ----------
    folder
        The explorer's folder.
    """
    folder = Path(folder)
    parts = {k: sum(p.stat().st_size for p in (folder / k).rglob("*.bin")) for k in ("rows", "search")}
    parts["tiles"] = sum(p.stat().st_size for d in folder.glob("tiles*") for p in d.rglob("*.bin"))
    model = folder / "model.bin"
    return {"page": (folder / "index.html").stat().st_size, **parts, "model": model.stat().st_size if
            model.is_file() else 0}

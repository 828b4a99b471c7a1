"""The tiled explorer's model: the weights the page runs, and every row's mu in cells the page searches.

Draw-to-search in the single file scans the mu of every shown row; past a few hundred thousand rows that is more
than a page should download.  Here the rows' mu are split into cells by spherical k-means (an inverted file, as
FAISS's ``IndexIVFFlat``): ``search/cells.bin`` holds the cells' unit centres, ``search/<cell>.bin`` the rows of
one cell, their mu rounded to int8 per dimension.  The page encodes a drawing, scores the centres by cosine and
scans only the ``probe`` nearest cells.  That is approximate: ``recall`` in the manifest is the share of the exact
10 nearest (cosine on mu) that the probed cells hold, measured on held-out stored rows as queries.

Written streaming, like the tiles: each block of rows leaves its mu (float16), sorted by cell, in
``.parts/search/b<block>/``, then each cell is packed from every block's share.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from latentlab.explorer.inpage import quantise_rows
from latentlab.explorer.tiles import load_part, save_part, write_tile
from latentlab.store.format import LatentStore

PROBE = 16  # cells the page scans for a drawing
FIT_ROWS = 100_000  # rows k-means learns the cells from


def n_cells(n: int) -> int:
    """Cells for ``n`` rows: about sqrt(n), so that the centres and a cell are each about sqrt(n) rows to scan."""
    return int(np.clip(round(np.sqrt(n)), 1, 4096))


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _sample(store: LatentStore, rows: int, block_rows: int, seed: int) -> np.ndarray:
    """About ``rows`` rows' mu, evenly from every block (read a block at a time, never the whole matrix)."""
    n = len(store)
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(n, min(n, rows), replace=False))
    out = []
    for start in range(0, n, block_rows):
        pick = keep[(keep >= start) & (keep < start + block_rows)] - start
        if len(pick):
            out.append(store.read("obsm/mu", slice(start, min(n, start + block_rows)))[pick])
    return np.concatenate(out)


def fit_cells(store: LatentStore, *, seed: int = 0, block_rows: int = 65536) -> np.ndarray:
    """Unit centres of :func:`n_cells` cells, by k-means on unit mu of a seeded sample.

    Parameters
    ----------
    store
        The latent store.
    seed
        Seed of the sample and of k-means.
    block_rows
        Rows read at a time.
    """
    from sklearn.cluster import MiniBatchKMeans

    k = n_cells(len(store))
    sample = _unit(_sample(store, max(FIT_ROWS, 20 * k), block_rows, seed))
    km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=1, batch_size=4096).fit(sample)
    return _unit(km.cluster_centers_)


def assign(mu: np.ndarray, centres: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """Each row's cell: the centre nearest by cosine (``chunk`` rows at a time: their scores against 4,096
    centres take 128 MB).

    Parameters
    ----------
    mu
        (n, d) vectors.
    centres
        (k, d) unit centres.
    chunk
        Rows scored together.
    """
    return np.concatenate([np.argmax(_unit(mu[i:i + chunk]) @ centres.T, axis=1) for i in range(0, len(mu), chunk)]
                          or [np.zeros(0, np.int64)])


def write_search_block(store: LatentStore, parts: Path, block: int, centres: np.ndarray, block_rows: int,
                       keep: np.ndarray | None = None) -> int:
    """Block ``block``'s rows (those ``keep`` marks, when given) sorted by cell into ``parts/b<block>/`` (whole or
    not at all); its number of rows.

    Parameters
    ----------
    store
        The latent store.
    parts
        The search's folder of parts.
    block
        Which block.
    centres
        The cells' centres (:func:`fit_cells`).
    block_rows
        Rows a block holds.
    keep
        Which rows of the store the search holds (a mask), or None: every row.
    """
    rows = np.arange(block * block_rows, min((block + 1) * block_rows, len(store)))
    if (parts / f"b{block:05d}").is_dir():
        return len(rows)
    count = len(rows)
    mu = store.read("obsm/mu", slice(int(rows[0]), int(rows[-1]) + 1))
    if keep is not None:
        mu, rows = mu[keep[rows]], rows[keep[rows]]
    cell = assign(mu, centres)
    order = np.argsort(cell, kind="stable")
    save_part(parts / f"b{block:05d}", {"mu": mu[order].astype(np.float16), "rows": rows[order].astype(np.uint32),
                                        "starts": np.searchsorted(cell[order], np.arange(len(centres) + 1))})
    return count


def block_cells(parts: Path, block: int, rows: np.ndarray) -> np.ndarray:
    """The cell of each of ``rows`` (block ``block``'s, in order) for the row files; 0 for a row the search does
    not hold.

    Parameters
    ----------
    parts
        The search's folder of parts.
    block
        Which block.
    rows
        The block's rows.
    """
    part = load_part(parts / f"b{block:05d}")
    cells = np.repeat(np.arange(len(part["starts"]) - 1), np.diff(part["starts"]))
    out = np.zeros(len(rows), np.uint16)
    out[np.searchsorted(rows, part["rows"])] = cells
    return out


def pack_cells(out: Path, parts: Path, centres: np.ndarray) -> int:
    """``search/<cell>.bin`` from every block's share (a cell packed by a stopped write is kept), and
    ``search/cells.bin``; the bytes written.

    Parameters
    ----------
    out
        The explorer's folder.
    parts
        The search's folder of parts.
    centres
        The cells' centres.
    """
    blocks = [load_part(b) for b in sorted(parts.glob("b[0-9]*"))]
    total = write_tile(out / "search" / "cells.bin", {"centres": centres.astype(np.float32)})
    for c in tqdm(range(len(centres)), desc="search: cells", unit="cell", disable=None):
        path = out / "search" / f"{c}.bin"
        if not path.is_file():
            pieces = [(b["rows"][b["starts"][c]:b["starts"][c + 1]], b["mu"][b["starts"][c]:b["starts"][c + 1]])
                      for b in blocks]
            mu = np.concatenate([m for _, m in pieces]).astype(np.float32)
            q, scale = quantise_rows(np.ascontiguousarray(mu.T)) if len(mu) else (mu.T.astype(np.int8), np.ones(
                centres.shape[1], np.float32))
            write_tile(path, {"row": np.concatenate([r for r, _ in pieces]), "mu_q": np.ascontiguousarray(q.T),
                              "mu_scale": scale})
        total += path.stat().st_size
    return total


def probe_recall(store: LatentStore, centres: np.ndarray, *, probe: int = PROBE, queries: int = 200, k: int = 10,
                 seed: int = 0) -> float:
    """Share of the exact ``k`` nearest (cosine on mu, the query itself left out) that the ``probe`` cells
    nearest the query hold, over ``queries`` stored rows.  Queries and neighbours are taken among the first
    200,000 rows, so that memory stays bounded.

    Parameters
    ----------
    store
        The latent store.
    centres
        The cells' centres.
    probe
        Cells scanned a query.
    queries
        Rows used as queries.
    k
        Nearest counted.
    seed
        Seed of the queries.
    """
    mu = _unit(store.read("obsm/mu", slice(0, min(len(store), 200_000))))
    k = min(k, len(mu) - 1)
    if k < 1:
        return 1.0
    cells = assign(mu, centres)
    rng = np.random.default_rng(seed)
    hits = 0
    picks = rng.choice(len(mu), min(queries, len(mu)), replace=False)
    for q in picks:
        sims = mu @ mu[q]
        sims[q] = -np.inf
        exact = np.argpartition(-sims, k)[:k]
        near = np.argsort(-(centres @ mu[q]))[:probe]
        hits += int(np.isin(cells[exact], near).sum())
    return hits / (len(picks) * k)

"""Model against model: two stores of the same sketches, encoded by two models, compared as representations
(linear CKA, Kornblith et al. 2019; the overlap of each sketch's nearest neighbours in the two spaces; how well
each names the classes).  Nothing is stored: both stores are read only."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.store import LatentStore
from latentlab.tl._neighbors import NeighborIndex, _drop_self

SAMPLE = 5000  # rows whose neighbours are compared (among every common row) and whose classes are named


def linear_cka(x: np.ndarray, y: np.ndarray) -> float:
    """Linear centred kernel alignment of two representations of the same rows (Kornblith et al. 2019): 1 for
    spaces equal up to a rotation and a scale, near 0 for unrelated ones.

    Parameters
    ----------
    x, y
        (n, d1) and (n, d2) arrays, a row per sketch in both.
    """
    x = np.asarray(x, np.float64) - np.mean(x, axis=0)
    y = np.asarray(y, np.float64) - np.mean(y, axis=0)
    cross = np.linalg.norm(y.T @ x) ** 2
    return float(cross / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y)))


def _row_keys(store: LatentStore) -> list[tuple[str, int]]:
    """(source file's name and split, index in the source) of every row: the sketch it is, whichever model encoded
    it, wherever the file lay."""
    sources = [Path(s.rsplit(":", 1)[0]).name + ":" + s.rsplit(":", 1)[-1] for s in store.sources]
    return [(sources[s], int(i)) for s, i in zip(store.read("obs/source"), store.read("obs/index"))]


def _digest(sketch: np.ndarray) -> bytes:
    return hashlib.sha256(np.ascontiguousarray(sketch, np.float32).tobytes()).digest()


def common_rows(a: LatentStore, b: LatentStore) -> tuple[np.ndarray, np.ndarray]:
    """The rows of ``a`` and of ``b`` that hold the same sketch (the same source and index, and the same
    points), in ``a``'s order; refused when the stores share none, or when a shared row's points differ.

    Parameters
    ----------
    a, b
        Two latent stores.
    """
    where_b = {key: j for j, key in enumerate(_row_keys(b))}
    pairs = [(i, where_b[key]) for i, key in enumerate(_row_keys(a)) if key in where_b]
    if len(pairs) < 3:
        raise LatentlabError(f"{a.path} and {b.path} hold different sketches ({len(pairs)} in common): encode the "
                             "same data file with both models to compare them")
    ia, ib = (np.array(x, np.int64) for x in zip(*pairs))
    for chunk in range(0, len(ia), 65_536):
        rows_a, rows_b = ia[chunk:chunk + 65_536], ib[chunk:chunk + 65_536]
        order = np.argsort(rows_b)
        sketches_b = b.sketches(rows_b[order].tolist())
        got_b = {int(r): _digest(s) for r, s in zip(rows_b[order], sketches_b)}
        for r_a, s_a, r_b in zip(rows_a, a.sketches(rows_a.tolist()), rows_b):
            if _digest(s_a) != got_b[int(r_b)]:
                raise LatentlabError(f"{a.path} row {r_a} and {b.path} row {r_b} are the same record of "
                                     f"{_row_keys(a)[r_a][0]} but hold different points: not the same sketches")
    return ia, ib


def _nearest(x: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` rows of ``x`` nearest (cosine, exact) each query row of ``x``, itself left out."""
    _, idx = NeighborIndex(metric="cosine", method="exact").fit(x).kneighbors(x[queries], k + 1)
    return _drop_self(idx, np.zeros(idx.shape, np.float32), k, queries)[0]


def compare(a: LatentStore, b: LatentStore, *, use_rep: str = "mu", n_neighbors: int = 10,
            sample: int = SAMPLE, random_state: int = 0) -> dict:
    """How two models' spaces differ on the same sketches.

    Parameters
    ----------
    a, b
        Stores of the same sketches (:func:`common_rows`), encoded by two models.
    use_rep
        The vectors compared.
    n_neighbors
        Neighbours a sketch has in each space.
    sample
        Rows (seeded) whose neighbours among every common row are compared, and whose classes are named.
    random_state
        Seed of the sample.

    Returns
    -------
    ``rows`` (in common), ``linear_cka`` (over every common row), ``mutual_knn<k>`` (the mean share of a
    sketch's k nearest that both spaces agree on), and with labels ``separation_a``/``separation_b`` (the share
    of sampled sketches whose k nearest name their class, cosine), with each store's model.
    """
    if not 1 <= n_neighbors <= 1000:
        raise LatentlabValueError(f"n_neighbors must be in 1..1000, got {n_neighbors!r}")
    ia, ib = common_rows(a, b)
    if n_neighbors >= len(ia):
        raise LatentlabValueError(f"n_neighbors={n_neighbors}: the stores have {len(ia)} sketches in common")
    xa, xb = a.vectors(use_rep)[ia], b.vectors(use_rep)[ib]
    rng = np.random.default_rng(random_state)
    queries = np.sort(rng.choice(len(ia), min(sample, len(ia)), replace=False))
    na, nb = _nearest(xa, queries, n_neighbors), _nearest(xb, queries, n_neighbors)
    shared = [len(np.intersect1d(x, y, assume_unique=True)) for x, y in zip(na, nb)]
    out = {"a": str(a.path), "b": str(b.path), "model_a": a.provenance.get("model_dir"),
           "model_b": b.provenance.get("model_dir"), "rows": int(len(ia)), "only_a": int(len(a) - len(ia)),
           "only_b": int(len(b) - len(ib)), "use_rep": use_rep, "linear_cka": round(linear_cka(xa, xb), 6),
           f"mutual_knn{n_neighbors}": round(float(np.mean(shared)) / n_neighbors, 6),
           "sample": int(len(queries)), "random_state": random_state}
    labels = a.read("obs/label")[ia]
    if (labels[queries] >= 0).any() and len(np.unique(labels[labels >= 0])) >= 2:
        known = labels[queries] >= 0
        for side, near in (("a", na), ("b", nb)):
            votes = labels[near[known]]
            named = [np.bincount(v[v >= 0], minlength=labels.max() + 1).argmax() for v in votes]
            out[f"separation_{side}"] = round(float(np.mean(np.array(named) == labels[queries][known])), 6)
    return out

"""Projections of the latent vectors, stored back beside them (like scanpy's ``tl.pca`` / ``tl.umap``).

``pca(store)`` writes ``obsm/X_pca`` and ``uns/pca/variance_ratio``; ``umap(store)``
writes ``obsm/X_umap``.  Each result carries its parameters (and seed) as
attributes; ``key_added`` keeps a second projection beside the first.

Past one machine's memory: ``pca`` streams the store's rows a block at a time
(their mean and d x d second moments, then the exact components) and writes its result the same way; ``umap``
fits on a seeded sample (``sample_size``) and ``transform``s every other row, a
block at a time, on a Dask cluster's workers when given a ``client``.
"""
from __future__ import annotations

import contextlib
import warnings

import numpy as np

from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.store import LatentStore
from latentlab.names import check_key_name

USE_REPS = ("mu", "z")


STREAM_ROWS = 1_000_000  # above this many rows, pca streams unless told otherwise
BLOCK_ROWS = 65_536  # rows read, transformed and written at a time when streaming


def vectors(store: LatentStore, use_rep: str = "mu", rows: np.ndarray | slice | None = None) -> np.ndarray:
    """The stored latent vectors ``obsm/<use_rep>`` (``"mu"`` or ``"z"``), all, ``rows`` (sorted, unique) or a
    slice of rows, refused when any of them is not finite."""
    if use_rep not in USE_REPS:
        raise LatentlabValueError(f"use_rep must be one of {USE_REPS}, got {use_rep!r}")
    if isinstance(rows, np.ndarray) and len(rows) and len(rows) * 2 > rows[-1] - rows[0]:
        x = store.read(f"obsm/{use_rep}", slice(int(rows[0]), int(rows[-1]) + 1))[rows - rows[0]]  # dense: one span
    else:
        x = store.read(f"obsm/{use_rep}", slice(None) if rows is None else rows)
    finite = np.isfinite(x).all(axis=1)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        row = bad if rows is None else (rows.start or 0) + bad if isinstance(rows, slice) else int(rows[bad])
        raise LatentlabError(f"{store.path}: obsm/{use_rep} holds NaN or infinite values (row {row}); "
                             "encode the sketches again")
    return x


def _blocks(n: int, size: int, least: int = 1) -> list[slice]:
    """Row blocks of ``size`` covering ``n`` rows; a last block under ``least`` rows joins the one before."""
    starts = list(range(0, n, size))
    if len(starts) > 1 and n - starts[-1] < least:
        starts.pop()
    return [slice(a, b) for a, b in zip(starts, starts[1:] + [n])]


def _bar(total: int, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="row", leave=False, disable=total < 4 * BLOCK_ROWS)


def _umap_learn():
    """umap-learn, imported without TensorFlow: its package imports TF only for ParametricUMAP, which is
    not used here, and that costs seconds and prints TensorFlow's start-up lines."""
    import sys

    if "umap" in sys.modules or "tensorflow" in sys.modules:
        import umap

        return umap
    sys.modules["tensorflow"] = None  # makes umap's own `try: import ... except ImportError` take the fallback
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ImportWarning)
            import umap
    finally:
        del sys.modules["tensorflow"]
    return umap


def pca(store: LatentStore, *, n_components: int = 50, use_rep: str = "mu", seed: int = 0,
        key_added: str = "pca", stream: bool | None = None, batch_size: int = BLOCK_ROWS) -> np.ndarray | None:
    """PCA of the latent vectors.

    Parameters
    ----------
    store
        The latent store.
    n_components
        Components kept (at most the vectors' dimension and count).
    use_rep
        ``"mu"`` or ``"z"``.
    seed
        scikit-learn's ``random_state`` (recorded; the streamed fit has no randomness).
    key_added
        Results go to ``obsm/X_<key_added>`` and ``uns/<key_added>/variance_ratio``.
    stream
        Read and write ``batch_size`` rows at a time (the mean and second moments gathered in one pass, then
        the same components as PCA's), so memory stays that of a block; default: above ``STREAM_ROWS`` rows.
    batch_size
        Rows per block when streaming (recorded).

    Returns
    -------
    The (n, k) coordinates; None when streamed (they are in the store, not in memory).
    """
    from sklearn.decomposition import PCA

    check_key_name(key_added)
    n = len(store)
    stream = n > STREAM_ROWS if stream is None else stream
    params = {"method": "pca", "use_rep": use_rep, "seed": seed}
    if not stream:
        x = vectors(store, use_rep)
        k = min(n_components, x.shape[0], x.shape[1])
        model = PCA(n_components=k, random_state=seed)
        coords = model.fit_transform(x).astype(np.float32)
        params["n_components"] = k
        with store.edit("project --method pca") as e:  # both or neither
            e.write(f"obsm/X_{key_added}", coords, params)
            e.write(f"uns/{key_added}/variance_ratio", model.explained_variance_ratio_.astype(np.float32), params)
        return coords
    d = store.shape(f"obsm/{use_rep}")[1]
    k = min(n_components, d, n)
    blocks = _blocks(n, batch_size)
    total, gram = np.zeros(d), np.zeros((d, d))
    with _bar(2 * n, "pca (streamed)") as bar:
        for rows in blocks:  # one pass for the mean and the d x d second moments (float64), exact as PCA's
            x = vectors(store, use_rep, rows).astype(np.float64)
            total += x.sum(0)
            gram += x.T @ x
            bar.update(rows.stop - rows.start)
        mean = total / n
        cov = (gram - n * np.outer(mean, mean)) / max(n - 1, 1)
        values, vecs = np.linalg.eigh(cov)
        order = np.argsort(values)[::-1][:k]
        components = vecs[:, order] * np.sign(vecs[np.abs(vecs[:, order]).argmax(0), order])  # sklearn's sign rule
        ratio = (np.maximum(values[order], 0) / max(values.sum(), 1e-300)).astype(np.float32)
        params.update(n_components=k, streamed=True, batch_size=batch_size)
        with store.edit("project --method pca") as e:
            out = e.create(f"obsm/X_{key_added}", (n, k), np.float32, params)
            for rows in blocks:
                out[rows] = ((vectors(store, use_rep, rows) - mean) @ components).astype(np.float32)
                bar.update(rows.stop - rows.start)
            e.write(f"uns/{key_added}/variance_ratio", ratio, params)
    return None


def umap(store: LatentStore, *, n_neighbors: int = 15, min_dist: float = 0.1, metric: str = "euclidean",
         use_rep: str = "mu", seed: int = 0, key_added: str = "umap", sample_size: int | None = None,
         batch_size: int = BLOCK_ROWS, client=None) -> np.ndarray:
    """UMAP of the latent vectors to 2-D; seeded, hence reproducible.

    Parameters
    ----------
    store
        The latent store.
    n_neighbors, min_dist, metric
        umap-learn's parameters (recorded).
    use_rep
        ``"mu"`` or ``"z"``.
    seed
        umap-learn's ``random_state`` (recorded; it makes UMAP single-threaded) and the sample's seed.
    key_added
        The result goes to ``obsm/X_<key_added>``.
    sample_size
        Fit on this many rows drawn with ``seed`` (recorded) and ``transform`` the others, ``batch_size`` at a
        time; the sampled rows keep their fitted coordinates.  Default: fit on every row.
    batch_size
        Rows per ``transform`` call (recorded: the result depends on the blocks, not on where they run).
    client
        A ``distributed.Client``: the blocks are transformed on its workers (the fitted model sent once).

    Returns
    -------
    The (n, 2) coordinates.
    """
    check_key_name(key_added)
    umap_learn = _umap_learn()
    from umap.distances import named_distances

    if metric not in named_distances:
        raise LatentlabValueError(f"metric must be one of umap-learn's named metrics (euclidean, cosine, manhattan, "
                                  f"correlation, ...), got {metric!r}")
    n = len(store)
    sampled = sample_size is not None and sample_size < n
    fit_rows = np.sort(np.random.default_rng(seed).choice(n, sample_size, replace=False)) if sampled else None
    x = vectors(store, use_rep, fit_rows)
    if len(x) <= n_neighbors:
        raise LatentlabValueError(f"UMAP needs more than n_neighbors={n_neighbors} sketches to fit on, "
                                  f"{'the sample' if sampled else 'the store'} has {len(x)}")
    reducer = umap_learn.UMAP(n_neighbors=n_neighbors, min_dist=min_dist, metric=metric, random_state=seed,
                              n_components=2, n_jobs=1)
    params = {"method": "umap", "n_neighbors": n_neighbors, "min_dist": min_dist, "metric": metric,
              "use_rep": use_rep, "seed": seed}
    with _quiet():
        fitted = reducer.fit_transform(x).astype(np.float32)
    if not sampled:
        store.write(f"obsm/X_{key_added}", fitted, params)
        return fitted
    coords = np.zeros((n, 2), np.float32)
    coords[fit_rows] = fitted
    rest = np.setdiff1d(np.arange(n), fit_rows)
    blocks = [rest[a:a + batch_size] for a in range(0, len(rest), batch_size)]
    with _bar(len(rest), "umap transform") as bar:
        for rows, block in _transform_blocks(reducer, store, use_rep, blocks, client):
            coords[rows] = block
            bar.update(len(rows))
    params.update(sample_size=int(sample_size), sample_seed=seed, batch_size=batch_size,
                  transformed=int(len(rest)))
    store.write(f"obsm/X_{key_added}", coords, params)
    return coords


@contextlib.contextmanager
def _quiet():
    """A seed forces umap-learn onto one thread, which it warns about every time."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
        yield


def _transform(reducer, x: np.ndarray) -> np.ndarray:
    with _quiet():
        return reducer.transform(x).astype(np.float32)


def _transform_blocks(reducer, store: LatentStore, use_rep: str, blocks: list[np.ndarray], client):
    """``(rows, coordinates)`` of each block, transformed here or on the cluster's workers (as they finish)."""
    if client is None:
        for rows in blocks:
            yield rows, _transform(reducer, vectors(store, use_rep, rows))
        return
    from latentlab.cluster import map_blocks

    yield from map_blocks(client, _transform, reducer, blocks, lambda rows: vectors(store, use_rep, rows))


METHODS = {"pca": pca, "umap": umap}

"""Projections of the latent vectors, stored back beside them as scanpy's ``tl.pca`` / ``tl.umap`` store theirs.

``pca(store)`` writes ``obsm/X_pca``, ``uns/pca/variance_ratio`` and ``uns/pca/params``; ``umap(store)``
writes ``obsm/X_umap`` and ``uns/umap/params`` (the parameters and seed).  ``key_added="name"`` writes
``obsm/name`` and ``uns/name`` instead, keeping a second projection beside the first.

Past one machine's memory: ``pca`` streams the store's rows a block at a time
(their mean and d x d second moments, then the exact components) and writes its result the same way; ``umap``
fits on a seeded sample (``sample_size``) and ``transform``s every other row, a
block at a time, on a Dask cluster's workers when given a ``client``.
"""
from __future__ import annotations

import contextlib
import warnings

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.store import LatentStore
from latentlab.names import check_key_name
from latentlab.store.keys import projection_keys
from latentlab.deprecation import renamed

RESERVED = ("mu", "sigma", "z", "latentlab", "strokes", "decoded", "knn", "score")

STREAM_ROWS = 1_000_000  # above this many rows, pca streams unless told otherwise
BLOCK_ROWS = 65_536  # rows read, transformed and written at a time when streaming


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


@renamed("seed", "random_state")
def pca(store: LatentStore, *, n_components: int = 50, use_rep: str = "mu", random_state: int = 0,
        key_added: str | None = None, stream: bool | None = None, batch_size: int = BLOCK_ROWS) -> None:
    """PCA of the latent vectors.

    Parameters
    ----------
    store
        The latent store.
    n_components
        Components kept (at most the vectors' dimension and count).
    use_rep
        ``"mu"`` or ``"z"``.
    random_state
        scikit-learn's ``random_state`` (recorded; the streamed fit has no randomness).
    key_added
        Results go to ``obsm[key_added]`` and ``uns[key_added]`` (default ``obsm/X_pca``, ``uns/pca``).
    stream
        Read and write ``batch_size`` rows at a time (the mean and second moments gathered in one pass, then
        the same components as PCA's), so memory stays that of a block; default: above ``STREAM_ROWS`` rows.
    batch_size
        Rows per block when streaming (recorded).
    """
    from sklearn.decomposition import PCA

    basis, key = _keys(key_added, "pca")
    n = len(store)
    stream = n > STREAM_ROWS if stream is None else stream
    params = {"method": "pca", "use_rep": use_rep, "random_state": random_state}
    if not stream:
        x = store.vectors(use_rep)
        k = min(n_components, x.shape[0], x.shape[1])
        model = PCA(n_components=k, random_state=random_state)
        coords = model.fit_transform(x).astype(np.float32)
        params["n_components"] = k
        with store.edit("project --method pca") as e:  # all or nothing
            e.write(f"obsm/{basis}", coords)
            e.write(f"uns/{key}/variance_ratio", model.explained_variance_ratio_.astype(np.float32))
            e.params(key, params)
        return
    d = store.shape(f"obsm/{use_rep}")[1]
    k = min(n_components, d, n)
    blocks = _blocks(n, batch_size)
    total, gram = np.zeros(d), np.zeros((d, d))
    with _bar(2 * n, "pca (streamed)") as bar:
        for rows in blocks:  # one pass for the mean and the d x d second moments (float64), exact as PCA's
            x = store.vectors(use_rep, rows).astype(np.float64)
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
            out = e.create(f"obsm/{basis}", (n, k), np.float32)
            for rows in blocks:
                out[rows] = ((store.vectors(use_rep, rows) - mean) @ components).astype(np.float32)
                bar.update(rows.stop - rows.start)
            e.write(f"uns/{key}/variance_ratio", ratio)
            e.params(key, params)


@renamed("seed", "random_state")
def umap(store: LatentStore, *, n_neighbors: int = 15, min_dist: float = 0.1, metric: str = "euclidean",
         use_rep: str = "mu", random_state: int = 0, key_added: str | None = None, sample_size: int | None = None,
         batch_size: int = BLOCK_ROWS, client=None) -> None:
    """UMAP of the latent vectors to 2-D; seeded, hence reproducible.

    Parameters
    ----------
    store
        The latent store.
    n_neighbors, min_dist, metric
        umap-learn's parameters (recorded).
    use_rep
        ``"mu"`` or ``"z"``.
    random_state
        umap-learn's ``random_state`` (recorded; it makes UMAP single-threaded) and the sample's random_state.
    key_added
        The result goes to ``obsm[key_added]``, its parameters to ``uns[key_added]["params"]`` (default
        ``obsm/X_umap``, ``uns/umap``).
    sample_size
        Fit on this many rows drawn with ``random_state`` (recorded) and ``transform`` the others, ``batch_size`` at a
        time; the sampled rows keep their fitted coordinates.  Default: fit on every row.
    batch_size
        Rows per ``transform`` call (recorded: the result depends on the blocks, not on where they run).
    client
        A ``distributed.Client``: the blocks are transformed on its workers (the fitted model sent once).
    """
    basis, key = _keys(key_added, "umap")
    umap_learn = _umap_learn()
    from umap.distances import named_distances

    if metric not in named_distances:
        raise LatentlabValueError(f"metric must be one of umap-learn's named metrics (euclidean, cosine, manhattan, "
                                  f"correlation, ...), got {metric!r}")
    n = len(store)
    sampled = sample_size is not None and sample_size < n
    fit_rows = np.sort(np.random.default_rng(random_state).choice(n, sample_size, replace=False)) if sampled else None
    x = store.vectors(use_rep, fit_rows)
    if len(x) <= n_neighbors:
        raise LatentlabValueError(f"UMAP needs more than n_neighbors={n_neighbors} sketches to fit on, "
                                  f"{'the sample' if sampled else 'the store'} has {len(x)}")
    reducer = umap_learn.UMAP(n_neighbors=n_neighbors, min_dist=min_dist, metric=metric, random_state=random_state,
                              n_components=2, n_jobs=1)
    params = {"method": "umap", "n_neighbors": n_neighbors, "min_dist": min_dist, "metric": metric,
              "use_rep": use_rep, "random_state": random_state}
    with _quiet():
        fitted = reducer.fit_transform(x).astype(np.float32)
    if not sampled:
        store.write(f"obsm/{basis}", fitted, params=params, params_key=key)
        return
    coords = np.zeros((n, 2), np.float32)
    coords[fit_rows] = fitted
    rest = np.setdiff1d(np.arange(n), fit_rows)
    blocks = [rest[a:a + batch_size] for a in range(0, len(rest), batch_size)]
    with _bar(len(rest), "umap transform") as bar:
        for rows, block in _transform_blocks(reducer, store, use_rep, blocks, client):
            coords[rows] = block
            bar.update(len(rows))
    params.update(sample_size=int(sample_size), sample_seed=random_state, batch_size=batch_size,
                  transformed=int(len(rest)))
    store.write(f"obsm/{basis}", coords, params=params, params_key=key)


def _keys(key_added: str | None, method: str) -> tuple[str, str]:
    """The obsm and uns keys of a projection (:func:`latentlab.store.keys.projection_keys`), ``key_added``
    checked first."""
    if key_added is not None and check_key_name(key_added) in RESERVED:
        raise LatentlabValueError(f"key_added {key_added!r} is the store's own; choose another name")
    return projection_keys(method, key_added)


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
            yield rows, _transform(reducer, store.vectors(use_rep, rows))
        return
    from latentlab.distributed import map_blocks

    yield from map_blocks(client, _transform, reducer, blocks, lambda rows: store.vectors(use_rep, rows))


METHODS = {"pca": pca, "umap": umap}

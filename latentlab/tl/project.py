"""Projections of the latent vectors, stored back beside them (like scanpy's ``tl.pca`` / ``tl.umap``).

``pca(store)`` writes ``obsm/X_pca`` and ``uns/pca/variance_ratio``; ``umap(store)``
writes ``obsm/X_umap``.  Each result carries its parameters (and seed) as
attributes; ``key_added`` keeps a second projection beside the first.
"""
from __future__ import annotations

import warnings

import numpy as np

from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.store import LatentStore

USE_REPS = ("mu", "z")


def vectors(store: LatentStore, use_rep: str = "mu", rows: np.ndarray | None = None) -> np.ndarray:
    """The stored latent vectors ``obsm/<use_rep>`` (``"mu"`` or ``"z"``), all or ``rows`` (sorted, unique),
    refused when any of them is not finite."""
    if use_rep not in USE_REPS:
        raise LatentlabValueError(f"use_rep must be one of {USE_REPS}, got {use_rep!r}")
    x = store.read(f"obsm/{use_rep}", slice(None) if rows is None else rows)
    finite = np.isfinite(x).all(axis=1)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise LatentlabError(f"{store.path}: obsm/{use_rep} holds NaN or infinite values (row "
                             f"{bad if rows is None else int(rows[bad])}); encode the sketches again")
    return x


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
        key_added: str = "pca") -> np.ndarray:
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
        scikit-learn's ``random_state`` (recorded).
    key_added
        Results go to ``obsm/X_<key_added>`` and ``uns/<key_added>/variance_ratio``.

    Returns
    -------
    The (n, k) coordinates.
    """
    from sklearn.decomposition import PCA

    x = vectors(store, use_rep)
    k = min(n_components, x.shape[0], x.shape[1])
    model = PCA(n_components=k, random_state=seed)
    coords = model.fit_transform(x).astype(np.float32)
    params = {"method": "pca", "n_components": k, "use_rep": use_rep, "seed": seed}
    with store.edit("project --method pca") as e:  # both or neither
        e.write(f"obsm/X_{key_added}", coords, params)
        e.write(f"uns/{key_added}/variance_ratio", model.explained_variance_ratio_.astype(np.float32), params)
    return coords


def umap(store: LatentStore, *, n_neighbors: int = 15, min_dist: float = 0.1, metric: str = "euclidean",
         use_rep: str = "mu", seed: int = 0, key_added: str = "umap") -> np.ndarray:
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
        umap-learn's ``random_state`` (recorded; it makes UMAP single-threaded).
    key_added
        The result goes to ``obsm/X_<key_added>``.

    Returns
    -------
    The (n, 2) coordinates.
    """
    umap_learn = _umap_learn()
    from umap.distances import named_distances

    if metric not in named_distances:
        raise LatentlabValueError(f"metric must be one of umap-learn's named metrics (euclidean, cosine, manhattan, "
                                  f"correlation, ...), got {metric!r}")
    x = vectors(store, use_rep)
    if len(x) <= n_neighbors:
        raise LatentlabValueError(f"UMAP needs more than n_neighbors={n_neighbors} sketches, the store has {len(x)}")
    reducer = umap_learn.UMAP(n_neighbors=n_neighbors, min_dist=min_dist, metric=metric, random_state=seed,
                                n_components=2, n_jobs=1)
    with warnings.catch_warnings():  # a seed forces one thread, which umap-learn warns about every time
        warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
        coords = reducer.fit_transform(x).astype(np.float32)
    store.write(f"obsm/X_{key_added}", coords, {"method": "umap", "n_neighbors": n_neighbors, "min_dist": min_dist,
                                                "metric": metric, "use_rep": use_rep, "seed": seed})
    return coords


METHODS = {"pca": pca, "umap": umap}

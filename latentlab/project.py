"""Projections of the latent vectors, stored back beside them (like scanpy's ``tl.pca`` / ``tl.umap``).

``pca(store)`` writes ``obsm/X_pca`` and ``uns/pca/variance_ratio``; ``umap(store)``
writes ``obsm/X_umap``.  Each result carries its parameters (and seed) as attributes.
"""
from __future__ import annotations

import warnings

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.store import LatentStore

USE_REPS = ("mu", "z")


def _vectors(store: LatentStore, use_rep: str) -> np.ndarray:
    if use_rep not in USE_REPS:
        raise LatentlabError(f"use_rep must be one of {USE_REPS}, got {use_rep!r}")
    return store.read(f"obsm/{use_rep}")


def pca(store: LatentStore, n_components: int = 50, use_rep: str = "mu", seed: int = 0) -> np.ndarray:
    """PCA of the latent vectors -> ``obsm/X_pca`` (n, k) and the explained variance ratio."""
    from sklearn.decomposition import PCA

    x = _vectors(store, use_rep)
    k = min(n_components, x.shape[0], x.shape[1])
    model = PCA(n_components=k, random_state=seed)
    coords = model.fit_transform(x).astype(np.float32)
    params = {"method": "pca", "n_components": k, "use_rep": use_rep, "seed": seed}
    store.write("obsm/X_pca", coords, params)
    store.write("uns/pca/variance_ratio", model.explained_variance_ratio_.astype(np.float32), params, chunked=False)
    return coords


def umap(store: LatentStore, n_neighbors: int = 15, min_dist: float = 0.1, metric: str = "euclidean",
         use_rep: str = "mu", seed: int = 0) -> np.ndarray:
    """UMAP of the latent vectors -> ``obsm/X_umap`` (n, 2); seeded, hence reproducible."""
    import umap as umap_learn

    x = _vectors(store, use_rep)
    if len(x) <= n_neighbors:
        raise LatentlabError(f"UMAP needs more than n_neighbors={n_neighbors} sketches, the store has {len(x)}")
    reducer = umap_learn.UMAP(n_neighbors=n_neighbors, min_dist=min_dist, metric=metric, random_state=seed,
                              n_components=2, n_jobs=1)
    with warnings.catch_warnings():  # a seed forces one thread, which umap-learn warns about every time
        warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
        coords = reducer.fit_transform(x).astype(np.float32)
    store.write("obsm/X_umap", coords, {"method": "umap", "n_neighbors": n_neighbors, "min_dist": min_dist,
                                        "metric": metric, "use_rep": use_rep, "seed": seed})
    return coords


METHODS = {"pca": pca, "umap": umap}

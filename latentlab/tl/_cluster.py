"""Clusters of the latent space: scanpy's Leiden communities of the neighbour graph, with a summary a person reads
(size, majority class and purity, the medoid sketch and exemplars)."""
from __future__ import annotations

import numpy as np

from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.names import check_key_name
from latentlab.store import LatentStore
from latentlab.store.keys import missing
from latentlab.tl._neighbors import scanpy_keys

MEDOID_SAMPLE = 2000  # a cluster's medoid is sought among this many of its rows nearest its mean direction


def leiden(store: LatentStore, *, resolution: float = 1.0, random_state: int = 0, n_iterations: int = 2,
           neighbors_key: str = "knn", key_added: str = "leiden", n_exemplars: int = 5) -> dict:
    """Leiden communities of the neighbour graph, by scanpy's ``tl.leiden`` (igraph's implementation).

    Writes ``obs/<key_added>`` (categorical: ``"0"`` the largest cluster, as scanpy orders them) and
    ``uns/<key_added>``: ``params`` and, a row per cluster, ``size``, ``medoid`` (the row whose mu is nearest, by
    cosine, to the rest of its cluster), ``exemplars`` (the ``n_exemplars`` rows nearest the cluster's mean
    direction after the medoid; -1 where the cluster is smaller), and with labels ``majority`` (a class code)
    and ``purity`` (its share of the cluster).

    Parameters
    ----------
    store
        A store with the neighbour graph (``latentlab neighbors``).
    resolution
        Higher gives more, smaller clusters.
    random_state
        Seed of the partition.
    n_iterations
        Leiden iterations (scanpy's default for igraph: 2).
    neighbors_key
        The ``key_added`` the neighbours were written with.
    key_added
        The obs column and ``uns`` group written.
    n_exemplars
        Exemplars kept per cluster.

    Returns
    -------
    The summary (:func:`cluster_summary` of the clusters written).
    """
    check_key_name(key_added)
    if not 0 < resolution <= 100:
        raise LatentlabValueError(f"resolution must be in (0, 100], got {resolution!r}")
    if len(store) < 3:
        raise LatentlabValueError(f"{store.path}: {len(store)} sketches; clustering needs at least 3")
    _, prefix = scanpy_keys(neighbors_key)
    graph = f"obsp/{prefix}connectivities"
    if not store.has(graph):
        raise LatentlabError(missing(str(store.path), graph))
    codes = _leiden_codes(store.read_sparse(graph), resolution, random_state, n_iterations)
    labels = store.read("obs/label")
    summary = _summary_arrays(store.vectors("mu"), codes, labels if (labels >= 0).any() else None, n_exemplars)
    params = {"resolution": float(resolution), "random_state": int(random_state), "n_iterations": int(n_iterations),
              "neighbors_key": neighbors_key, "flavor": "igraph", "n_clusters": int(codes.max()) + 1}
    with store.edit(f"cluster {key_added}") as e:
        e.categorical(f"obs/{key_added}", codes, [str(c) for c in range(int(codes.max()) + 1)])
        e.write_group(f"uns/{key_added}", summary, params)
    return cluster_summary(store, key=key_added)


def _leiden_codes(connectivities, resolution: float, random_state: int, n_iterations: int) -> np.ndarray:
    """scanpy's ``tl.leiden`` over a connectivities graph: each row's cluster, numbered by size (0 the largest)."""
    import anndata
    import pandas as pd
    import scanpy as sc

    n = connectivities.shape[0]
    adata = anndata.AnnData(obs=pd.DataFrame(index=np.arange(n).astype(str)),
                            obsp={"connectivities": connectivities},
                            uns={"neighbors": {"connectivities_key": "connectivities", "params": {"method": "umap"}}})
    sc.tl.leiden(adata, resolution=resolution, random_state=random_state, n_iterations=n_iterations,
                 flavor="igraph", directed=False)
    found = adata.obs["leiden"].astype(int).to_numpy()
    by_size = np.argsort(-np.bincount(found), kind="stable")  # renumbered: 0 the largest
    return np.argsort(by_size)[found].astype(np.int32)


def _summary_arrays(mu: np.ndarray, codes: np.ndarray, labels: np.ndarray | None, n_exemplars: int
                    ) -> dict[str, np.ndarray]:
    """A row per cluster: size, medoid, exemplars, and with labels the majority class and its share."""
    unit = mu / np.maximum(np.linalg.norm(mu, axis=1, keepdims=True), 1e-12)
    k = int(codes.max()) + 1
    out = {"size": np.bincount(codes, minlength=k).astype(np.int64), "medoid": np.zeros(k, np.int64),
           "exemplars": np.full((k, n_exemplars), -1, np.int64)}
    if labels is not None:
        out["majority"], out["purity"] = np.zeros(k, np.int32), np.zeros(k, np.float32)
    for c in range(k):
        rows = np.flatnonzero(codes == c)
        centre = unit[rows].mean(0)
        order = rows[np.argsort(-(unit[rows] @ centre))]
        near = order[:MEDOID_SAMPLE]
        medoid = int(near[np.argmax((unit[near] @ unit[near].T).sum(1))])
        out["medoid"][c] = medoid
        rest = order[order != medoid][:n_exemplars]
        out["exemplars"][c, :len(rest)] = rest
        if labels is not None:
            known = labels[rows][labels[rows] >= 0]
            if len(known):
                counts = np.bincount(known)
                out["majority"][c], out["purity"][c] = int(counts.argmax()), counts.max() / len(rows)
            else:
                out["majority"][c] = -1
    return out


def cluster_summary(store: LatentStore, *, key: str = "leiden") -> dict:
    """The clusters of ``obs/<key>`` as a person reads them: their number, and a row each (size, medoid,
    exemplars, majority class and purity where the store has labels).

    Parameters
    ----------
    store
        A store clustered by :func:`leiden`.
    key
        Its ``key_added``.
    """
    if not store.has(f"uns/{key}/size"):
        raise LatentlabError(missing(str(store.path), f"uns/{key}"))
    g = {name: store.read(f"uns/{key}/{name}") for name in ("size", "medoid", "exemplars")}
    names = store.class_names
    has_labels = store.has(f"uns/{key}/majority")
    if has_labels:
        majority, purity = store.read(f"uns/{key}/majority"), store.read(f"uns/{key}/purity")
    clusters = []
    for c in range(len(g["size"])):
        row = {"cluster": str(c), "size": int(g["size"][c]), "medoid": int(g["medoid"][c]),
               "exemplars": [int(r) for r in g["exemplars"][c] if r >= 0]}
        if has_labels:
            major = int(majority[c])
            row.update(majority=names[major] if major >= 0 else None, purity=round(float(purity[c]), 4))
        clusters.append(row)
    out = {"key": key, "n_clusters": len(clusters), "params": store.params(key), "clusters": clusters}
    if has_labels:
        sizes = np.array([c["size"] for c in clusters])
        out["mean_purity"] = round(float(np.sum(sizes * [c["purity"] for c in clusters]) / sizes.sum()), 4)
    return out

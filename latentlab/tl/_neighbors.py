"""Nearest neighbours in latent space: exact (scikit-learn) and approximate (pynndescent) indexes.

``NeighborIndex`` follows scikit-learn (``fit``, then ``kneighbors`` ->
``(distances, indices)``); :func:`neighbors` runs it over a store and keeps the
result under ``uns/<key_added>`` for the report and for later queries.
"""
from __future__ import annotations

import functools

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.store import LatentStore
from latentlab.names import check_key_name
from latentlab.deprecation import renamed

METRICS = ("cosine", "euclidean")
METHODS = ("exact", "approx", "auto")
AUTO_EXACT_MAX = 60_000  # method="auto": brute force up to this many rows, pynndescent above
EXACT_WORKING_MB = 64  # the exact method computes distances in blocks of about this size


class NeighborIndex:
    """Nearest neighbours over the rows of ``X``.

    Parameters
    ----------
    metric
        ``"cosine"`` or ``"euclidean"``.
    method
        ``"exact"`` (brute force, scikit-learn), ``"approx"`` (pynndescent, for
        large stores) or ``"auto"`` (exact up to ``AUTO_EXACT_MAX`` rows).
    random_state
        Random state of the approximate index.
    """

    @renamed("seed", "random_state")
    def __init__(self, *, metric: str = "cosine", method: str = "exact", random_state: int = 0) -> None:
        self.metric = metric
        self.method = method
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> "NeighborIndex":
        """Index the rows of ``X`` (n, d); returns ``self``."""
        if self.metric not in METRICS:
            raise LatentlabValueError(f"metric must be one of {', '.join(METRICS)}, got {self.metric!r}")
        if self.method not in METHODS:
            raise LatentlabValueError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        self.X_ = np.ascontiguousarray(X, np.float32)
        if self.X_.ndim != 2 or not len(self.X_):
            raise LatentlabValueError(f"X must be a non-empty 2-D array, got shape {self.X_.shape}")
        self.method_ = self.method if self.method != "auto" else (
            "exact" if len(self.X_) <= AUTO_EXACT_MAX else "approx")
        if self.method_ == "exact":
            from sklearn.neighbors import NearestNeighbors

            self.index_ = NearestNeighbors(metric=self.metric, algorithm="brute").fit(self.X_)
        else:
            import pynndescent

            self.index_ = pynndescent.NNDescent(self.X_, metric=self.metric, random_state=self.random_state,
                                                n_neighbors=30)
            self.index_.prepare()
        return self

    def kneighbors(self, Q: np.ndarray | None = None, n_neighbors: int = 10, *, client=None,
                   batch_size: int = 65_536) -> tuple[np.ndarray, np.ndarray]:
        """The ``n_neighbors`` nearest indexed rows of each query, nearest first.

        Parameters
        ----------
        Q
            Queries (m, d) or (d,).  ``None``: every indexed row, each leaving
            itself out (as scikit-learn does).
        n_neighbors
            How many neighbours (at most the number of rows, less one when ``Q`` is ``None``).
        client
            A ``distributed.Client``: the index is sent once to its workers, which answer the queries
            ``batch_size`` at a time (the approximate index then searches for every row rather than
            reading its own construction graph).

        Returns
        -------
        distances, indices
            Two (m, n_neighbors) arrays.
        """
        if not hasattr(self, "index_"):
            raise LatentlabValueError("this NeighborIndex is not fitted yet: call fit(X) first")
        leave_out = Q is None
        Q = self.X_ if leave_out else np.atleast_2d(np.asarray(Q, np.float32))
        k = min(int(n_neighbors), len(self.X_) - int(leave_out))
        if k < 1:
            raise LatentlabValueError(f"n_neighbors must be >= 1 and the index needs more rows (has {len(self.X_)})")
        ask = k + int(leave_out)
        if client is not None:
            dist, idx = _query_on_cluster(client, self.index_, Q, ask, batch_size)
        elif self.method_ == "exact":
            import sklearn

            with sklearn.config_context(working_memory=EXACT_WORKING_MB):  # distance blocks, not an n x n matrix
                dist, idx = self.index_.kneighbors(Q, n_neighbors=ask)
        else:
            graph = leave_out and ask <= self.index_.n_neighbors  # the index's own graph holds these already
            idx, dist = self.index_.neighbor_graph if graph else self.index_.query(Q, k=ask)
            idx, dist = idx[:, :ask], dist[:, :ask]
        if leave_out:
            idx, dist = _drop_self(idx, dist, k, np.arange(len(idx)))
        return dist.astype(np.float32), idx.astype(np.int64)


def _query(index, Q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(distances, indices)`` of ``Q`` from a scikit-learn or pynndescent index."""
    if hasattr(index, "query"):
        idx, dist = index.query(Q, k=k)
        return dist, idx
    return index.kneighbors(Q, n_neighbors=k)


def _query_on_cluster(client, index, Q: np.ndarray, k: int, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """The queries in blocks on the workers of ``client``, the index sent to each once."""
    from latentlab.distributed import map_blocks
    from latentlab.tl._project import _bar

    dist, idx = np.zeros((len(Q), k), np.float32), np.zeros((len(Q), k), np.int64)
    with _bar(len(Q), "neighbour queries") as bar:
        for a, (d, i) in map_blocks(client, functools.partial(_query, k=k), index, list(range(0, len(Q), batch_size)),
                                    lambda a: Q[a:a + batch_size]):
            dist[a:a + len(d)], idx[a:a + len(i)] = d, i
            bar.update(len(d))
    return dist, idx


def _drop_self(idx: np.ndarray, dist: np.ndarray, k: int, selves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leave each query's own row (``selves``) out of its neighbours (wherever ties put it), keeping ``k``."""
    own = idx == np.asarray(selves)[:, None]
    own[:, -1] |= ~own.any(axis=1)  # not found among them: drop the farthest instead
    keep = ~own
    return idx[keep].reshape(len(idx), -1)[:, :k], dist[keep].reshape(len(idx), -1)[:, :k]


def of_row(index: NeighborIndex, row: int, n_neighbors: int = 10, where: str = "X") -> tuple[np.ndarray, np.ndarray]:
    """The ``n_neighbors`` nearest other rows of indexed row ``row`` (itself left out): ``(distances, indices)``.

    Parameters
    ----------
    index
        A fitted :class:`NeighborIndex`.
    row
        An indexed row.
    n_neighbors
        How many.
    where
        Names the data in the error for a row out of range.

    Returns
    -------
    distances, indices
        (1, n_neighbors) each, nearest first.
    """
    n = len(index.X_)
    if not 0 <= row < n:
        raise LatentlabValueError(f"{where}: row {row} out of range (0..{n - 1})")
    dist, idx = index.kneighbors(index.X_[row], min(n_neighbors + 1, n))
    idx, dist = _drop_self(idx, dist, n_neighbors, [row])
    return dist, idx


@renamed("seed", "random_state")
def neighbors(store: LatentStore, *, n_neighbors: int = 10, metric: str = "cosine", use_rep: str = "mu",
              method: str = "auto", random_state: int = 0, key_added: str = "knn", client=None) -> None:
    """Each stored sketch's nearest other sketches: latentlab's dense lists and scanpy's graphs.

    Writes ``uns/<key_added>/indices`` and ``.../distances`` (n, n_neighbors), nearest first, which the explorer
    and the tools read; and the graphs scanpy's ``pp.neighbors`` makes, so that ``sc.tl.leiden``, ``sc.tl.paga``
    and ``sc.tl.umap`` run on the store as they are: ``obsp/distances`` (the same neighbours, sparse) and
    ``obsp/connectivities`` (UMAP's fuzzy union of them, as scanpy computes it), described by ``uns/neighbors``
    (for another ``key_added``: ``obsp/<key_added>_distances``, ``..._connectivities`` and
    ``uns/<key_added>_neighbors``, scanpy's ``neighbors_key``).

    Parameters
    ----------
    store
        The latent store.
    n_neighbors, metric, method, random_state
        As for :class:`NeighborIndex` (``n_neighbors`` counts other sketches; scanpy's counts the sketch too).
    use_rep
        Vectors to use: ``"mu"`` or ``"z"``.
    key_added
        Group under ``uns`` that receives ``indices``, ``distances`` and ``params``.
    client
        A ``distributed.Client``: the index is built once here and queried in parallel on its workers.
    """
    check_key_name(key_added)
    if not 1 <= n_neighbors < len(store):
        raise LatentlabValueError(f"n_neighbors={n_neighbors}: {store.path} has {len(store)} sketches, so each has "
                                  f"at most {len(store) - 1} others")
    index = NeighborIndex(metric=metric, method=method, random_state=random_state).fit(store.vectors(use_rep))
    dist, idx = index.kneighbors(None, n_neighbors, client=client)
    params = {"n_neighbors": int(idx.shape[1]), "metric": metric, "use_rep": use_rep, "method": index.method_,
              "random_state": random_state, "queried_on_cluster": client is not None}
    distances, connectivities = knn_graphs(idx, dist)
    scanpy_key, prefix = scanpy_keys(key_added)
    with store.edit(f"write uns/{key_added}") as e:  # all or nothing
        e.write_group(f"uns/{key_added}", {"indices": idx.astype(np.int32), "distances": dist}, params)
        e.write_sparse(f"obsp/{prefix}distances", distances)
        e.write_sparse(f"obsp/{prefix}connectivities", connectivities)
        e.dict(f"uns/{scanpy_key}", {"connectivities_key": f"{prefix}connectivities",
                                     "distances_key": f"{prefix}distances",
                                     "params": {"n_neighbors": int(idx.shape[1]) + 1, "method": "umap",
                                                "metric": metric, "use_rep": use_rep, "random_state": random_state}})


def scanpy_keys(key_added: str = "knn") -> tuple[str, str]:
    """(``uns`` entry, ``obsp`` prefix) of the graphs :func:`neighbors` writes for ``key_added``: scanpy's own
    names (``neighbors``, none) for the default ``knn``, ``<key>_neighbors`` and ``<key>_`` for another."""
    return ("neighbors", "") if key_added == "knn" else (f"{key_added}_neighbors", f"{key_added}_")


def knn_graphs(idx: np.ndarray, dist: np.ndarray):
    """(distances, connectivities) as scanpy's ``pp.neighbors`` keeps them, from each row's k nearest others:
    the k distances a row as a sparse matrix, and UMAP's fuzzy simplicial set over them (``set_op_mix_ratio``
    and ``local_connectivity`` 1, each row's own point counted as its nearest, as scanpy counts it)."""
    from scipy.sparse import coo_matrix, csr_matrix

    from latentlab.tl._project import _umap_learn

    fuzzy_simplicial_set = _umap_learn().umap_.fuzzy_simplicial_set  # umap-learn without TensorFlow
    n, k = idx.shape
    rows = np.repeat(np.arange(n), k)
    distances = csr_matrix((dist.ravel().astype(np.float32), (rows, idx.ravel())), shape=(n, n))
    with_self_i = np.hstack([np.arange(n)[:, None], idx]).astype(np.int64)
    with_self_d = np.hstack([np.zeros((n, 1), np.float32), dist]).astype(np.float32)
    connectivities = fuzzy_simplicial_set(coo_matrix((n, 1)), k + 1, None, None, knn_indices=with_self_i,
                                          knn_dists=with_self_d, set_op_mix_ratio=1.0, local_connectivity=1.0)[0]
    return distances, connectivities.tocsr()


def recall_at_k(approx: np.ndarray, exact: np.ndarray) -> float:
    """Mean fraction of the exact k neighbours that the approximate index also returned.

    Parameters
    ----------
    approx, exact
        (m, k) neighbour indices of the same queries.

    Returns
    -------
    The recall, in [0, 1].
    """
    hits = [len(set(a) & set(e)) / len(e) for a, e in zip(approx, exact)]
    return float(np.mean(hits))


def same_class_rate(index: NeighborIndex, labels: np.ndarray, k: int = 10) -> float:
    """How often a sketch's k nearest other sketches share its class (leave-one-out).

    Parameters
    ----------
    index
        A fitted :class:`NeighborIndex`.
    labels
        Class of each indexed row.
    k
        Neighbours per row.

    Returns
    -------
    The share of neighbours of the same class, in [0, 1].
    """
    _, idx = index.kneighbors(None, k)
    return float(np.mean(labels[idx] == np.asarray(labels)[:, None]))


def neighbors_of(store: LatentStore, *, row: int | None = None, sketch: np.ndarray | None = None,
                 n_neighbors: int = 10, metric: str = "cosine", method: str = "auto", use_rep: str = "mu",
                 model=None) -> tuple[np.ndarray, np.ndarray]:
    """The stored sketches nearest to one: a ``row`` of the store (itself left out) or a ``sketch`` of your own,
    encoded with the store's model (or ``model``).

    Parameters
    ----------
    store
        The latent store.
    row, sketch
        The query: give one.
    n_neighbors, metric, method
        As for :class:`NeighborIndex`.
    use_rep
        Stored vectors to search: ``"mu"`` or ``"z"``.
    model
        For ``sketch``: a model name or folder, a copy of the one that encoded the store.

    Returns
    -------
    distances, indices
        (n_neighbors,) each, nearest first.
    """
    if (row is None) == (sketch is None):
        raise LatentlabValueError("give row= or sketch=, not both")
    index = NeighborIndex(metric=metric, method=method).fit(store.vectors(use_rep))
    if sketch is not None:
        dist, idx = index.kneighbors(store.model(model).encode([sketch]).mu, n_neighbors)
    else:
        dist, idx = of_row(index, row, n_neighbors, where=str(store.path))
    return dist[0], idx[0]

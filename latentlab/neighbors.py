"""Nearest neighbours in latent space: exact (scikit-learn) and approximate (pynndescent) indexes."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from latentlab.errors import LatentlabError

METRICS = ("cosine", "euclidean")


@dataclass
class NeighborIndex:
    """An index over the rows of ``vectors``: ``query(q, k)`` -> (indices, distances), nearest first."""

    vectors: np.ndarray
    metric: str = "cosine"
    method: str = "exact"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise LatentlabError(f"metric must be one of {METRICS}, got {self.metric!r}")
        self.vectors = np.asarray(self.vectors, np.float32)
        if self.method == "exact":
            from sklearn.neighbors import NearestNeighbors

            self._index = NearestNeighbors(metric=self.metric, algorithm="brute").fit(self.vectors)
        elif self.method == "approx":
            import pynndescent

            self._index = pynndescent.NNDescent(self.vectors, metric=self.metric, random_state=self.seed,
                                                n_neighbors=30)
            self._index.prepare()
        else:
            raise LatentlabError(f"method must be 'exact' or 'approx', got {self.method!r}")

    def query(self, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        queries = np.atleast_2d(np.asarray(queries, np.float32))
        k = min(k, len(self.vectors))
        if self.method == "exact":
            dist, idx = self._index.kneighbors(queries, n_neighbors=k)
        else:
            idx, dist = self._index.query(queries, k=k)
        return idx, dist


def recall_at_k(approx: np.ndarray, exact: np.ndarray) -> float:
    """Mean fraction of the exact k neighbours that the approximate index also returned."""
    hits = [len(set(a) & set(e)) / len(e) for a, e in zip(approx, exact)]
    return float(np.mean(hits))


def same_class_rate(index: NeighborIndex, labels: np.ndarray, k: int = 10) -> float:
    """How often a sketch's k nearest other sketches share its class (leave-one-out)."""
    idx, _ = index.query(index.vectors, k + 1)
    others = [row[row != i][:k] for i, row in enumerate(idx)]
    return float(np.mean([np.mean(labels[o] == labels[i]) for i, o in enumerate(others)]))

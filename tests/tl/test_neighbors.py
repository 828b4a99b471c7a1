"""Nearest neighbours of a store's vectors: exact and approximate, sorted by class more than chance."""
import numpy as np

from latentlab.tl import NeighborIndex
from latentlab.tl._neighbors import recall_at_k, same_class_rate


def test_neighbours_share_class_more_than_chance(mini_store):
    labels = mini_store.read("obs/label")
    assert len(set(labels)) > 300
    index = NeighborIndex(metric="cosine").fit(mini_store.read("obsm/mu"))
    rate = same_class_rate(index, labels, k=5)
    chance = np.mean([np.mean(labels == label) for label in labels])
    print(f"same-class rate of 5 nearest neighbours: {rate:.4f} vs chance {chance:.4f}")
    assert rate > 3 * chance


def test_approximate_neighbours_recall(mini_store):
    vectors = mini_store.read("obsm/mu")
    exact = NeighborIndex(metric="euclidean", method="exact").fit(vectors)
    approx = NeighborIndex(metric="euclidean", method="approx", random_state=0).fit(vectors)
    _, e = exact.kneighbors(vectors[:200], 10)
    _, a = approx.kneighbors(vectors[:200], 10)
    recall = recall_at_k(a, e)
    print(f"pynndescent recall@10 vs exact: {recall:.3f}")
    assert recall > 0.9

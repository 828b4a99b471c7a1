"""The cluster gallery: a row per cluster, its medoid sketch first, then its exemplars."""
from __future__ import annotations

import matplotlib.pyplot as plt

from latentlab.pl.draw import grid
from latentlab.store import LatentStore
from latentlab.tl import cluster_summary


def clusters(store: LatentStore, *, key: str = "leiden", max_clusters: int = 40) -> plt.Figure:
    """A figure of the clusters of ``obs/<key>`` (``latentlab cluster``): a row each, largest first, with the
    medoid captioned by the cluster's size and, where the store has labels, its majority class and purity.

    Parameters
    ----------
    store
        A clustered store.
    key
        The clustering's ``key_added``.
    max_clusters
        Rows drawn at most (the largest clusters).
    """
    summary = cluster_summary(store, key=key)
    shown = summary["clusters"][:max_clusters]
    width = 1 + max((len(c["exemplars"]) for c in shown), default=0)
    rows, captions = [], []
    for c in shown:
        cells = [c["medoid"], *c["exemplars"]]
        head = f"{key} {c['cluster']}: {c['size']}"
        if c.get("majority"):
            head += f"\n{c['majority']} {c['purity']:.0%}"
        rows += cells + [None] * (width - len(cells))
        captions += [head] + [f"row {r}" for r in cells[1:]] + [""] * (width - len(cells))
    drawn = store.sketches([r for r in rows if r is not None])
    it = iter(drawn)
    sketches = [next(it) if r is not None else None for r in rows]
    more = f" (the {len(shown)} largest)" if len(shown) < summary["n_clusters"] else ""
    return grid(sketches, captions, ncols=width, title=f"{summary['n_clusters']} {key} clusters{more}: medoid, "
                                                       "then exemplars")

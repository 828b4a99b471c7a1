"""Two models' maps of the same sketches side by side: each space's PCA, the second rotated onto the first."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from latentlab.store import LatentStore
from latentlab.tl import common_rows


def compare_maps(a: LatentStore, b: LatentStore, *, use_rep: str = "mu", max_points: int = 20_000,
                 random_state: int = 0) -> plt.Figure:
    """The first two principal components of each store's vectors over their common sketches, ``b``'s rotated
    and scaled onto ``a``'s (orthogonal Procrustes), coloured by ``a``'s labels: where the two models put the same
    sketches.

    Parameters
    ----------
    a, b
        Stores of the same sketches (:func:`latentlab.tl.compare`).
    use_rep
        The vectors.
    max_points
        Points drawn at most (a seeded sample).
    random_state
        Seed of the PCA and the sample.
    """
    from scipy.linalg import orthogonal_procrustes
    from sklearn.decomposition import PCA

    ia, ib = common_rows(a, b)
    maps = [PCA(2, random_state=random_state).fit_transform(s.vectors(use_rep)[rows])
            for s, rows in ((a, ia), (b, ib))]
    centred = [m - m.mean(0) for m in maps]
    scaled = [c / np.linalg.norm(c) for c in centred]
    rotation, _ = orthogonal_procrustes(scaled[1], scaled[0])
    maps = [scaled[0], scaled[1] @ rotation]
    labels = a.read("obs/label")[ia]
    rng = np.random.default_rng(random_state)
    shown = np.sort(rng.choice(len(ia), min(max_points, len(ia)), replace=False))
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.3), sharex=True, sharey=True)
    for ax, xy, store in zip(axes, maps, (a, b)):
        ax.scatter(xy[shown, 0], xy[shown, 1], c=labels[shown], cmap="tab20", s=6, linewidths=0)
        model = Path(str(store.provenance.get("model_dir", ""))).name
        ax.set_title(f"{store.path.name} ({model})" if model else store.path.name, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"PCA of {use_rep} on {len(ia):,} common sketches; right rotated onto left (Procrustes)")
    fig.tight_layout()
    return fig

"""The map of a store as a matplotlib figure, as scanpy's ``pl.embedding``: for notebooks and papers."""
from __future__ import annotations

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.store import LatentStore
from latentlab.store.keys import obsm_key

MAX_LEGEND = 30  # classes listed beside the map; more are left to the colours alone


def basis_key(store: LatentStore, basis: str) -> str:
    """The file key of a basis (``"umap"`` -> ``obsm/X_umap``; an obsm key such as a ``key_added`` as it is).

    Parameters
    ----------
    store
        The store.
    basis
        A basis name or an obsm key.
    """
    return f"obsm/{obsm_key(basis, store.keys('obsm'))}"


def embedding(store: LatentStore, *, basis: str = "umap", color: str | None = "label", size: float | None = None,
              title: str | None = None, ax=None):
    """Scatter the sketches of ``store`` on a stored projection, coloured by an obs column.

    Parameters
    ----------
    store
        A latent store with the projection (``latentlab project`` / :func:`latentlab.tl.umap`).
    basis
        ``"umap"``, ``"pca"`` or the name of any 2-column obsm array (a ``key_added``).
    color
        An obs column: categorical ones (``"label"``, a scanpy ``"leiden"``) get a colour per category and a
        legend (up to 30), numeric ones (``"length"``, ``"Lr"``) a colour bar; None for one colour.
    size
        Point size (default: smaller as the store grows).
    title
        Axes title (default: the store's name and the basis).
    ax
        A matplotlib Axes to draw into (default: a new figure).

    Returns
    -------
    The matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    xy = store.read(basis_key(store, basis))[:, :2]
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 6))
    fig = ax.figure
    size = size or max(0.5, min(20.0, 20000 / max(len(store), 1)))
    values, names = _color_values(store, color)
    if names is None:
        points = ax.scatter(xy[:, 0], xy[:, 1], s=size, c=values, cmap="viridis", linewidths=0)
        if values is not None:
            fig.colorbar(points, ax=ax, label=color)
    else:
        cmap = plt.get_cmap("tab20" if len(names) <= 20 else "hsv", max(len(names), 1))
        for code in np.unique(values):
            rows = values == code
            label = names[code] if code >= 0 else "(none)"
            ax.scatter(xy[rows, 0], xy[rows, 1], s=size, linewidths=0, label=label,
                       color=cmap(code) if code >= 0 else "#bbbbbb")
        if len(names) <= MAX_LEGEND:
            ax.legend(markerscale=max(1.0, 6 / np.sqrt(size)), fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5),
                      frameon=False)
    ax.set_title(title or f"{store.path.name}: {basis}")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def _color_values(store: LatentStore, color: str | None) -> tuple[np.ndarray | None, list[str] | None]:
    """(values, category names) of obs column ``color``: codes and names for a categorical, numbers and None."""
    if color is None:
        return None, None
    if not store.has(f"obs/{color}"):
        raise LatentlabValueError(f"{store.path}: no obs column {color!r} to colour by")
    if store.has(f"obs/{color}/categories"):
        return store.read(f"obs/{color}"), store.strings(f"obs/{color}/categories")
    values = store.read(f"obs/{color}")
    if values.dtype.kind not in "iuf":
        raise LatentlabValueError(f"{store.path}: obs/{color} is neither numeric nor categorical")
    return values.astype(np.float64), None

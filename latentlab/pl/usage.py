"""How a VAE uses its latent dimensions: the KL of each, sorted, with the active units marked."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def latent_usage(usage: dict, *, title: str = "") -> plt.Figure:
    """A bar a dimension, most used first: its mean KL from the posterior to the prior, dark where the unit is
    active (the variance of its mu over the data above the threshold), light where it has collapsed.

    Parameters
    ----------
    usage
        :func:`latentlab.eval.latent_usage`'s result (``evaluate``'s ``"latent"``).
    title
        Prefixed to the figure's title.
    """
    kl = np.asarray(usage["kl_per_dim"])
    active = np.asarray(usage["mu_variance"]) > usage["active_threshold"]
    order = np.argsort(-kl)
    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.bar(np.arange(len(kl)), kl[order], width=1.0, color=np.where(active[order], "#31688e", "#b8d8e8"))
    ax.set_xlabel("latent dimension, by KL")
    ax.set_ylabel("mean KL (nats)")
    ax.set_xlim(-0.5, len(kl) - 0.5)
    head = f"{title}: " if title else ""
    ax.set_title(f"{head}{usage['active_units']} of {len(kl)} units active (Var[mu] > {usage['active_threshold']:g}); "
                 f"KL {kl.sum():.1f} nats in all", fontsize=10)
    fig.tight_layout()
    return fig

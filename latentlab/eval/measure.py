"""A model measured on a split of sketches: Lr and Lkl, how it uses its latent dimensions, and class separation.

``latentlab evaluate`` prints :func:`evaluate`; model cards (:mod:`latentlab.eval.card`) build on it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from latentlab.eval.separation import class_separation

if TYPE_CHECKING:  # TensorFlow is imported only where a model runs
    from latentlab.model.runtime import SketchRNN

ACTIVE = 0.01  # a unit is active where the variance of its mu over the data passes this (Burda et al. 2015)


def latent_usage(mu: np.ndarray, sigma: np.ndarray) -> dict:
    """How a VAE uses its latent dimensions over a set of sketches: the active units (Burda et al. 2015: the
    variance of mu over the data above :data:`ACTIVE`) and the KL from the posterior to N(0, 1) of each dimension,
    averaged over the sketches (a collapsed dimension has a KL near 0: its posterior is the prior).

    Parameters
    ----------
    mu, sigma
        (n, d) posterior means and standard deviations.

    Returns
    -------
    ``{"active_units", "active_threshold", "mu_variance", "kl_per_dim"}`` (the last two a list of d).
    """
    mu, sigma = np.asarray(mu, np.float64), np.asarray(sigma, np.float64)
    variance = mu.var(axis=0)
    kl = 0.5 * (mu ** 2 + sigma ** 2 - 1 - np.log(np.maximum(sigma, 1e-12) ** 2)).mean(axis=0)
    return {"active_units": int((variance > ACTIVE).sum()), "active_threshold": ACTIVE,
            "mu_variance": [round(float(v), 6) for v in variance], "kl_per_dim": [round(float(k), 6) for k in kl]}


def evaluate(model: "SketchRNN", sketch_set, *, seed: int = 0, fit_on=None) -> dict:
    """``latentlab evaluate``'s figures for one split: Lr and Lkl, and class separation when it has classes.

    Parameters
    ----------
    model
        The model.
    sketch_set
        A :class:`latentlab.io.datasets.SketchSet` (sketches within the model's max_seq_len).
    seed
        Seed of the posterior samples z (and of the folds).
    fit_on
        Another labelled ``SketchSet`` (e.g. generated training sketches) for :func:`class_separation`'s
        ``transfer_mu``; its class names are matched to ``sketch_set``'s by name (an unlabelled one is left out).

    Returns
    -------
    ``{"Lr", "Lkl", "n", "dropped", "seed"}``, with an encoder ``"latent"`` (:func:`latent_usage`), plus
    ``"separation"`` for a split of two or more classes.
    """
    ll = model.log_likelihood(sketch_set.sketches, seed=seed)
    out = {"Lr": float(np.mean(ll["Lr"])), "Lkl": float(np.mean(ll["Lkl"])), "n": len(sketch_set),
           "dropped": sketch_set.dropped, "seed": seed}
    if model.hps.conditional:
        posterior = model.encode(sketch_set.sketches, deterministic=True)
        out["latent"] = latent_usage(posterior.mu, posterior.sigma)
    if sketch_set.labels is not None and len(set(sketch_set.labels.tolist())) > 1 and model.hps.conditional:
        train = None
        if fit_on is not None and fit_on.labels is not None and fit_on.class_names:  # unlabelled: nothing to fit
            names = sketch_set.class_names
            lookup = np.array([names.index(c) if c in names else -1 for c in fit_on.class_names])
            mapped = lookup[fit_on.labels]
            train = ([s for s, m in zip(fit_on.sketches, mapped) if m >= 0], mapped[mapped >= 0])
        out["separation"] = class_separation(model, sketch_set.sketches, sketch_set.labels, fit_on=train, seed=seed)
    return out

"""An auxiliary class head on mu, for a latent space whose neighbours share a class.

SketchRNN's own loss asks mu to hold whatever helps the decoder redraw the sketch (its pose, size and
stroke order as much as its class).  With ``class_weight`` > 0 the trainers add
``class_weight * cross_entropy(softmax(mu @ kernel + bias), label)`` to magenta's cost, so the encoder
also places sketches of one class together.  The head is training state only: checkpoints carry it
under ``vector_rnn/latentlab_class_head/*`` (so runs resume it), exports leave it out (the model stays in magenta's
layout), and ``model_info.json`` records its weight.
"""
from __future__ import annotations

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.model.layout import SCOPE

KERNEL, BIAS = f"{SCOPE}/latentlab_class_head/kernel", f"{SCOPE}/latentlab_class_head/bias"
HEAD_NAMES = (BIAS, KERNEL)  # sorted, as the engines order variables


def head_weights(weights: dict[str, np.ndarray], z_size: int, classes: int, seed: int) -> dict[str, np.ndarray]:
    """``weights`` with a class head: the one it carries (a resumed run), else a new one (Glorot-uniform kernel).

    Parameters
    ----------
    weights
        The model's weights, by name.
    z_size
        Latent size (rows of the kernel).
    classes
        Number of classes (columns).
    seed
        Seed of a new kernel.
    """
    kernel = weights.get(KERNEL)
    if kernel is not None:
        if kernel.shape != (z_size, classes):
            raise LatentlabError(f"the checkpoint's class head is {kernel.shape}, the data needs ({z_size}, "
                                 f"{classes}): train on the same classes, or in a new folder")
        return weights
    limit = np.sqrt(6.0 / (z_size + classes))
    rng = np.random.default_rng([seed, 0xC1A55])
    return {**weights, KERNEL: rng.uniform(-limit, limit, (z_size, classes)).astype(np.float32),
            BIAS: np.zeros(classes, np.float32)}


def without_head(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The model's own weights: ``weights`` less the class head."""
    return {k: v for k, v in weights.items() if k not in HEAD_NAMES}

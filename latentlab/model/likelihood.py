"""Teacher-forced scores of sketches under a loaded model: per-step mixture parameters and magenta's Lr / Lkl."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from latentlab.io.strokes import pad_batch
from latentlab.model.mixture import MixtureParams, split_mixture
from latentlab.model.tfquiet import tf

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN


def mixture_params(model: SketchRNN, sketches: Sequence[np.ndarray], z: np.ndarray | None = None) -> MixtureParams:
    """Teacher-forced per-step mixture parameters (B, max_seq_len, M), for inspection and parity.

    Parameters
    ----------
    model
        A loaded :class:`~latentlab.model.runtime.SketchRNN`.
    sketches, z
        Stroke-3 sketches in data units, and their latent vectors (default: zeros).
    """
    data, _ = pad_batch(model.to_model_units(sketches), model.hps.max_seq_len)
    if z is None:
        z = np.zeros((len(sketches), model.hps.z_size), np.float32)
    out = model.decoder_outputs(tf.constant(data[:, :-1]), tf.constant(np.asarray(z, np.float32)))
    mix = split_mixture(out, model.hps.num_mixture)
    return MixtureParams(**{k: mix[k].numpy() for k in MixtureParams.__dataclass_fields__})


def log_likelihood(model: SketchRNN, sketches: Sequence[np.ndarray], *, seed: int = 0, deterministic: bool = False,
                   batch_size: int = 100) -> dict[str, np.ndarray]:
    """Per-sketch reconstruction loss ``Lr`` and ``Lkl`` in magenta's (the paper's) definition.

    ``Lr = (sum of offset NLL over the sketch's points + pen cross-entropy over all max_seq_len steps) /
    max_seq_len``; ``Lkl`` is the per-dimension KL before magenta's ``kl_tolerance`` floor.  Lower is better.

    Parameters
    ----------
    model
        A loaded :class:`~latentlab.model.runtime.SketchRNN`.
    sketches
        Stroke-3 arrays in data units.
    seed
        Seed of the posterior samples z (magenta's evaluation samples them).
    deterministic
        Use ``z = mu`` instead.
    batch_size
        Sketches scored together.

    Returns
    -------
    ``{"Lr": (n,), "Lkl": (n,)}`` float32 arrays.
    """
    n = len(sketches)
    lr = np.zeros(n, np.float32)
    lkl = np.zeros(n, np.float32)
    enc = model.encode(sketches, seed=seed, deterministic=deterministic) if model.hps.conditional else None
    big = model.hps.max_seq_len
    for start in range(0, n, batch_size):
        chunk = list(range(start, min(n, start + batch_size)))
        data, _ = pad_batch(model.to_model_units([sketches[i] for i in chunk]), big)
        if enc is None:
            z = np.zeros((len(chunk), model.hps.z_size), np.float32)
        else:
            z = enc.z[chunk]
            lkl[chunk] = -0.5 * np.mean(1 + enc.presig[chunk] - enc.mu[chunk] ** 2 - np.exp(enc.presig[chunk]), axis=1)
        offset, pen = model.teacher_forced(data, z)
        lr[chunk] = (offset.sum(1) + pen.sum(1)) / big
    return {"Lr": lr, "Lkl": lkl}

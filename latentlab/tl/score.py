"""Per-sketch likelihood under the store's model, kept beside the sketches (``obs/Lr``, ``obs/Lkl``).

The report colours and filters by it: high ``Lr`` marks the sketches the model explains worst.
"""
from __future__ import annotations

import numpy as np

from latentlab.model.runtime import SketchRNN
from latentlab.store import LatentStore


def score(store: LatentStore, model: SketchRNN | None = None, *, seed: int = 0, batch_size: int = 100) -> np.ndarray:
    """Each stored sketch's reconstruction loss ``Lr`` and ``Lkl`` (magenta's definitions), into ``obs``.

    Parameters
    ----------
    store
        The latent store.
    model
        Its model (default: the one that encoded the store, see :func:`latentlab.tl.decode.store_model`).
    seed
        Seed of the posterior samples z, as ``latentlab evaluate`` uses.
    batch_size
        Sketches per batch.

    Returns
    -------
    ``Lr`` per sketch (n,).
    """
    from tqdm.auto import tqdm

    from latentlab.tl.decode import store_model

    model = model or store_model(store)
    sketches = store.sketches()
    lr, lkl = [], []
    for start in tqdm(range(0, len(sketches), 1000), desc="scoring", leave=False):
        ll = model.log_likelihood(sketches[start:start + 1000], seed=seed + start, batch_size=batch_size)
        lr.append(ll["Lr"])
        lkl.append(ll["Lkl"])
    params = {"seed": seed, "model_step": int(model.step or 0)}
    with store.edit("score") as e:  # both or neither
        e.write("obs/Lr", np.concatenate(lr).astype(np.float32), params)
        e.write("obs/Lkl", np.concatenate(lkl).astype(np.float32), params)
    return np.concatenate(lr)

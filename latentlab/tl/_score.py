"""Per-sketch likelihood under the store's model, kept beside the sketches (``obs/Lr``, ``obs/Lkl``; parameters
in ``uns/score/params``).

The report colours and filters by it: high ``Lr`` marks the sketches the model explains worst.
"""
from __future__ import annotations

import numpy as np

from typing import TYPE_CHECKING

from latentlab.store import LatentStore
from latentlab.deprecation import renamed

if TYPE_CHECKING:  # the model (and TensorFlow) is imported only where a model runs
    from latentlab.model.runtime import SketchRNN


@renamed("seed", "random_state")
def score(store: LatentStore, model: "SketchRNN | None" = None, *, random_state: int = 0,
          batch_size: int = 100) -> None:
    """Each stored sketch's reconstruction loss ``Lr`` and ``Lkl`` (magenta's definitions), into ``obs``.

    Parameters
    ----------
    store, model
        As for :func:`latentlab.tl.decode`.
    random_state
        Seed of the posterior samples z, as ``latentlab evaluate`` uses.
    batch_size
        Sketches per batch.
    """
    from tqdm.auto import tqdm

    model = model or store.model()
    sketches = store.sketches()
    lr, lkl = [], []
    for start in tqdm(range(0, len(sketches), 1000), desc="scoring", leave=False):
        ll = model.log_likelihood(sketches[start:start + 1000], seed=random_state + start, batch_size=batch_size)
        lr.append(ll["Lr"])
        lkl.append(ll["Lkl"])
    params = {"random_state": random_state, "model_step": int(model.step or 0)}
    with store.edit("score") as e:  # all or nothing
        e.write("obs/Lr", np.concatenate(lr).astype(np.float32))
        e.write("obs/Lkl", np.concatenate(lkl).astype(np.float32))
        e.params("score", params)

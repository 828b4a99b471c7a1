"""Training: the shared loop and log (``loop``), the engines (``tf``, ``jax``, ``magenta``), ``export``.

:func:`train` picks the engine; each engine module can also be used directly.
"""
from __future__ import annotations

import os
from pathlib import Path

from latentlab.errors import LatentlabError

ENGINES = ("tf", "jax", "magenta")


def train(data: str | os.PathLike, out_dir: str | os.PathLike, hps=None, *, engine: str = "tf",
          steps: int | None = None, save_every: int | None = None, seed: int = 0,
          init_from: str | os.PathLike | None = None, keep: int | None = None, class_weight: float = 0.0) -> Path:
    """Train a SketchRNN on ``data`` until global step ``steps``, resuming from ``out_dir``'s newest checkpoint.

    Parameters
    ----------
    data
        A magenta-format ``.npz``.
    out_dir
        The training folder (checkpoints with optimizer state).
    hps
        :class:`~latentlab.model.config.HParams` (default: the folder's, else ``init_from``'s, else magenta's).
    engine
        ``"tf"``: latentlab's compiled, length-bucketed TensorFlow trainer with magenta's loss; ``"jax"``: the
        same trainer on JAX (GPUs; no TensorFlow); ``"magenta"``: magenta's own trainer.  tf and jax resume
        each other's folders.
    steps, save_every, seed, init_from
        Target step (default 10,000), checkpoint interval, seed of weights, batches and noise, and a
        model to warm-start from when ``out_dir`` has no checkpoint.
    keep
        Checkpoints kept (default 2; tf and jax only).
    class_weight
        Weight of an auxiliary class head on mu (tf and jax only; see :mod:`latentlab.train.classes`).

    Returns
    -------
    The training folder.
    """
    from latentlab.model.config import target_steps

    steps = target_steps(steps, "")
    if engine == "magenta":
        if keep is not None:
            raise LatentlabError("keep (--keep) is for the tf and jax engines (magenta's trainer keeps its own)")
        if class_weight:
            raise LatentlabError("class_weight (--class-weight) is for the tf and jax engines")
        from latentlab.train.magenta import train_magenta

        return train_magenta(data, out_dir, hps, steps=steps, init_from=init_from)
    if engine == "jax":
        try:
            from latentlab.train.jax import train_jax as engine_train
        except ImportError as exc:
            raise LatentlabError(f"engine jax needs JAX ({exc}): pip install 'latentlab[jax]', or jax's CUDA build on "
                                 "a GPU machine") from None
    elif engine == "tf":
        from latentlab.train.tf import train_tf as engine_train
    else:
        raise LatentlabError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    return engine_train(data, out_dir, hps, steps=steps, save_every=save_every, seed=seed, init_from=init_from,
                        keep=keep or 2, class_weight=class_weight)

"""The model: config and variable layout, checkpoints, cells, the batched TF2 runtime, sketch-rnn-js models.

``from latentlab.model import SketchRNN`` imports TensorFlow; the submodules
for configs and layouts do not.
"""
from __future__ import annotations

import os

from latentlab.model.tfenv import TF_ENV, tf_environment

__all__ = ["load_model", "SketchRNN", "Encoding", "softmax_temperature_for", "TF_ENV", "tf_environment"]


def load_model(path: str | os.PathLike | None = None, *, data: str | os.PathLike | None = None):
    """A model by name or path: a model folder (default: the bundled aaron_sheep) or a sketch-rnn-js ``.json``.

    Parameters
    ----------
    path
        A model name (``magenta/aaron_sheep/layer_norm``, ``sketchrnn-js/bird.gen``, ``latentlab/quickdraw28``;
        fetched and cached on first use, see :mod:`latentlab.model.zoo`), a model folder or a ``.json`` file.
    data
        A dataset ``.npz``; its normalising scale factor is used when the folder's ``model_info.json`` has
        none (magenta's official folders leave it out).

    Returns
    -------
    A :class:`latentlab.model.SketchRNN`.
    """
    from pathlib import Path

    from latentlab.io.datasets import load_dataset
    from latentlab.model.layout import read_info
    from latentlab.model.runtime import SketchRNN
    from latentlab.model.zoo import is_model_name, model_path
    from latentlab.paths import DEFAULT_MODEL

    model_dir = model_path(str(path)) if path and is_model_name(path) else Path(path) if path else DEFAULT_MODEL

    factor = None
    if data and model_dir.suffix != ".json" and "scale_factor" not in read_info(model_dir):
        factor = load_dataset(data, quiet=True).scale_factor
    return SketchRNN.load(model_dir, scale_factor=factor)


def __getattr__(name: str):
    if name in ("SketchRNN", "Encoding", "softmax_temperature_for"):
        from latentlab.model import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'latentlab.model' has no attribute {name!r}")

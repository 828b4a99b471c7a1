"""Sketches drawn from a model: from scratch (decoder-only models) or from z ~ N(0, I) (conditional ones)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from latentlab.io.npz import save_npz
from latentlab.io.quickdraw import class_word, object_array
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model (and TensorFlow) is imported only where a model runs
    from latentlab.model.runtime import SketchRNN


def sample(model: "SketchRNN", n: int, *, temperature: float = 0.5,
           softmax_temperature: float | str | None = None, seed: int = 0) -> list[np.ndarray]:
    """``n`` sketches (stroke-3, data units) sampled from ``model``.

    Parameters
    ----------
    model
        Any SketchRNN; a conditional one decodes ``n`` z drawn from the prior with ``seed``.
    n
        How many sketches.
    temperature, softmax_temperature
        As :meth:`latentlab.model.SketchRNN.decode` takes them.
    seed
        Seed of the sampling (and of z).

    Returns
    -------
    A list of ``n`` stroke-3 arrays.
    """
    z = None
    if model.hps.conditional:
        z = np.random.default_rng(seed).standard_normal((n, model.hps.z_size)).astype(np.float32)
    return model.decode(z, n=n, temperature=temperature, softmax_temperature=softmax_temperature, seed=seed)


def save_samples_npz(model: "SketchRNN", sketches: list[np.ndarray], out: str | os.PathLike, *, seed: int,
                     temperature: float) -> Path:
    """Write samples as a magenta-format ``.npz``: the ``test`` split (train and valid empty), labelled with the
    model's class, with how they were made (``generation``).

    Parameters
    ----------
    model
        The model the samples came from (its class labels them).
    sketches
        The samples, stroke-3 in data units.
    out
        The ``.npz`` to write.
    seed
        The sampling seed (recorded).
    temperature
        The sampling temperature (recorded).
    """
    empty = object_array([])
    record = {"model": str(model.model_dir), "weights_sha256": model.weights_sha256, "seed": seed,
              "temperature": temperature, "n": len(sketches)}
    arrays = {"train": empty, "valid": empty, "test": object_array([np.asarray(s, np.float32) for s in sketches]),
              "train_labels": np.zeros(0, np.int32), "valid_labels": np.zeros(0, np.int32),
              "test_labels": np.zeros(len(sketches), np.int32),
              "class_names": np.array([class_word(model.hps.data_set[0])]), "generation": np.array(json.dumps(record))}
    return save_npz(out, arrays)

"""Choosing a checkpoint without measuring on what it was chosen on.

A labelled test split (e.g. every real drawing of a model's classes) is cut once, per class and seeded, into a
selection part and a test part (:func:`split_parts`).  :func:`choose_checkpoint` scores a run's kept checkpoints
by the k-NN class separation of mu on the selection part and picks the best; ``latentlab export RUN OUT
--best-on NPZ`` exports it and records the cut in ``model_info.json`` (``selection``), and the card
(:mod:`latentlab.eval.card`) then measures the test part alone.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.eval.separation import SEPARATION_K, knn_accuracy
from latentlab.io.datasets import load_dataset

SELECTION_FRACTION = 1 / 3  # of each class's sketches, to choose on; the rest is measured


def split_parts(labels: np.ndarray, *, fraction: float = SELECTION_FRACTION, random_state: int = 0
                ) -> tuple[np.ndarray, np.ndarray]:
    """Cut rows into a selection part and a test part, ``fraction`` of each class (at least one) to selection.

    Parameters
    ----------
    labels
        A class index per row.
    fraction
        The share of each class that goes to the selection part.
    random_state
        Seed of the cut.

    Returns
    -------
    ``(selection, test)``: sorted row indices.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(random_state)
    chosen = []
    for c in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == c))
        chosen.append(rows[:max(1, round(fraction * len(rows)))] if len(rows) > 1 else rows[:0])
    selection = np.sort(np.concatenate(chosen))
    return selection, np.setdiff1d(np.arange(len(labels)), selection)


def selection_record(data: str | os.PathLike, sha256: str, n: int, *, fraction: float, random_state: int) -> dict:
    """What ``model_info.json`` keeps of the cut (``selection``): enough for the card to cut the same parts.

    Parameters
    ----------
    data
        The labelled ``.npz`` whose test split was cut.
    sha256
        Its sha256.
    n
        Rows in the selection part.
    fraction, random_state
        As for :func:`split_parts`.
    """
    return {"data": Path(data).name, "sha256": sha256, "fraction": fraction, "random_state": random_state,
            "n_selection": int(n)}


def measured_part(info: dict, sha256: str, labels: np.ndarray) -> np.ndarray | None:
    """The rows of a file's test split the card measures: those its checkpoint was not chosen on, when
    ``model_info.json`` records a cut of that file (None: no cut of it, every row counts).

    Parameters
    ----------
    info
        The model's ``model_info.json``.
    sha256
        The sha256 of the ``.npz`` the card measures on (its ``SketchDataset.sha256``).
    labels
        Its test split's labels.
    """
    cut = info.get("selection")
    if not cut or cut["sha256"] != sha256:
        return None
    return split_parts(labels, fraction=cut["fraction"], random_state=cut["random_state"])[1]


def choose_checkpoint(run_dir: str | os.PathLike, data: str | os.PathLike, *, fraction: float = SELECTION_FRACTION,
                      random_state: int = 0, k: int = SEPARATION_K) -> dict:
    """Score every kept checkpoint of a run on the selection part of ``data``'s test split (cross-validated
    k-NN class separation of mu, cosine) and pick the best.

    Parameters
    ----------
    run_dir
        A training folder (its ``vector-N`` checkpoints).
    data
        A labelled ``.npz`` (e.g. real drawings of the model's classes).
    fraction, random_state
        As for :func:`split_parts`.
    k
        Neighbours that vote.

    Returns
    -------
    ``{"step", "scores": {step: accuracy}, "selection": selection_record(...)}``.
    """
    from latentlab.model.checkpoint import average_checkpoints, kept_steps
    from latentlab.model.config import load_config
    from latentlab.model.layout import read_info
    from latentlab.model.runtime import SketchRNN

    hps = load_config(run_dir).replace(is_training=False, use_recurrent_dropout=False)
    dataset = load_dataset(data, max_seq_len=hps.max_seq_len, quiet=True)
    test = dataset["test"]
    if test.labels is None or len(set(test.labels.tolist())) < 2:
        raise LatentlabError(f"{data} [test]: needs labels of two or more classes to choose a checkpoint on")
    selection, _ = split_parts(test.labels, fraction=fraction, random_state=random_state)
    sketches, labels = [test.sketches[i] for i in selection], test.labels[selection]
    steps = kept_steps(run_dir)
    if not steps:
        raise LatentlabError(f"{run_dir}: no vector-N checkpoints to choose from")
    scale = read_info(run_dir).get("scale_factor", 1.0)
    scores = {}
    for step in steps:
        weights, _ = average_checkpoints(run_dir, 1, steps={step})
        mu = SketchRNN(hps, weights, scale, step).encode(sketches, deterministic=True).mu
        scores[step] = knn_accuracy(mu, labels, k=k, seed=random_state)
    best = max(scores, key=lambda s: (scores[s], s))
    return {"step": best, "scores": scores,
            "selection": selection_record(data, dataset.sha256, len(selection),
                                          fraction=fraction, random_state=random_state)}


def export_chosen(run_dir: str | os.PathLike, out_dir: str | os.PathLike, data: str | os.PathLike, *,
                  fraction: float = SELECTION_FRACTION, random_state: int = 0) -> tuple[Path, dict]:
    """Export the checkpoint :func:`choose_checkpoint` picks, the cut recorded in its ``model_info.json``.

    Parameters
    ----------
    run_dir
        A training folder.
    out_dir
        The model folder to write.
    data, fraction, random_state
        As for :func:`choose_checkpoint`.

    Returns
    -------
    The folder written, and :func:`choose_checkpoint`'s result.
    """
    from latentlab.train.export import export_model

    chosen = choose_checkpoint(run_dir, data, fraction=fraction, random_state=random_state)
    cut = chosen["selection"]
    out = export_model(run_dir, out_dir, step=chosen["step"], selection=cut,
                       checkpoint_choice=f"best 10-NN of mu on the selection part of {cut['data']} "
                                         f"({cut['n_selection']} sketches, {fraction:.0%} of each class, seed "
                                         f"{random_state}); the card measures the rest")
    return out, chosen

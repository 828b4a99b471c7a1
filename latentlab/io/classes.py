"""Quick, Draw! by class name: each class's published ndjson (raw and simplified) fetched, or its offline copy,
and built as ``data build`` builds files, with what a model's length limit would leave out, per class."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.io.download import fetch
from latentlab.io.npz import load_npz
from latentlab.io.quickdraw import BuildReport, build_npz

KINDS = ("simplified", "raw")


def quickdraw_classes(classes: Sequence[str], out: str | os.PathLike, *, kinds: Sequence[str] = KINDS,
                      fractions: tuple[float, float, float] = (0.0, 0.0, 1.0), seed: int = 0,
                      max_seq_len: int | None = None, cache: str | os.PathLike | None = None,
                      shared: str | os.PathLike | None = None, progress=None) -> tuple[BuildReport, Counter]:
    """A labelled ``.npz`` of every drawing of ``classes`` (``quickdraw/<kind>/<word>``, downloaded once, or the
    offline copy's sample when there is no network), split per class as :func:`latentlab.io.quickdraw.build_npz`
    splits (a drawing in both kinds is kept once, raw first).

    Parameters
    ----------
    classes
        Quick, Draw! words (``"palm tree"``).
    out
        The ``.npz`` to write.
    kinds
        ``"simplified"``, ``"raw"`` or both.
    fractions
        Shares of train, valid and test (default all test: real drawings to measure a model on).
    seed
        Seed of the split.
    max_seq_len
        A model's limit: the drawings longer than it are counted per class (encoding leaves them out).
    cache, shared
        As for :func:`latentlab.io.download.fetch`.
    progress
        Called with each file read.

    Returns
    -------
    The build's report, and per class the drawings longer than ``max_seq_len``.
    """
    if not classes:
        raise LatentlabError("name at least one class (or --classes-of MODEL)")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise LatentlabError(f"kinds must be among {', '.join(KINDS)}, got {', '.join(kinds) or 'none'}")
    files = [fetch(f"quickdraw/{kind}/{word}", cache, shared) for word in classes for kind in kinds]
    report = build_npz(files, out, seed=seed, fractions=fractions, progress=progress)
    too_long: Counter = Counter()
    if max_seq_len is not None:
        arrays = load_npz(out)
        names = [str(c) for c in arrays["class_names"]]
        for split in ("train", "valid", "test"):
            lengths = np.array([len(s) for s in arrays[split]], np.int64)
            for label in arrays[f"{split}_labels"][lengths > max_seq_len]:
                too_long[names[int(label)]] += 1
    return report, too_long


def classes_of(model: str | os.PathLike) -> tuple[list[str], int]:
    """(the classes, max_seq_len) of a model name or folder, as its ``model_info.json`` or config names them.

    Parameters
    ----------
    model
        A model name (``latentlab/quickdraw28``) or folder.
    """
    from latentlab.model.config import load_config
    from latentlab.model.zoo import folder_classes, is_model_name, model_path

    folder = model_path(str(model)) if is_model_name(model) else Path(model)
    if folder.suffix == ".json":
        raise LatentlabError(f"{model}: a sketch-rnn-js model of one class; name its class instead")
    return [c.replace("_", " ") for c in folder_classes(folder)], load_config(folder).max_seq_len

"""Weights-only model folders (no optimizer slots), in the official layout, ready to commit or share."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np

from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.model.checkpoint import average_checkpoints, read_checkpoint, write_checkpoint
from latentlab.model.config import load_config, save_config
from latentlab.model.layout import check_weights, read_info, save_info
from latentlab.train.log import read_log, write_log
from latentlab.train.loop import BEST_DIR

MAX_LOG_GAP_S = 600  # a longer silence in the log is a pause between runs, not training


def _training_time(rows: list[dict], prior_hours: float = 0.0) -> dict:
    """Wall time the log rows cover, pauses between resumed runs left out, plus hours trained before the log."""
    gaps = np.diff(np.sort([row["time"] for row in rows]))
    hours = float(gaps[gaps <= MAX_LOG_GAP_S].sum()) / 3600 + prior_hours
    return {"train_hours": round(hours, 4)} if hours else {}


def export_model(train_dir: str | os.PathLike, out_dir: str | os.PathLike, best: bool = False, average: int = 1,
                 step: int | None = None, **info: object) -> Path:
    """Copy the newest checkpoint of ``train_dir`` (or with ``best``, its lowest-validation one; with
    ``average`` > 1, the mean of its newest ``average`` checkpoints' weights) as weights only.

    Averaging takes the checkpoints saved on schedule (those with a validation row in
    the training log), not one written on Ctrl-C or at the end of a run between saves.

    Writes ``model_config.json`` (official style), ``vector-N`` with just the model
    variables and the global step, ``model_info.json`` (scale factor, data
    provenance, training time up to that step, plus ``info``) and the training
    log up to that step.  Built in a temporary folder, then swapped in.

    Parameters
    ----------
    train_dir
        A training (or model) folder.
    out_dir
        The model folder to write (replaced whole).
    best
        Export the lowest-validation checkpoint.
    average
        Export the mean of this many of the newest checkpoints.
    step
        Export the kept checkpoint of this step (chosen elsewhere: say how in ``info["checkpoint_choice"]``).
    **info
        Added to ``model_info.json``.

    Returns
    -------
    The folder written.
    """
    train_dir, out_dir = Path(train_dir), Path(out_dir)
    if sum((best, average > 1, step is not None)) > 1:
        raise LatentlabValueError("best, average and step choose the weights three ways: give one of them")
    hps = load_config(train_dir)
    if best and not (train_dir / BEST_DIR).is_dir():
        raise LatentlabError(f"{train_dir}: no {BEST_DIR}/ checkpoint yet (the trainer writes one at each save "
                             "whose validation Lr beats every earlier one)")
    if average > 1 or step is not None:
        saved = {row["step"] for row in read_log(train_dir) if "valid_recon" in row}  # not stop checkpoints
        n, wanted = (average, saved or None) if step is None else (1, {step})
        weights, steps = average_checkpoints(train_dir, n, steps=wanted)
        step = steps[0]
    else:
        weights, step = read_checkpoint(train_dir / BEST_DIR if best else train_dir)
    weights = {name: weights[name] for name in check_weights(hps, weights, str(train_dir))}
    meta = read_info(train_dir)
    _check_replaceable(out_dir, train_dir)
    tmp = out_dir.with_name(out_dir.name + ".export-tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        _write_export(tmp, out_dir, hps, weights, step, train_dir, meta, best, average, steps if average > 1 else [],
                      info)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.replace(tmp, out_dir)
    return out_dir


# What an export writes into a model folder (and carries over from the folder it replaces): anything else there
# is the user's, and such a folder is never replaced.
_MODEL_FILE = re.compile(r"^(model_config\.json|model_info\.json|checkpoint|train_log\.jsonl|MODEL_CARD\.md|"
                         r"[a-z_]+\.png|vector-\d+\.(index|data-\d{5}-of-\d{5}))$")


def _check_replaceable(out_dir: Path, train_dir: Path) -> None:
    """Refuse an output folder whose replacement would lose something: the training folder itself (or one
    holding it), or a folder with files an export does not write."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise LatentlabError(f"{out_dir}: is a file; the export is a model folder")
    out_real, train_real = out_dir.resolve(), train_dir.resolve()
    if out_real == train_real or out_real in train_real.parents:
        raise LatentlabError(f"{out_dir}: holds the training folder {train_dir}; export to a new folder")
    foreign = sorted(p.name for p in out_dir.iterdir() if not (p.is_file() and _MODEL_FILE.match(p.name)))
    if foreign:
        raise LatentlabError(f"{out_dir}: not an exported model folder (it holds {', '.join(foreign[:3])}"
                             f"{', ...' if len(foreign) > 3 else ''}); export to a new or empty folder")


def _write_export(tmp: Path, out_dir: Path, hps, weights: dict, step: int | None, train_dir: Path, meta: dict,
                  best: bool, average: int, steps: list[int], info: dict) -> None:
    write_checkpoint(tmp, weights, step or 0)
    save_config(hps, tmp)
    rows = read_log(train_dir, until=step)
    if rows:  # the history travels with the weights: cards plot it, warm starts continue it
        write_log(tmp, rows)
    meta.update(steps=step, **_training_time(rows, meta.get("prior_train_hours", 0.0)), **info)
    if best:
        meta["checkpoint_choice"] = "lowest validation Lr"
    elif average > 1:
        meta["checkpoint_choice"] = f"mean of the newest {average} checkpoints' weights, steps {steps[-1]}-{step}"
    save_info(tmp, meta)
    for keep in ("MODEL_CARD.md", "training_curve.png", "reconstructions.png", "temperature_grid.png"):
        if (out_dir / keep).is_file():
            shutil.copy2(out_dir / keep, tmp / keep)


def export(train_dir: str | os.PathLike, output: str | os.PathLike, *, best: bool = False, average: int = 1) -> Path:
    """Export a training (or model) folder by the output's name: a folder gets the weights only
    (:func:`export_model`), a ``.json`` the sketch-rnn-js / magenta-js format
    (:func:`latentlab.model.jsmodel.export_js_model`; decoder-only for unconditional models).

    Parameters
    ----------
    train_dir
        Training or model folder.
    output
        A folder, or a ``.json`` file.
    best, average
        As for :func:`export_model` (folders only: export that folder to ``.json`` afterwards).

    Returns
    -------
    What was written.
    """
    if str(output).endswith(".json"):
        if best or average > 1:
            raise LatentlabError("--best and --average write a model folder; export that folder to .json afterwards")
        from latentlab.model import load_model
        from latentlab.model.jsmodel import export_js_model

        return Path(export_js_model(load_model(train_dir), output))
    return export_model(train_dir, output, best=best, average=average)

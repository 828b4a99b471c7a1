"""Weights-only model folders (no optimizer slots), in the official layout, ready to commit or share."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from latentlab.checkpoint import read_checkpoint, write_checkpoint
from latentlab.config import load_config, save_config
from latentlab.errors import LatentlabError
from latentlab.model import read_info, save_info, variable_shapes
from latentlab.train import BEST_DIR, read_log

MAX_LOG_GAP_S = 600  # a longer silence in the log is a pause between runs, not training


def _training_time(train_dir: Path, until: int | None) -> dict:
    """Wall time the trainer's log covers up to step ``until``, pauses between resumed runs left out."""
    times = np.array([row["time"] for row in read_log(train_dir) if until is None or row["step"] <= until])
    gaps = np.diff(np.sort(times))
    return {"train_hours": round(float(gaps[gaps <= MAX_LOG_GAP_S].sum()) / 3600, 4)} if len(times) > 1 else {}


def export_model(train_dir: str | os.PathLike, out_dir: str | os.PathLike, best: bool = False,
                 **info: object) -> Path:
    """Copy the newest checkpoint of ``train_dir`` (or with ``best``, its lowest-validation one) as weights only.

    Writes ``model_config.json`` (official style), ``vector-N`` with just the model
    variables and the global step, and ``model_info.json`` (scale factor, data
    provenance, training time up to that step, plus ``info``).  Built in a
    temporary folder, then swapped in.
    """
    train_dir, out_dir = Path(train_dir), Path(out_dir)
    hps = load_config(train_dir)
    if best and not (train_dir / BEST_DIR).is_dir():
        raise LatentlabError(f"{train_dir}: no {BEST_DIR}/ checkpoint yet (the trainer writes it at its first save)")
    weights, step = read_checkpoint(train_dir / BEST_DIR if best else train_dir)
    weights = {name: weights[name] for name in variable_shapes(hps)}
    tmp = out_dir.with_name(out_dir.name + ".export-tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    write_checkpoint(tmp, weights, step or 0)
    save_config(hps, tmp)
    meta = {**read_info(train_dir), "steps": step, **_training_time(train_dir, step), **info}
    if best:
        meta["checkpoint_choice"] = "lowest validation Lr"
    save_info(tmp, meta)
    for keep in ("MODEL_CARD.md", "training_curve.png", "reconstructions.png", "temperature_grid.png"):
        if (out_dir / keep).is_file():
            shutil.copy2(out_dir / keep, tmp / keep)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.replace(tmp, out_dir)
    return out_dir

"""The training log, ``train_log.jsonl`` in a training or model folder: a JSON row every 20 steps (train
losses), at each save (validation) and at each change of hparams, each with its time."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from latentlab.atomic import write_text

LOG_FILE = "train_log.jsonl"


def append_log(out_dir: Path, **row: float) -> None:
    with open(out_dir / LOG_FILE, "a") as fh:
        fh.write(json.dumps({**row, "time": time.time()}) + "\n")


def read_log(train_dir: str | os.PathLike, until: int | None = None) -> list[dict]:
    """The trainer's log rows (train losses every 20 steps, validation at each save), up to step ``until``
    when given; empty without a log.

    Parameters
    ----------
    train_dir
        A training or model folder.
    until
        Last step kept.
    """
    path = Path(train_dir) / LOG_FILE
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return rows if until is None else [row for row in rows if row["step"] <= until]


def write_log(folder: str | os.PathLike, rows: list[dict]) -> Path:
    """Write log rows (``read_log``'s format) as the folder's whole log, atomically.

    Parameters
    ----------
    folder
        Where.
    rows
        The rows.
    """
    return write_text(Path(folder) / LOG_FILE, "".join(json.dumps(row) + "\n" for row in rows))

"""Bad inputs made in the CLI's tests, and the one check they all pass: one line, exit code 2, nothing left."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from latentlab.cli import main


def objects(sketches) -> np.ndarray:
    """A split as magenta's files hold one: an object array of sketches."""
    arr = np.empty(len(sketches), dtype=object)
    arr[:] = list(sketches)
    return arr


def sketches(n: int = 12, seed: int = 0) -> list[np.ndarray]:
    """``n`` valid random stroke-3 sketches of 20 points and three strokes."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        s = np.zeros((20, 3), np.int16)
        s[:, :2] = rng.integers(-20, 20, (20, 2))
        s[[6, 13, 19], 2] = 1
        out.append(s)
    return out


def npz_file(path: Path, **overrides) -> Path:
    """A dataset ``.npz`` of valid sketches, with ``overrides`` for its arrays (None leaves one out)."""
    arrays = {split: objects(sketches(12, k)) for k, split in enumerate(("train", "valid", "test"))}
    arrays.update(overrides)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    return path


def expect_one_line(argv: list[str], capsys, tmp: Path, before: set) -> str:
    """Run ``argv``: exit code 2, one line on stderr, no traceback, nothing new left in ``tmp``."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, (argv, err)
    # as a terminal shows it: a progress bar redraws its line with carriage returns and erases itself
    lines = [shown for line in err.split("\n") if (shown := line.split("\r")[-1].strip())]
    assert len(lines) == 1 and lines[0].startswith("latentlab: error: ") and "Traceback" not in err, err
    assert len(lines[0]) < 600, lines[0][:600]
    left = {p.name for p in tmp.iterdir()} - before
    assert not left, (argv, left)
    return lines[0]

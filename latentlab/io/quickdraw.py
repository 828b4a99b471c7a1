"""Quick, Draw! ndjson (simplified and raw) -> stroke-3, and magenta-format ``.npz`` building.

Conversion follows how the SketchRNN datasets were made: align the drawing to
the top-left corner, scale its longest side to 255, simplify every stroke with
Ramer-Douglas-Peucker (epsilon 2.0), round to integers, then take offsets.
Raw drawings carry per-point times (ms since the first point); they are kept
beside the strokes (``<split>_times``), the one thing SketchRNN's own .npz lose.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.names import name_problem
from latentlab.io.jsonfile import parse_json
from latentlab.io.npz import save_npz
from latentlab.io.strokes import rdp_mask, to_polylines

RDP_EPSILON = 2.0
SIDE = 255.0


@dataclass
class Drawing:
    """One Quick, Draw! drawing as stroke-3 (int16), with its class and optional point times."""

    word: str
    key_id: str
    strokes: np.ndarray
    times: np.ndarray | None = None
    countrycode: str = ""
    recognized: bool = True
    raw: bool = False


MAX_POINT = 1e6  # a coordinate past this is corrupt data (Quick, Draw!'s are pixels of a screen)


class RecordError(ValueError):
    """A record that cannot be converted; the message says why."""


def _as_float_strokes(drawing: object) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    if not isinstance(drawing, list) or not drawing:
        raise RecordError("'drawing' is empty or not a list of strokes")
    out = []
    for j, stroke in enumerate(drawing):
        if not isinstance(stroke, list) or len(stroke) not in (2, 3):
            raise RecordError(f"stroke {j} is not [x[], y[]] or [x[], y[], t[]]")
        try:
            arrays = [np.asarray(a, dtype=np.float64) for a in stroke]
        except (TypeError, ValueError, OverflowError):
            raise RecordError(f"stroke {j} has non-numeric or out-of-range coordinates") from None
        if any(a.ndim != 1 for a in arrays) or len({len(a) for a in arrays}) != 1:
            raise RecordError(f"stroke {j}: x, y (and t) differ in length")
        if len(arrays[0]) == 0:
            continue
        if not all(np.isfinite(a).all() for a in arrays):
            raise RecordError(f"stroke {j} has NaN or infinite values")
        largest = max(np.abs(arrays[0]).max(), np.abs(arrays[1]).max())
        if largest > MAX_POINT:
            raise RecordError(f"stroke {j} has a coordinate of {largest:.3g} (at most {MAX_POINT:g})")
        out.append((arrays[0], arrays[1], arrays[2] if len(arrays) == 3 else None))
    if not out:
        raise RecordError("drawing has no points")
    return out


FIRST_POINTS = ("offset", "origin")


def drawing_to_stroke3(drawing: list, epsilon: float = RDP_EPSILON, *, side: float = SIDE,
                       first_point: str = "offset", simplify: bool | None = None
                       ) -> tuple[np.ndarray, np.ndarray | None]:
    """A Quick, Draw! ``drawing`` (simplified or raw) -> (stroke-3 int16, per-point times or None).

    Raw drawings (strokes with times) are simplified with RDP; simplified ones
    already were, by Google, and RDP is not idempotent, so their points are kept
    (``simplify`` overrides this).  ``first_point="offset"`` (latentlab's
    Quick, Draw! datasets) makes the first row the first point's offset from
    the drawing's top-left corner; ``"origin"`` (magenta's ``lines_to_strokes``,
    as in aaron_sheep) takes the first point as the origin, not a row.
    :func:`drawing_conversion` finds the settings that match a set of sketches.

    Parameters
    ----------
    drawing
        The record's ``drawing``: strokes of ``[xs, ys]`` (simplified) or ``[xs, ys, ts]`` (raw).
    epsilon
        RDP tolerance, in units of ``side``.
    side
        The longer side is scaled to this.
    first_point
        ``"offset"`` or ``"origin"`` (see above).
    simplify
        Apply RDP (default: to raw drawings only).
    """
    if first_point not in FIRST_POINTS:
        raise ValueError(f"first_point must be one of {', '.join(FIRST_POINTS)}, got {first_point!r}")
    strokes = _as_float_strokes(drawing)
    xs = np.concatenate([s[0] for s in strokes])
    ys = np.concatenate([s[1] for s in strokes])
    x0, y0 = xs.min(), ys.min()
    extent = max(xs.max() - x0, ys.max() - y0)
    scale = side / extent if extent > 0 else 1.0
    points, pens, times = [], [], []
    timed = all(s[2] is not None for s in strokes)
    simplify = timed if simplify is None else simplify
    for x, y, t in strokes:
        line = np.column_stack([(x - x0) * scale, (y - y0) * scale])
        keep = rdp_mask(line, epsilon) if simplify and len(line) > 2 else np.ones(len(line), bool)
        line = np.round(line[keep])
        pen = np.zeros(len(line))
        pen[-1] = 1
        points.append(line)
        pens.append(pen)
        if timed:
            times.append(t[keep])
    absolute = np.concatenate(points)
    deltas = np.diff(absolute, axis=0, prepend=np.zeros((1, 2)))
    sketch = np.column_stack([deltas, np.concatenate(pens)]).astype(np.int16)
    times = np.concatenate(times).astype(np.float32) if timed else None
    if first_point == "origin":
        if len(sketch) < 2:
            raise RecordError("drawing has a single point")
        return sketch[1:], (times[1:] if times is not None else None)
    return sketch, times


def drawing_conversion(sketches: Sequence[np.ndarray], *, sample: int = 400, seed: int = 0) -> dict:
    """The :func:`drawing_to_stroke3` settings under which a drawing looks like ``sketches``.

    ``side``: their median extent.  ``first_point``: ``"origin"`` when their first
    rows are short steps (under 15% of the extent, median), else ``"offset"``.
    ``rdp_epsilon``: the largest of 2, 1.5, 1, 0.5 that keeps at least 98% of their
    points when applied to them again (0 when none does): a drawing is then
    simplified no further than they were.  Measured on a seeded sample.

    Parameters
    ----------
    sketches
        Stroke-3 sketches in data units (a store's).
    sample
        How many to measure on.
    seed
        Seed of that sample.
    """
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(sketches), min(sample, len(sketches)), replace=False) if len(sketches) else []
    extents, firsts, drawn = [], [], []
    for i in pick:
        sketch = np.asarray(sketches[i], np.float64)
        if len(sketch) < 2:
            continue
        lines = to_polylines(sketch)
        extent = max(float(np.ptp(np.concatenate(lines), axis=0).max()), 1e-9)
        extents.append(extent)
        firsts.append(float(np.hypot(*sketch[0, :2])) / extent)
        drawn.append((lines, extent))
    if not extents:
        return {"side": SIDE, "rdp_epsilon": RDP_EPSILON, "first_point": "offset"}
    side = float(np.median(extents))
    first_point = "origin" if np.median(firsts) < 0.15 else "offset"
    if first_point == "origin":  # the origin was the drawing's first point
        drawn = [([np.vstack([np.zeros((1, 2)), lines[0]])] + lines[1:], extent) for lines, extent in drawn]
    for epsilon in (2.0, 1.5, 1.0, 0.5):
        total = kept = 0
        for lines, extent in drawn:
            for line in lines:
                total += len(line)
                kept += int(rdp_mask(line * (side / extent), epsilon).sum()) if len(line) > 2 else len(line)
        if kept >= 0.98 * total:
            return {"side": side, "rdp_epsilon": epsilon, "first_point": first_point}
    return {"side": side, "rdp_epsilon": 0.0, "first_point": first_point}


def read_ndjson(path: str | os.PathLike, skipped: Counter | None = None,
                report: list[str] | None = None) -> Iterator[Drawing]:
    """Yield the drawings of one ndjson file; bad records are skipped and reported (file:line: reason).

    Parameters
    ----------
    path
        The ``.ndjson`` file.
    skipped
        Counts of skipped records by reason, updated.
    report
        A :class:`BuildReport` that records the reasons with file and line.
    """
    path = Path(path)
    with open(path, "rb") as fh:  # bytes: a line that is not UTF-8 is one bad record, not a failed file
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = parse_json(line, f"{path}:{lineno}")
                if not isinstance(rec, dict) or "drawing" not in rec:
                    raise RecordError("no 'drawing' field")
                word = str(rec.get("word", path.stem))
                problem = name_problem(word)
                if problem:
                    raise RecordError(f"class name (word) {problem}")
                sketch, times = drawing_to_stroke3(rec["drawing"])
                yield Drawing(word, str(rec.get("key_id", f"{path.name}:{lineno}")),
                              sketch, times, str(rec.get("countrycode", "")), bool(rec.get("recognized", True)),
                              raw=times is not None)
            except (LatentlabError, RecordError) as exc:
                reason = "invalid JSON" if isinstance(exc, LatentlabError) else str(exc)
                if skipped is not None:
                    skipped[reason] += 1
                if report is not None:
                    report.append(f"{path}:{lineno}: {reason}")


def expand_inputs(inputs: Sequence[str | os.PathLike]) -> list[Path]:
    """Files as given, folders as their ``*.ndjson`` files (sorted)."""
    files: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(p.glob("*.ndjson"))
            if not found:
                raise LatentlabError(f"{p}: folder has no .ndjson files")
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise LatentlabError(f"{p}: no such file or folder")
    return files


@dataclass
class BuildReport:
    """What ``data build`` read, kept and skipped (and why), per class."""
    files: int = 0
    drawings: int = 0
    duplicates: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    split_sizes: dict[str, int] = field(default_factory=dict)
    classes: int = 0

    def summary(self) -> str:
        """The report as lines for the terminal."""
        lines = [f"read {self.drawings} drawings of {self.classes} classes from {self.files} files; "
                 f"{self.duplicates} duplicate key_ids merged (raw kept: it has timing)",
                 "split sizes: " + ", ".join(f"{k} {v}" for k, v in self.split_sizes.items())]
        if self.skipped:
            lines.append(f"skipped {sum(self.skipped.values())} records: "
                         + "; ".join(f"{n} x {why}" for why, n in self.skipped.most_common()))
            lines += ["  " + p for p in self.problems[:20]]
        return "\n".join(lines)


def collect(files: Iterable[Path], report: BuildReport, progress=None) -> list[Drawing]:
    """Read every file, de-duplicating by key_id (a raw drawing wins over its simplified twin).

    Parameters
    ----------
    files
        The ndjson files.
    report
        Records what was kept and skipped.
    progress
        A tqdm-like callable for a progress bar, or None.
    """
    by_key: dict[str, Drawing] = {}
    for path in files:
        report.files += 1
        for d in read_ndjson(path, report.skipped, report.problems):
            report.drawings += 1
            old = by_key.get(d.key_id)
            if old is not None:
                report.duplicates += 1
                if old.raw or not d.raw:
                    continue
            by_key[d.key_id] = d
        if progress:
            progress(path)
    return [by_key[k] for k in sorted(by_key)]


def build_npz(inputs: Sequence[str | os.PathLike], out: str | os.PathLike, *, seed: int = 0,
              fractions: tuple[float, float, float] = (0.8, 0.1, 0.1), progress=None) -> BuildReport:
    """Build a magenta-format ``.npz`` from ndjson files/folders, split per class by a seeded shuffle.

    Writes ``train/valid/test`` (object arrays of int16 stroke-3), ``<split>_labels``,
    ``<split>_key_ids``, ``<split>_times`` (ms per point, empty where unknown),
    ``class_names`` and ``seed`` -- atomically: no file appears unless complete.

    Parameters
    ----------
    inputs
        ndjson files or folders of them.
    out
        The ``.npz`` to write.
    seed
        Seed of the per-class shuffle (recorded).
    fractions
        Shares of train, valid and test.
    progress
        Show a progress bar.
    """
    report = BuildReport()
    drawings = collect(expand_inputs(inputs), report, progress)
    if not drawings:
        names = ", ".join(str(p) for p in expand_inputs(inputs)[:3])
        why = "; ".join(f"{n} x {reason}" for reason, n in report.skipped.most_common(3)) or "no records"
        first = f"; the first: {report.problems[0]}" if report.problems else ""
        raise LatentlabError(f"no usable drawings in {names} ({why}){first}")
    classes = sorted({d.word for d in drawings})
    report.classes = len(classes)
    label_of = {c: i for i, c in enumerate(classes)}
    rng = np.random.default_rng(seed)
    parts: dict[str, list[Drawing]] = {"train": [], "valid": [], "test": []}
    for c in classes:
        members = [d for d in drawings if d.word == c]
        order = rng.permutation(len(members))
        n_test = int(round(fractions[2] * len(members)))
        n_valid = int(round(fractions[1] * len(members)))
        parts["test"] += [members[i] for i in order[:n_test]]
        parts["valid"] += [members[i] for i in order[n_test:n_test + n_valid]]
        parts["train"] += [members[i] for i in order[n_test + n_valid:]]
    arrays: dict[str, np.ndarray] = {"class_names": np.array(classes), "seed": np.array(seed)}
    for split, items in parts.items():
        arrays[split] = object_array([d.strokes for d in items])
        arrays[f"{split}_labels"] = np.array([label_of[d.word] for d in items], dtype=np.int32)
        arrays[f"{split}_key_ids"] = np.array([d.key_id for d in items])
        arrays[f"{split}_times"] = object_array(
            [d.times if d.times is not None else np.zeros(0, np.float32) for d in items])
        report.split_sizes[split] = len(items)
    save_npz(out, arrays)
    return report


def class_word(model_name: str) -> str:
    """A model's data name as a Quick, Draw! class (``palm_tree`` -> ``palm tree``, ``cat.npz`` -> ``cat``)."""
    return Path(model_name).stem.replace("_", " ") if model_name.endswith(".npz") else model_name.replace("_", " ")


def object_array(items: list[np.ndarray]) -> np.ndarray:
    """Sketches as a 1-D object array, magenta's ``.npz`` layout (never a 3-D array, even when equally long)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def build_mini_npz(quickdraw_dir: str | os.PathLike, out: str | os.PathLike) -> BuildReport:
    """quickdraw_mini's dataset, as its model card says: every drawing in ``quickdraw_dir``'s
    ``simplified/`` and ``raw/`` folders, split with seed 0.

    Parameters
    ----------
    quickdraw_dir
        A folder with ``simplified/`` and ``raw/`` ndjson.
    out
        The ``.npz`` to write.
    """
    return build_npz([Path(quickdraw_dir) / "simplified", Path(quickdraw_dir) / "raw"], out, seed=0)


def build_classes_npz(quickdraw_dir: str | os.PathLike, classes: Sequence[str], out: str | os.PathLike,
                      fractions: tuple[float, float, float] = (0.0, 0.0, 1.0)) -> BuildReport:
    """Every drawing of ``classes`` in ``quickdraw_dir``'s ``simplified/`` and ``raw/`` folders, all in the test
    split by default: the real drawings a model trained on other data (e.g. quickdraw28) is measured on.

    Parameters
    ----------
    quickdraw_dir
        A folder with ``simplified/`` and ``raw/`` ndjson.
    classes
        Class names to keep.
    out
        The ``.npz`` to write.
    fractions
        Shares of train, valid and test (default: all test).
    """
    root = Path(quickdraw_dir)
    files = [root / kind / f"{c}.ndjson" for c in classes for kind in ("simplified", "raw")]
    return build_npz([f for f in files if f.is_file()], out, fractions=fractions)

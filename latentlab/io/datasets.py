"""Sketch datasets: validated magenta-format splits, normalisation and training batches."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.names import check_names
from latentlab.io.digest import file_sha256
from latentlab.io.npz import load_npz
from latentlab.io.strokes import scale_factor

SPLITS = ("train", "valid", "test")
MAX_COORD = 1e6  # no drawing has offsets this large: larger ones are corrupt data


@dataclass
class SketchSet:
    """One split of sketches (stroke-3, data units) with optional class labels.

    ``index`` maps each kept sketch back to its position in the source file's
    split, so sketches dropped for length never break provenance.
    """

    sketches: list[np.ndarray]
    index: np.ndarray
    labels: np.ndarray | None = None
    class_names: list[str] = field(default_factory=list)
    source: str = ""
    split: str = ""
    dropped: int = 0

    def __len__(self) -> int:
        return len(self.sketches)

    @property
    def lengths(self) -> np.ndarray:
        """Points of each sketch."""
        return np.array([len(s) for s in self.sketches], dtype=np.int32)

    def label_names(self) -> list[str]:
        """The class name of every sketch ('' where the file has no labels)."""
        if self.labels is None or not self.class_names:
            return [""] * len(self)
        return [self.class_names[i] for i in self.labels]


@dataclass
class SketchDataset:
    """A magenta-format dataset: train/valid/test splits and the train split's scale factor."""

    path: Path
    splits: dict[str, SketchSet]
    max_seq_len: int
    scale_factor: float
    sha256: str

    def __getitem__(self, split: str) -> SketchSet:
        if split not in self.splits:
            raise LatentlabError(f"{self.path}: no split {split!r}; have {', '.join(self.splits)}")
        return self.splits[split]


def _validate(sketch: object, where: str) -> np.ndarray:
    if not isinstance(sketch, np.ndarray):
        raise LatentlabError(f"{where}: expected a numpy array, got {type(sketch).__name__}")
    if sketch.ndim != 2 or sketch.shape[1] != 3:
        raise LatentlabError(f"{where}: expected shape (n, 3) stroke-3, got {sketch.shape}")
    if sketch.dtype.kind not in "iuf":
        raise LatentlabError(f"{where}: expected a numeric dtype, got {sketch.dtype}")
    if len(sketch) == 0:
        raise LatentlabError(f"{where}: empty sketch")
    if sketch.dtype.kind == "f" and not np.isfinite(sketch).all():
        raise LatentlabError(f"{where}: contains NaN or infinite values")
    pen = sketch[:, 2]
    if not np.isin(pen, (0, 1)).all():
        raise LatentlabError(f"{where}: pen values must be 0 or 1, found {pen[~np.isin(pen, (0, 1))][0]!r}")
    largest = np.abs(sketch[:, :2]).max()
    if largest > MAX_COORD:
        raise LatentlabError(f"{where}: an offset of {largest:.3g} (at most {MAX_COORD:g})")
    return sketch


def _labels(arrays: dict, split: str, n: int, class_names: list[str], where: str) -> np.ndarray | None:
    labels = arrays.get(f"{split}_labels")
    if labels is None:
        return None
    where = f"{where} [{split}_labels]"
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise LatentlabError(f"{where}: expected a 1-D array of integer class indices, got {labels.dtype} "
                             f"shape {labels.shape}")
    if len(labels) != n:
        raise LatentlabError(f"{where}: {len(labels)} labels for {n} sketches")
    high = len(class_names) if class_names else np.iinfo(np.int32).max
    bad = (labels < 0) | (labels >= high)
    if bad.any():
        raise LatentlabError(f"{where}: label {labels[bad][0]} at record {int(np.flatnonzero(bad)[0])} is not a "
                             f"class index (0..{high - 1})")
    return labels.astype(np.int32)


def _class_names(arrays: dict, where: str) -> list[str]:
    if "class_names" not in arrays:
        return []
    names = arrays["class_names"]
    if names.ndim != 1:
        raise LatentlabError(f"{where} [class_names]: expected a 1-D array of names, got shape {names.shape}")
    return check_names([str(c) for c in names], "class name", f"{where} [class_names]")


def load_dataset(path: str | os.PathLike, max_seq_len: int | None = None,
                 splits: tuple[str, ...] = SPLITS, quiet: bool = False) -> SketchDataset:
    """Load and validate a magenta-format ``.npz`` (safely: no pickled code runs).

    Sketches longer than ``max_seq_len`` are dropped and reported, as magenta's
    ``DataLoader.preprocess`` does.  Coordinates are clipped to +-1000 like magenta's.
    Optional ``<split>_labels`` arrays and a ``class_names`` array are kept.

    Parameters
    ----------
    path
        The ``.npz`` file, or a dataset name (``sketchrnn/aaron_sheep``: fetched, see
        :func:`latentlab.io.download.fetch`).
    max_seq_len
        Longest sketch kept; None keeps them all (max_seq_len becomes the longest).
    splits
        The splits to load.
    quiet
        Do not print what was dropped.

    Returns
    -------
    A :class:`SketchDataset`: its splits by name, the scale factor, the file's sha256.
    """
    from latentlab.io.download import fetch, is_dataset_name

    path = fetch(str(path)) if is_dataset_name(path) else Path(path)
    arrays = load_npz(path)
    missing = [s for s in splits if s not in arrays]
    if missing:
        raise LatentlabError(f"{path}: missing split(s) {', '.join(missing)}; found {', '.join(arrays) or 'nothing'}")
    class_names = _class_names(arrays, str(path))
    raw: dict[str, list[np.ndarray]] = {}
    for split in splits:
        column = arrays[split]
        if column.ndim == 0:
            raise LatentlabError(f"{path} [{split}]: expected an array of sketches, got a single value")
        if column.ndim != 1 and column.dtype != object:
            column = list(column)
        raw[split] = [_validate(s, f"{path} [{split}][{i}]") for i, s in enumerate(column)]
    if not any(raw.values()):
        raise LatentlabError(f"{path}: no sketches in {', '.join(splits)}")
    longest = max(len(s) for split in raw.values() for s in split)
    limit = max_seq_len or longest
    out = {}
    for split, sketches in raw.items():
        keep = np.array([len(s) <= limit for s in sketches], dtype=bool)
        labels = _labels(arrays, split, len(sketches), class_names, str(path))
        if labels is not None:
            labels = labels[keep]
        kept = [np.clip(s, -1000, 1000).astype(np.float32) for s, k in zip(sketches, keep) if k]
        out[split] = SketchSet(kept, np.flatnonzero(keep), labels, class_names, str(path), split,
                               int((~keep).sum()))
        if out[split].dropped and not quiet:
            print(f"{path} [{split}]: dropped {out[split].dropped} of {len(sketches)} sketches "
                  f"longer than max_seq_len={limit}")
    if not any(len(s) for s in out.values()):
        raise LatentlabError(f"{path}: every sketch of {', '.join(splits)} is longer than max_seq_len={limit}")
    if "train" in out and len(out["train"]):
        factor = scale_factor(out["train"].sketches)
    else:
        factor = scale_factor([s for split in out.values() for s in split.sketches])
    if not factor > 0:
        raise LatentlabError(f"{path}: every offset is 0 (no sketch moves the pen), so there is no scale to "
                             "normalise by")
    return SketchDataset(path, out, limit, factor, file_sha256(path))


def read_sketch(path: str | os.PathLike) -> np.ndarray:
    """One sketch a user drew, from a file.

    Parameters
    ----------
    path
        ``.npy`` stroke-3, ``.json`` list of ``[dx, dy, pen]``, or a Quick, Draw! ``.ndjson`` record (its first
        line, converted like the datasets).

    Returns
    -------
    The stroke-3 sketch (n, 3) float32, data units.
    """
    from latentlab.io.jsonfile import parse_json, read_json

    path = Path(path)
    if not path.is_file():
        raise LatentlabError(f"{path}: no such sketch file")
    try:
        if path.suffix == ".npy":
            sketch = np.load(path, allow_pickle=False)
        elif path.suffix == ".ndjson":
            from latentlab.io.quickdraw import RecordError, drawing_to_stroke3

            with open(path, "rb") as fh:
                first = fh.readline()
            record = parse_json(first, f"{path}:1")
            try:
                sketch = drawing_to_stroke3(record["drawing"])[0]
            except (RecordError, KeyError, TypeError) as exc:
                raise LatentlabError(f"{path}:1: not a Quick, Draw! drawing ({exc})") from None
        elif path.suffix == ".json":
            sketch = np.asarray(read_json(path), dtype=np.float32)
        else:
            raise LatentlabError(f"{path}: unknown sketch format (use .npy, .json or .ndjson)")
    except (ValueError, OverflowError) as exc:
        raise LatentlabError(f"{path}: unreadable sketch ({exc})") from None
    return _validate(sketch, str(path)).astype(np.float32)

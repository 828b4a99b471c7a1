"""Training data sampled from unconditional (decoder-only) models: one class per model.

Each sample is put through the pipeline that converts real Quick, Draw! drawings
(:func:`latentlab.io.quickdraw.drawing_to_stroke3`: longest side scaled to 255, RDP
epsilon 2.0, integer points, first row the offset from the top-left corner), so that
generated and real sketches share one domain: a model trained on the samples can be
tested on real drawings.  Samples that never end, that convert to more than
``max_len`` points, or that repeat an earlier one of their class are dropped and counted.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.io.npz import save_npz
from latentlab.io.quickdraw import RecordError, class_word, drawing_to_stroke3, object_array
from latentlab.io.strokes import to_polylines

GENERATED_SPLITS = ("train", "valid", "test")
# Samples at 1.0 match real drawings' lengths best but many are scribbles; 0.5-0.8 look like drawings
# (bench/generate.py and the grids in data/models/quickdraw28/MODEL_CARD.md).
DEFAULT_TEMPERATURES = (0.5, 0.65, 0.8)
SPLIT_SIZES = {"train": 2500, "valid": 100, "test": 100}  # sketches per class


@dataclass
class ClassReport:
    """What generating one class took: samples drawn, and those dropped for each reason."""

    name: str
    model: str
    weights_sha256: str
    drawn: int = 0
    unended: int = 0
    too_long: int = 0
    duplicates: int = 0
    kept: int = 0


@dataclass
class GenerateReport:
    """The generated dataset's settings and counts (stored in the ``.npz`` as ``generation``, all but the time taken,
    so the same command writes the same file)."""

    temperatures: list[float]
    softmax_temperature: float | str | None
    max_len: int
    seed: int
    split_sizes: dict[str, int]
    classes: list[ClassReport] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """The report as lines for the terminal."""
        drawn = sum(c.drawn for c in self.classes)
        kept = sum(c.kept for c in self.classes)
        lines = [f"kept {kept:,} of {drawn:,} samples from {len(self.classes)} models in {self.seconds:.0f}s "
                 f"({drawn / max(self.seconds, 1e-9):.0f} samples/s); dropped "
                 f"{sum(c.unended for c in self.classes):,} that never ended, "
                 f"{sum(c.too_long for c in self.classes):,} over {self.max_len} points, "
                 f"{sum(c.duplicates for c in self.classes):,} duplicates",
                 "split sizes per class: " + ", ".join(f"{k} {v}" for k, v in self.split_sizes.items())]
        return "\n".join(lines)


def to_quickdraw_domain(sketch: np.ndarray) -> np.ndarray:
    """A decoded stroke-3 sketch converted as a real Quick, Draw! drawing is (int16 stroke-3)."""
    lines = [line for line in to_polylines(sketch) if len(line)]
    drawing = [[line[:, 0].tolist(), line[:, 1].tolist()] for line in lines]
    stroke3, _ = drawing_to_stroke3(drawing, simplify=True)
    return stroke3


def _class_samples(model, report: ClassReport, wanted: int, *, temperatures: Sequence[float],
                   softmax_temperature: float | str | None, max_len: int, rng: np.random.Generator,
                   batch_size: int, max_draws: int, progress: Callable[[int], None] | None) -> list[np.ndarray]:
    kept: list[np.ndarray] = []
    seen: set[bytes] = set()
    decode_len = model.hps.max_seq_len
    batches = 0
    while len(kept) < wanted:
        if report.drawn >= max_draws:
            raise LatentlabError(f"{report.model}: only {len(kept)} usable samples of {wanted} after {report.drawn:,} "
                                 f"draws ({report.unended:,} never ended, {report.too_long:,} over {max_len} points, "
                                 f"{report.duplicates:,} duplicates); lower the count or change the temperature")
        batch = model.decode(n=batch_size, temperature=temperatures[batches % len(temperatures)],
                             softmax_temperature=softmax_temperature, seed=int(rng.integers(2**30)),
                             max_len=decode_len)
        batches += 1
        report.drawn += len(batch)
        before = len(kept)
        for sketch in batch:
            if len(sketch) >= decode_len or not sketch[:, 2].any():
                report.unended += 1  # ran to max_seq_len without the end token (or drew a single point)
                continue
            try:
                converted = to_quickdraw_domain(sketch)
            except RecordError:
                report.unended += 1
                continue
            if len(converted) > max_len:
                report.too_long += 1
                continue
            key = converted.tobytes()
            if key in seen:
                report.duplicates += 1
                continue
            seen.add(key)
            kept.append(converted)
            if len(kept) == wanted:
                break
        if progress:
            progress(len(kept) - before)
    report.kept = len(kept)
    return kept


def generate_dataset(models: Sequence[str | os.PathLike], out: str | os.PathLike, *,
                     split_sizes: dict[str, int] | None = None,
                     temperatures: Sequence[float] = DEFAULT_TEMPERATURES,
                     softmax_temperature: float | str | None = None, max_len: int = 96, seed: int = 0,
                     batch_size: int = 500, progress: Callable[[int], None] | None = None) -> GenerateReport:
    """Sample a labelled magenta-format ``.npz`` from unconditional models, one class per model.

    Parameters
    ----------
    models
        Model names or paths of decoder-only models (e.g. ``sketchrnn-js/bird.gen``); a model's class is its
        header name with ``_`` as a space, the Quick, Draw! word.
    out
        The ``.npz`` to write (atomically): ``train``/``valid``/``test``, ``<split>_labels``, ``class_names``
        (sorted, as ``data build`` sorts them), ``seed`` and ``generation`` (this report as JSON).
    split_sizes
        Sketches per class in each split (default ``{"train": 2500, "valid": 100, "test": 100}``).
    temperatures
        Sampling temperatures, taken in turn by successive batches of a class (a mix of careful and loose
        drawings); see ``bench/generate.py`` for how each matches real drawings.
    softmax_temperature
        As :meth:`latentlab.model.SketchRNN.decode` takes it.
    max_len
        Longest converted sketch kept (points).
    seed
        Seed of every draw (each class has its own stream, so adding a model changes no other class).
    batch_size
        Samples decoded together.
    progress
        Called after each batch with the number of samples it added.

    Returns
    -------
    A :class:`GenerateReport`.
    """
    import time

    from latentlab.model import load_model

    sizes = dict(split_sizes or SPLIT_SIZES)
    if set(sizes) != set(GENERATED_SPLITS) or min(sizes.values()) < 0 or sizes["train"] < 1:
        raise LatentlabValueError(f"split_sizes must give train (>= 1), valid and test (>= 0), got {sizes}")
    temperatures = [float(t) for t in temperatures]
    if not temperatures or not all(np.isfinite(t) and 0 < t <= 10 for t in temperatures):
        raise LatentlabValueError(f"temperatures must be in (0, 10], got {temperatures}")
    if max_len < 2:
        raise LatentlabValueError(f"max_len must be >= 2, got {max_len}")
    t0 = time.time()
    loaded = [load_model(m) for m in models]
    names = []
    for path, model in zip(models, loaded):
        if model.hps.conditional:
            raise LatentlabError(f"{path}: a conditional (VAE) model; generation samples decoder-only (gen) models")
        names.append(class_word(model.hps.data_set[0]))
    if len(set(names)) != len(names):
        raise LatentlabError(f"two models are of the same class: {sorted(n for n in names if names.count(n) > 1)[0]}")
    report = GenerateReport(temperatures, softmax_temperature, max_len, seed, sizes)
    classes = sorted(names)
    wanted = sum(sizes.values())
    parts: dict[str, list[tuple[int, np.ndarray]]] = {s: [] for s in GENERATED_SPLITS}
    for path, model, name in zip(models, loaded, names):
        cls = ClassReport(name, str(path), model.weights_sha256)
        rng = np.random.default_rng([seed, classes.index(name)])
        samples = _class_samples(model, cls, wanted, temperatures=temperatures,
                                 softmax_temperature=softmax_temperature, max_len=max_len, rng=rng,
                                 batch_size=batch_size, max_draws=20 * wanted + 10 * batch_size, progress=progress)
        start = 0
        for split in GENERATED_SPLITS:
            parts[split] += [(classes.index(name), s) for s in samples[start:start + sizes[split]]]
            start += sizes[split]
        report.classes.append(cls)
    report.seconds = time.time() - t0
    record = {k: v for k, v in asdict(report).items() if k != "seconds"}  # the same command writes the same file
    arrays: dict[str, np.ndarray] = {"class_names": np.array(classes), "seed": np.array(seed),
                                     "generation": np.array(json.dumps(record))}
    for split, items in parts.items():
        arrays[split] = object_array([s for _, s in items])
        arrays[f"{split}_labels"] = np.array([label for label, _ in items], dtype=np.int32)
    save_npz(out, arrays)
    return report


def read_generation(path: str | os.PathLike) -> dict | None:
    """The ``generation`` record of a generated ``.npz`` (None for other datasets)."""
    from latentlab.io.npz import load_npz

    arrays = load_npz(Path(path))
    return json.loads(str(arrays["generation"])) if "generation" in arrays else None

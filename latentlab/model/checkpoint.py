"""Checkpoints in magenta's layout: ``checkpoint`` state file + ``vector-N.index/.data`` (TensorFlow).

A training folder of the JAX engine (:func:`latentlab.train.jax.train_jax`, for machines without
TensorFlow) holds the same tensors under the same names in ``vector-N.npz``
files instead; everything here reads either, and TensorFlow is imported only
to read or write the TensorFlow format.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Collection, Mapping

import numpy as np

from latentlab.atomic import write_text
from latentlab.errors import LatentlabError
from latentlab.io.npz import load_npz, save_npz
from latentlab.model.layout import SCOPE

PREFIX = "vector"
STEP = f"{SCOPE}/global_step"
FORMATS = ("tf", "npz")
_SLOTS = re.compile(r"(/Adam(_1)?$|beta[12]_power$|/Variable(_\d+)?$)")


def _step_of(path: Path) -> int:
    stem = path.name.split(".")[0]
    return int(stem.rsplit("-", 1)[1]) if "-" in stem else -1


def _prefixes(model_dir: Path) -> list[Path]:
    """Every ``vector[-N]`` checkpoint in a folder, newest step first (an ``.npz`` one keeps its suffix)."""
    files = list(model_dir.glob(f"{PREFIX}*.index")) + list(model_dir.glob(f"{PREFIX}*.npz"))
    return [p if p.suffix == ".npz" else p.with_suffix("") for p in sorted(files, key=_step_of, reverse=True)]


def checkpoint_prefix(model_dir: str | os.PathLike) -> str:
    """The newest checkpoint of a folder: its ``checkpoint`` file's, else the highest ``vector-N``
    (``.index`` or ``.npz``); an ``.npz`` prefix ends in ``.npz``."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise LatentlabError(f"{model_dir}: no such model directory")
    candidates = []
    state = model_dir / "checkpoint"
    if state.is_file():
        try:
            text = state.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            text = ""
        found = re.search(r'^model_checkpoint_path:\s*"(.*)"', text, re.M)
        if not found:
            raise LatentlabError(f"{state}: not a checkpoint state file (expected a line "
                                 'model_checkpoint_path: "vector-N")')
        path = Path(found.group(1))
        candidates.append(path if path.is_absolute() else model_dir / path)
    candidates += _prefixes(model_dir)
    for prefix in candidates:
        if Path(f"{prefix}.index").is_file() or (prefix.suffix == ".npz" and prefix.is_file()):
            return str(prefix)
    raise LatentlabError(f"{model_dir}: no checkpoint found (expected a 'checkpoint' file and "
                         f"{PREFIX}[-N].index/.data, or {PREFIX}-N.npz)")


def read_state(model_dir: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], int | None]:
    """Model weights, optimizer slots (magenta's names; empty when absent) and global step of the newest checkpoint."""
    return _read_prefix(checkpoint_prefix(model_dir))


def _read_prefix(prefix: str) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], int | None]:
    """:func:`read_state` of one checkpoint, named by its prefix (``.../vector-N`` or ``.../vector-N.npz``)."""
    try:
        if prefix.endswith(".npz"):
            tensors = load_npz(prefix)
        else:
            from latentlab.model.tfquiet import tf

            reader = tf.train.load_checkpoint(prefix)
            tensors = {n: reader.get_tensor(n) for n in reader.get_variable_to_shape_map()}
    except LatentlabError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to read is the file's fault
        raise LatentlabError(f"{prefix}: unreadable or corrupt checkpoint ({str(exc).splitlines()[0]})") from None
    # Skip step counters and the extra "vector_rnn_1/..." copies that magenta's
    # second (eval) model adds to its checkpoints.
    ours = {n: v for n, v in tensors.items() if n.startswith(f"{SCOPE}/") and n != STEP}
    weights = {n: v for n, v in ours.items() if not _SLOTS.search(n)}
    slots = {n: v for n, v in ours.items() if _SLOTS.search(n)}
    step = int(tensors[STEP]) if STEP in tensors else None
    if step is None and "-" in Path(prefix).name:
        step = _step_of(Path(prefix))
    return weights, slots, step


def read_checkpoint(model_dir: str | os.PathLike) -> tuple[dict[str, np.ndarray], int | None]:
    """Model weights (optimizer slots dropped) and the global step of a folder's newest checkpoint.

    Parameters
    ----------
    model_dir
        A model or training folder.

    Returns
    -------
    weights, step
        Weights by magenta's variable names, and the global step (None when unknown).
    """
    weights, _, step = read_state(model_dir)
    return weights, step


def _kept(model_dir: Path) -> list[Path]:
    """A training folder's ``vector-N`` checkpoints (not an unnumbered ``vector``), newest first."""
    return [p for p in _prefixes(model_dir) if "-" in p.name] if model_dir.is_dir() else []


def kept_steps(model_dir: str | os.PathLike) -> list[int]:
    """The steps of a training folder's kept ``vector-N`` checkpoints, newest first."""
    return [_step_of(p) for p in _kept(Path(model_dir))]


def average_checkpoints(model_dir: str | os.PathLike, n: int,
                        steps: Collection[int] | None = None) -> tuple[dict[str, np.ndarray], list[int]]:
    """The mean of the model weights of a folder's newest ``n`` checkpoints, and their steps (newest first).

    Checkpoint averaging: late in training the weights wander around a minimum
    from save to save, and their mean often lies nearer to it than any one of them.
    ``steps``, when given, limits it to checkpoints of those steps (export passes
    the scheduled saves, so a checkpoint written on Ctrl-C a few steps after a save
    does not count as one more).

    Parameters
    ----------
    model_dir
        A training folder.
    n
        How many of the newest checkpoints.
    steps
        Only checkpoints of these steps (those saved on schedule).

    Returns
    -------
    weights, steps
        The mean weights and the steps averaged, newest first.
    """
    model_dir = Path(model_dir)
    prefixes = [p for p in _kept(model_dir) if steps is None or _step_of(p) in steps][:n]
    if len(prefixes) < n:
        which = " saved on schedule" if steps is not None else ""
        raise LatentlabError(f"{model_dir}: {len(prefixes)} checkpoint(s){which} to average, {n} asked for (train "
                             "keeps the newest --keep of them)")
    total: dict[str, np.ndarray] = {}
    dtypes: dict[str, np.dtype] = {}
    chosen = []
    for prefix in prefixes:  # a running sum: one checkpoint in memory at a time, not n
        weights, _, step = _read_prefix(str(prefix))
        for name, value in weights.items():
            total[name] = total.get(name, 0.0) + value.astype(np.float64)
            dtypes[name] = value.dtype
        chosen.append(step)
    return {name: (value / n).astype(dtypes[name]) for name, value in total.items()}, chosen


def _write_tf(prefix: str, tensors: Mapping[str, np.ndarray]) -> None:
    from latentlab.model.tfquiet import tf

    names = sorted(tensors)
    tf.raw_ops.SaveV2(prefix=prefix, tensor_names=names, shape_and_slices=[""] * len(names),
                      tensors=[tf.constant(tensors[n]) for n in names])


def write_checkpoint(model_dir: str | os.PathLike, weights: Mapping[str, np.ndarray], step: int,
                     extra: Mapping[str, np.ndarray] | None = None, keep: int = 2, fmt: str = "tf") -> str:
    """Write ``vector-<step>`` (weights plus optional ``extra`` tensors) and point ``checkpoint`` at it.

    ``fmt`` "tf" writes TensorFlow's ``.index/.data``, "npz" one ``.npz``.  Written
    to a temporary name and renamed, so a crash never leaves a checkpoint the
    ``checkpoint`` file points at half-written.  Older ``vector-N`` files beyond
    the newest ``keep`` are removed.

    Parameters
    ----------
    model_dir
        The folder.
    weights
        By magenta's variable names.
    step
        The global step in the name.
    extra
        Further tensors (optimizer slots).
    keep
        Newest checkpoints kept.
    fmt
        ``"tf"`` or ``"npz"``.

    Returns
    -------
    The checkpoint's prefix.
    """
    if fmt not in FORMATS:
        raise LatentlabError(f"unknown checkpoint format {fmt!r} (one of {', '.join(FORMATS)})")
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    tensors = {**weights, **(extra or {}), STEP: np.array(step, np.int64)}
    final = f"{PREFIX}-{step}"
    if fmt == "npz":
        final += ".npz"
        save_npz(model_dir / final, tensors, compress=False)
    else:
        tmp = tempfile.mkdtemp(dir=model_dir, prefix=".ckpt-")
        try:
            _write_tf(os.path.join(tmp, PREFIX), tensors)
            for src in Path(tmp).iterdir():
                os.replace(src, model_dir / src.name.replace(PREFIX, final, 1))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    files = list(model_dir.glob(f"{PREFIX}-*.index")) + list(model_dir.glob(f"{PREFIX}-*.npz"))
    old = sorted({_step_of(p) for p in files})
    kept = [s for s in old if s != step][-(keep - 1):] if keep > 1 else []
    names = {s: f"{PREFIX}-{s}" + (".npz" if (model_dir / f"{PREFIX}-{s}.npz").is_file() else "") for s in kept}
    lines = [f'model_checkpoint_path: "{final}"'] + [f'all_model_checkpoint_paths: "{names[s]}"' for s in kept]
    lines.append(f'all_model_checkpoint_paths: "{final}"')
    write_text(model_dir / "checkpoint", "\n".join(lines) + "\n")
    for s in old:
        if s not in kept and s != step:
            for f in model_dir.glob(f"{PREFIX}-{s}.*"):
                f.unlink()
    return str(model_dir / final)

"""TF checkpoints in magenta's layout: ``checkpoint`` state file + ``vector[-N].index/.data``."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Mapping

import numpy as np
import tensorflow as tf

from latentlab.atomic import write_text
from latentlab.errors import LatentlabError

PREFIX = "vector"
SCOPE = "vector_rnn"
STEP = f"{SCOPE}/global_step"
_SLOTS = re.compile(r"(/Adam(_1)?$|beta[12]_power$|/Variable(_\d+)?$)")


def checkpoint_prefix(model_dir: str | os.PathLike) -> str:
    """The newest checkpoint prefix of a folder: from its ``checkpoint`` file, else the highest ``vector-N``."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise LatentlabError(f"{model_dir}: no such model directory")
    state = tf.train.get_checkpoint_state(str(model_dir))
    candidates = []
    if state and state.model_checkpoint_path:
        path = Path(state.model_checkpoint_path)
        candidates.append(path if path.is_absolute() else model_dir / path)
    steps = sorted(model_dir.glob(f"{PREFIX}*.index"),
                   key=lambda p: int(p.stem.split("-")[-1]) if "-" in p.stem else -1)
    candidates += [p.with_suffix("") for p in reversed(steps)]
    for prefix in candidates:
        if Path(f"{prefix}.index").is_file():
            return str(prefix)
    raise LatentlabError(f"{model_dir}: no checkpoint found (expected a 'checkpoint' file and {PREFIX}[-N].index/.data)")


def read_checkpoint(model_dir: str | os.PathLike) -> tuple[dict[str, np.ndarray], int | None]:
    """Model weights (optimizer slots dropped) and the global step of a folder's newest checkpoint."""
    prefix = checkpoint_prefix(model_dir)
    try:
        reader = tf.train.load_checkpoint(prefix)
        names = reader.get_variable_to_shape_map()
        # Skip optimizer slots, step counters and the extra "vector_rnn_1/..." copies
        # that magenta's second (eval) model adds to its checkpoints.
        weights = {n: reader.get_tensor(n) for n in names
                   if n.startswith(f"{SCOPE}/") and not _SLOTS.search(n) and n != STEP}
        step = int(reader.get_tensor(STEP)) if STEP in names else None
    except (tf.errors.OpError, ValueError, IndexError, RuntimeError) as exc:
        raise LatentlabError(f"{prefix}: unreadable or corrupt checkpoint ({str(exc).splitlines()[0]})") from None
    if step is None and "-" in Path(prefix).name:
        step = int(Path(prefix).name.rsplit("-", 1)[1])
    return weights, step


def write_checkpoint(model_dir: str | os.PathLike, weights: Mapping[str, np.ndarray], step: int,
                     extra: Mapping[str, np.ndarray] | None = None, keep: int = 2) -> str:
    """Write ``vector-<step>`` (weights plus optional ``extra`` tensors) and point ``checkpoint`` at it.

    Written to a temporary name and renamed, so a crash never leaves a
    checkpoint the ``checkpoint`` file points at half-written.  Older ``vector-N``
    files beyond the newest ``keep`` are removed.
    """
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    tensors = {**weights, **(extra or {}), STEP: np.array(step, np.int64)}
    names = sorted(tensors)
    tmp = tempfile.mkdtemp(dir=model_dir, prefix=".ckpt-")
    try:
        tf.raw_ops.SaveV2(prefix=os.path.join(tmp, PREFIX), tensor_names=names, shape_and_slices=[""] * len(names),
                          tensors=[tf.constant(tensors[n]) for n in names])
        final = f"{PREFIX}-{step}"
        for src in Path(tmp).iterdir():
            os.replace(src, model_dir / src.name.replace(PREFIX, final, 1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    old = sorted({int(p.name.split("-")[1].split(".")[0]) for p in model_dir.glob(f"{PREFIX}-*.index")})
    kept = [s for s in old if s != step][-(keep - 1):] if keep > 1 else []
    state = model_dir / "checkpoint"
    lines = [f'model_checkpoint_path: "{final}"'] + [f'all_model_checkpoint_paths: "{PREFIX}-{s}"' for s in kept + [step]]
    write_text(state, "\n".join(lines) + "\n")
    for s in old:
        if s not in kept and s != step:
            for f in model_dir.glob(f"{PREFIX}-{s}.*"):
                f.unlink()
    return str(model_dir / final)

"""SketchRNN hyperparameters and the official ``model_config.json`` format.

Magenta's configs store flags as 0/1 integers; other tools write booleans, and
magenta 2.1.4's own trainer writes a broken file (a JSON list of the key names
only).  :func:`load_config` accepts all three, repairing the last with a clear
warning; :func:`save_config` always writes the official style.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from latentlab.atomic import write_text
from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.io.jsonfile import read_json

CELL_TYPES = ("lstm", "layer_norm", "hyper")
CONFIG_FILE = "model_config.json"


# The float hparams' ranges: (low, high, low included); a value outside trains nothing useful (nan, a
# negative rate, a probability above 1).
_RANGES = {"learning_rate": (0, 1, False), "min_learning_rate": (0, 1, True), "decay_rate": (0, 1, False),
           "kl_decay_rate": (0, 1, False), "kl_weight": (0, 1e3, True), "kl_weight_start": (0, 1e3, True),
           "kl_tolerance": (0, 1e3, True), "grad_clip": (0, 1e6, False), "recurrent_dropout_prob": (0, 1, False),
           "input_dropout_prob": (0, 1, False), "output_dropout_prob": (0, 1, False),
           "random_scale_factor": (0, 0.99, True), "augment_stroke_prob": (0, 1, True)}


@dataclass
class HParams:
    """Magenta's ``get_default_hparams()``, field for field, same defaults."""

    data_set: list[str] = field(default_factory=lambda: ["aaron_sheep.npz"])
    num_steps: int = 10000000
    save_every: int = 500
    max_seq_len: int = 250
    dec_rnn_size: int = 512
    dec_model: str = "lstm"
    enc_rnn_size: int = 256
    enc_model: str = "lstm"
    z_size: int = 128
    kl_weight: float = 0.5
    kl_weight_start: float = 0.01
    kl_tolerance: float = 0.2
    batch_size: int = 100
    grad_clip: float = 1.0
    num_mixture: int = 20
    learning_rate: float = 0.001
    decay_rate: float = 0.9999
    kl_decay_rate: float = 0.99995
    min_learning_rate: float = 0.00001
    use_recurrent_dropout: bool = True
    recurrent_dropout_prob: float = 0.90
    use_input_dropout: bool = False
    input_dropout_prob: float = 0.90
    use_output_dropout: bool = False
    output_dropout_prob: float = 0.90
    random_scale_factor: float = 0.15
    augment_stroke_prob: float = 0.10
    conditional: bool = True
    is_training: bool = True

    def __post_init__(self) -> None:
        for name in ("max_seq_len", "enc_rnn_size", "dec_rnn_size", "z_size", "num_mixture", "batch_size",
                     "num_steps", "save_every"):
            if not getattr(self, name) >= (2 if name == "max_seq_len" else 1):
                raise LatentlabValueError(f"{name} must be a positive integer, got {getattr(self, name)!r}")
        for name, (lo, hi, closed_lo) in _RANGES.items():
            value = getattr(self, name)
            if not (math.isfinite(value) and (value >= lo if closed_lo else value > lo) and value <= hi):
                opening = "[" if closed_lo else "("
                raise LatentlabValueError(f"{name} must be in {opening}{lo:g}, {hi:g}], got {value!r}")
        for name in ("enc_model", "dec_model"):
            value = getattr(self, name)
            if value not in CELL_TYPES:
                raise LatentlabError(
                    f"unknown cell type {name}={value!r}; expected one of {', '.join(CELL_TYPES)}")

    def replace(self, **changes: Any) -> "HParams":
        """A copy with ``changes`` applied (checked as the constructor checks)."""
        return dataclasses.replace(self, **changes)

    def to_official_dict(self) -> dict[str, Any]:
        """The dict as magenta's own released configs spell it (flags as 0/1)."""
        out = {}
        for key, value in dataclasses.asdict(self).items():
            out[key] = int(value) if isinstance(value, bool) else value
        return out

    def config_hash(self) -> str:
        """A short hash of the architecture-defining fields (ignores training knobs)."""
        keys = ("max_seq_len", "dec_rnn_size", "dec_model", "enc_rnn_size", "enc_model",
                "z_size", "num_mixture", "conditional")
        blob = json.dumps({k: getattr(self, k) for k in keys}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


_FIELDS = {f.name: f for f in dataclasses.fields(HParams)}


def _coerce(key: str, value: Any, source: str) -> Any:
    default = _FIELDS[key].default
    if isinstance(default, bool):
        if value in (0, 1, True, False):
            return bool(value)
        if isinstance(value, str) and value.lower() in ("true", "false", "0", "1"):
            return value.lower() in ("true", "1")
        raise LatentlabError(f"{source}: {key} must be 0/1 or a boolean, got {value!r}")
    if key == "data_set":
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise LatentlabError(f"{source}: data_set must be a file name or a list of them, got {value!r}")
    if isinstance(value, bool) or (isinstance(default, (int, float)) and not isinstance(value, (int, float, str))):
        raise LatentlabError(f"{source}: {key} must be {type(default).__name__}, got {value!r}")
    try:
        return type(default)(value)
    except (TypeError, ValueError):
        raise LatentlabError(f"{source}: {key} must be {type(default).__name__}, got {value!r}") from None


def hparams_from_dict(values: dict[str, Any], source: str = "hparams") -> HParams:
    """Build HParams from a (possibly partial) dict; unknown keys are an error.

    Parameters
    ----------
    values
        Hparams by name (magenta's flags as 0/1 accepted).
    source
        Where they came from, for the error.
    """
    unknown = sorted(set(values) - set(_FIELDS))
    if unknown:
        raise LatentlabError(f"{source}: unknown hyperparameter(s) {', '.join(unknown)}")
    coerced = {k: _coerce(k, v, source) for k, v in values.items()}
    try:
        return HParams(**coerced)
    except LatentlabError as exc:
        raise type(exc)(f"{source}: {exc}") from None


def parse_hparams(text: str, base: HParams | None = None) -> HParams:
    """Parse magenta's ``key=value,key=value`` override string onto ``base``.

    Parameters
    ----------
    text
        ``key=value,key=value`` (JSON values or plain strings).
    base
        The hparams to change (default magenta's defaults).

    Returns
    -------
    The changed :class:`HParams`.
    """
    base = base or HParams()
    values = dataclasses.asdict(base)
    for item in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in item:
            raise LatentlabValueError(f"hparams: expected key=value, got {item!r}")
        key, raw = (s.strip() for s in item.split("=", 1))
        if key not in _FIELDS:
            raise LatentlabValueError(f"hparams: unknown hyperparameter {key!r}")
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            parsed = raw
        values[key] = parsed
    return hparams_from_dict(values, "hparams")


def target_steps(steps: int | None, hparams_text: str, default: int = 10_000) -> int:
    """The global step to train to: ``steps``, else ``num_steps`` from the ``hparams_text`` overrides (magenta's
    name for it), else ``default``; both given and different is an error.

    Parameters
    ----------
    steps
        The step asked for, or None.
    hparams_text
        The ``--hparams`` overrides.
    default
        Used when neither gives one.

    Returns
    -------
    The step to train to.
    """
    given = parse_hparams(hparams_text).num_steps if "num_steps" in hparams_text else None
    if steps is not None and given is not None and steps != given:
        raise LatentlabValueError(f"steps={steps} and hparams num_steps={given} disagree: give one of them")
    return steps if steps is not None else given if given is not None else default


def load_config(model_dir: str | os.PathLike) -> HParams:
    """Read ``model_config.json`` from a model directory (official, boolean or broken-list style).

    Parameters
    ----------
    model_dir
        A model folder.

    Returns
    -------
    Its :class:`HParams`.
    """
    path = Path(model_dir) / CONFIG_FILE
    if not path.is_file():
        raise LatentlabError(f"{path}: no {CONFIG_FILE} here; is this a SketchRNN model directory?")
    values = read_json(path)
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        # magenta 2.1.4's trainer dumps list(hparams.values()): the key names only.
        warnings.warn(
            f"{path}: this is the broken list-of-keys config magenta 2.1.4's trainer writes (key names, no "
            "values); using magenta's default hyperparameters, so a model trained with other sizes or "
            "max_seq_len will be reported as not matching its checkpoint. Write a correct one with "
            "latentlab.model.config.save_config.", stacklevel=2)
        return HParams()
    if not isinstance(values, dict):
        raise LatentlabError(f"{path}: expected a JSON object of hyperparameters")
    return hparams_from_dict(values, str(path))


def save_config(hps: HParams, model_dir: str | os.PathLike) -> Path:
    """Write ``model_config.json`` in the official style, atomically.

    Parameters
    ----------
    hps
        The hparams.
    model_dir
        The folder.

    Returns
    -------
    The path written.
    """
    return write_text(Path(model_dir) / CONFIG_FILE, json.dumps(hps.to_official_dict(), indent=1) + "\n")

"""The official model folder's layout, without TensorFlow: variable names and shapes, and latentlab's side file.

Every trainer and the runtime agree on these names (magenta's checkpoint
variables), so a folder written by one is read by all, on machines with or
without TensorFlow.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

import numpy as np

from latentlab.atomic import write_text
from latentlab.errors import LatentlabError
from latentlab.io.jsonfile import read_json
from latentlab.model.config import HParams

SCOPE = "vector_rnn"
INFO_FILE = "model_info.json"
HYPER_UNITS = 256
HYPER_EMBEDDING = 32
GATES = ("i", "j", "f", "o")
FORGET_BIAS = 1.0  # added to the forget gate, as magenta's LSTM cells do
LN_EPSILON = 1e-3  # of the layer-norm cells' normalisation
SCOPES = {"lstm": "LSTMCell", "layer_norm": "LayerNormLSTMCell", "hyper": "HyperLSTMCell"}


def cell_variable_shapes(kind: str, prefix: str, num_units: int, input_size: int) -> dict[str, tuple[int, ...]]:
    """The variables (official names) and shapes a cell of this kind needs.

    Parameters
    ----------
    kind
        The cell.
    prefix
        Its variable scope.
    num_units
        Its size.
    input_size
        Its input's size.
    """
    p = f"{prefix}/{SCOPES[kind]}"
    shapes = {f"{p}/W_xh": (input_size, 4 * num_units), f"{p}/W_hh": (num_units, 4 * num_units)}
    if kind != "layer_norm":
        shapes[f"{p}/bias"] = (4 * num_units,)
    if kind != "lstm":
        for ln, size in (("ln_all", 4 * num_units), ("ln_c", num_units)):
            shapes[f"{p}/{ln}/ln_gamma"] = (size,)
            shapes[f"{p}/{ln}/ln_beta"] = (size,)
    if kind == "hyper":
        shapes.update(cell_variable_shapes("layer_norm", p, HYPER_UNITS, input_size + num_units))
        for gate in GATES:
            for src in "xh":
                s = f"{p}/hyper_{gate}{src}"
                shapes[f"{s}/zw/super_linear_w"] = (HYPER_UNITS, HYPER_EMBEDDING)
                shapes[f"{s}/zw/super_linear_b"] = (HYPER_EMBEDDING,)
                shapes[f"{s}/alpha/super_linear_w"] = (HYPER_EMBEDDING, num_units)
                if src == "h":
                    shapes[f"{s}/zb/super_linear_w"] = (HYPER_UNITS, HYPER_EMBEDDING)
                    shapes[f"{s}/beta/super_linear_w"] = (HYPER_EMBEDDING, num_units)
    return shapes


def make_state_size(kind: str, units: int) -> int:
    """Size of a cell's state vector (h and c, and a hyper cell's own).

    Parameters
    ----------
    kind
        The cell.
    units
        Its size.
    """
    return 2 * units + (2 * HYPER_UNITS if kind == "hyper" else 0)


def variable_shapes(hps: HParams) -> dict[str, tuple[int, ...]]:
    """Every weight (official name -> shape) a model with these hparams has."""
    dec_in = 5 + (hps.z_size if hps.conditional else 0)
    shapes = cell_variable_shapes(hps.dec_model, f"{SCOPE}/RNN", hps.dec_rnn_size, dec_in)
    n_out = 3 + 6 * hps.num_mixture
    shapes[f"{SCOPE}/RNN/output_w"] = (hps.dec_rnn_size, n_out)
    shapes[f"{SCOPE}/RNN/output_b"] = (n_out,)
    if hps.conditional:
        for direction in ("fw", "bw"):
            shapes.update(cell_variable_shapes(hps.enc_model, f"{SCOPE}/ENC_RNN/{direction}", hps.enc_rnn_size, 5))
        for head in ("mu", "sigma"):
            shapes[f"{SCOPE}/ENC_RNN_{head}/super_linear_w"] = (2 * hps.enc_rnn_size, hps.z_size)
            shapes[f"{SCOPE}/ENC_RNN_{head}/super_linear_b"] = (hps.z_size,)
        state = make_state_size(hps.dec_model, hps.dec_rnn_size)
        shapes[f"{SCOPE}/linear/super_linear_w"] = (hps.z_size, state)
        shapes[f"{SCOPE}/linear/super_linear_b"] = (state,)
    return shapes


def check_weights(hps: HParams, weights: dict, where: str) -> dict[str, tuple[int, ...]]:
    """Check that ``weights`` hold every variable ``hps`` needs, in its shape, with finite values; returns the
    expected shapes by name.

    Parameters
    ----------
    hps
        The model's hparams.
    weights
        Its weights by name.
    where
        The model, for the error.
    """
    expected = variable_shapes(hps)
    problems = [f"{name}: missing" for name in expected if name not in weights]
    problems += [f"{name}: checkpoint has shape {tuple(weights[name].shape)}, config needs {shape}"
                 for name, shape in expected.items() if name in weights and tuple(weights[name].shape) != shape]
    if problems:
        raise LatentlabError(f"{where}: checkpoint does not match model_config.json: " + "; ".join(problems[:3])
                             + (f"; and {len(problems) - 3} more" if len(problems) > 3 else ""))
    bad = [name for name in expected if not np.all(np.isfinite(weights[name]))]
    if bad:
        raise LatentlabError(f"{where}: non-finite values (NaN or inf) in {', '.join(bad[:3])}"
                             + (f" and {len(bad) - 3} more" if len(bad) > 3 else ""))
    return expected


def read_info(model_dir: str | os.PathLike) -> dict:
    """latentlab's side file beside the config: scale factor, data provenance, training record."""
    path = Path(model_dir) / INFO_FILE
    if not path.is_file():
        return {}
    info = read_json(path)
    if not isinstance(info, dict):
        raise LatentlabError(f"{path}: expected a JSON object, got {type(info).__name__}")
    factor = info.get("scale_factor")
    if factor is not None and not (isinstance(factor, (int, float)) and not isinstance(factor, bool)
                                   and math.isfinite(factor) and factor > 0):
        raise LatentlabError(f"{path}: scale_factor must be a positive number, got {factor!r}")
    return info


def save_info(model_dir: str | os.PathLike, info: dict) -> Path:
    """Write latentlab's side file (see ``read_info``) atomically.

    Parameters
    ----------
    model_dir
        The model folder.
    info
        What to record.
    """
    return write_text(Path(model_dir) / INFO_FILE, json.dumps(info, indent=1) + "\n")


def weights_sha256(weights: dict[str, np.ndarray]) -> str:
    """A checksum of a model's weights (names, shapes and float32 values): what a store records of its model."""
    h = hashlib.sha256()
    for name in sorted(weights):
        value = np.ascontiguousarray(weights[name], np.float32)
        h.update(f"{name}{value.shape}".encode())
        h.update(value.tobytes())
    return h.hexdigest()

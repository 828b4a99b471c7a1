"""sketch-rnn-js / magenta-js JSON models: read them (``SketchRNN.load`` builds the model), export ours to them.

Format: a JSON array ``[header, shapes, weights]``; each weight is base64 of
little-endian int16, ``value = int16 / 32767 * 10``.  Decoder-only ("gen")
models hold 5 arrays: output W/b, LSTM W_xh, W_hh, bias.  VAE models hold 17:
encoder fw LSTM (W_xh, W_hh, bias), bw LSTM, mu W/b, sigma W/b, z->initial
state W/b, decoder output W/b, decoder LSTM W_xh/W_hh/bias.  Only plain LSTM
cells exist in this format.
"""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from latentlab.atomic import write_text
from latentlab.errors import LatentlabError
from latentlab.io.jsonfile import read_json
from latentlab.model.config import HParams
from latentlab.model.layout import SCOPE
from latentlab.names import check_names

if TYPE_CHECKING:  # TensorFlow is imported only where a model runs
    from latentlab.model.runtime import SketchRNN

MAX_WEIGHT = 10.0
MAX_SEQ_LEN = 10_000  # published models use 100-250 points
MAX_DIM = 1 << 16  # the largest size of a weight array's axis
_DEC = f"{SCOPE}/RNN"
_ENC = f"{SCOPE}/ENC_RNN"
GEN_ORDER = [f"{_DEC}/output_w", f"{_DEC}/output_b", f"{_DEC}/LSTMCell/W_xh", f"{_DEC}/LSTMCell/W_hh",
             f"{_DEC}/LSTMCell/bias"]
VAE_ORDER = ([f"{_ENC}/{d}/LSTMCell/{w}" for d in ("fw", "bw") for w in ("W_xh", "W_hh", "bias")]
             + [f"{SCOPE}/ENC_RNN_{h}/super_linear_{p}" for h in ("mu", "sigma") for p in ("w", "b")]
             + [f"{SCOPE}/linear/super_linear_w", f"{SCOPE}/linear/super_linear_b"] + GEN_ORDER)


def _decode_array(text: str, shape: list[int], where: str) -> np.ndarray:
    try:
        raw = np.frombuffer(base64.b64decode(text, validate=True), dtype="<i2")
    except ValueError as exc:  # not base64, or an odd number of bytes
        raise LatentlabError(f"{where}: not base64 int16 weights ({exc})") from None
    if raw.size != int(np.prod(shape)):
        raise LatentlabError(f"{where}: {raw.size} values for shape {shape}")
    return (raw.astype(np.float32) * MAX_WEIGHT / 32767).reshape(shape)


def _encode_array(value: np.ndarray) -> str:
    q = np.round(np.clip(value, -MAX_WEIGHT, MAX_WEIGHT) * 32767 / MAX_WEIGHT).astype("<i2")
    return base64.b64encode(q.tobytes()).decode("ascii")


def read_js_model(path: str | os.PathLike) -> tuple[HParams, dict[str, np.ndarray], float]:
    """A sketch-rnn-js ``.json`` (gen or VAE layout), checked: its config, weights and scale factor.
    ``SketchRNN.load(path)`` builds the model from them.

    Parameters
    ----------
    path
        A ``.json`` model of sketch-rnn-js / magenta-js.

    Returns
    -------
    ``(hps, weights, scale_factor)``, the weights named in magenta's layout (decoder only for unconditional
    models).
    """
    path = Path(path)
    model = read_json(path)
    if not isinstance(model, list) or len(model) != 3:
        raise LatentlabError(f"{path}: not a sketch-rnn-js model (a JSON array [header, shapes, weights])")
    header, shapes, blobs = model
    max_seq_len, name, scale = _check_header(header, path)
    if not isinstance(blobs, list) or not all(isinstance(b, str) for b in blobs):
        raise LatentlabError(f"{path}: its weights are not a list of base64 strings")
    order = {len(GEN_ORDER): GEN_ORDER, len(VAE_ORDER): VAE_ORDER}.get(len(blobs))
    if order is None or not isinstance(shapes, list) or len(shapes) != len(blobs):
        raise LatentlabError(f"{path}: {len(blobs)} weight arrays; expected 5 (decoder only) or 17 (VAE), each "
                             "with its shape")
    for i, shape in enumerate(shapes):
        if not (isinstance(shape, list) and 1 <= len(shape) <= 2 and all(_is_int(d) and 1 <= d <= MAX_DIM
                                                                         for d in shape)):
            raise LatentlabError(f"{path} [shape {i}]: {str(shape)[:60]}: expected 1 or 2 integer sizes in "
                                 f"1..{MAX_DIM}")
    weights = {name: _decode_array(b, s, f"{path} [{i}]") for i, (name, s, b) in enumerate(zip(order, shapes, blobs))}
    conditional = order is VAE_ORDER
    dec_units = weights[f"{_DEC}/LSTMCell/W_hh"].shape[0]
    hps = HParams(dec_rnn_size=dec_units, num_mixture=(weights[f"{_DEC}/output_w"].shape[1] - 3) // 6,
                  conditional=conditional, max_seq_len=max_seq_len,
                  use_recurrent_dropout=False, is_training=False,
                  enc_rnn_size=weights[f"{_ENC}/fw/LSTMCell/W_hh"].shape[0] if conditional else 256,
                  z_size=weights[f"{SCOPE}/ENC_RNN_mu/super_linear_w"].shape[1] if conditional else 128,
                  data_set=[name])
    return hps, weights, scale


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_header(header: object, path: Path) -> tuple[int, str, float]:
    """(max_seq_len, name, scale factor) of a model's header, each checked for its type and range."""
    if not isinstance(header, dict):
        raise LatentlabError(f"{path}: its header is {str(header)[:40]!r}, not an object with max_seq_len, name "
                             "and scale_factor")
    max_seq_len = header.get("max_seq_len", 250)
    if not _is_int(max_seq_len) or not 2 <= max_seq_len <= MAX_SEQ_LEN:
        raise LatentlabError(f"{path}: header max_seq_len {str(max_seq_len)[:40]}: expected an integer in "
                             f"2..{MAX_SEQ_LEN}")
    name = check_names([header.get("name", path.stem)], "model name", f"{path} [header]")[0]
    scale = header.get("scale_factor", 1.0)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 < scale < 1e6:
        raise LatentlabError(f"{path}: header scale_factor {str(scale)[:40]}: expected a number in (0, 1e6)")
    return max_seq_len, name, float(scale)


def export_js_model(model: "SketchRNN", path: str | os.PathLike, name: str = "", z: np.ndarray | None = None) -> Path:
    """Write ``model`` as sketch-rnn-js JSON.

    An unconditional model gives the decoder-only ("gen", mode 1) layout that
    ``@magenta/sketch`` runs.  A conditional model gives the 17-array VAE layout,
    or, with ``z``, a gen model of the decoder conditioned on that z: z's input
    weights are folded into the LSTM bias and ``header["initial_state"]`` holds
    the ``[c, h]`` state to start from.

    Parameters
    ----------
    model
        A SketchRNN.
    path
        The ``.json`` file.
    name
        The model's name in its header.
    z
        Unused for conditional models; kept for the header of unconditional ones.

    Returns
    -------
    The path written.
    """
    hps = model.hps
    if hps.dec_model != "lstm" or (hps.conditional and hps.enc_model != "lstm"):
        raise LatentlabError("the sketch-rnn-js format has plain LSTM cells only")
    w = model.weights
    header = {"mode": 1, "version": 6, "max_seq_len": hps.max_seq_len, "name": name or hps.data_set[0],
              "scale_factor": model.scale_factor}
    if hps.conditional and z is None:
        header["mode"] = 0
        arrays = [w[n] for n in VAE_ORDER]
    else:
        arrays = [w[n] for n in GEN_ORDER]
        if hps.conditional:
            z = np.asarray(z, np.float32).reshape(1, -1)
            arrays[2] = w[f"{_DEC}/LSTMCell/W_xh"][:5]
            arrays[4] = w[f"{_DEC}/LSTMCell/bias"] + (z @ w[f"{_DEC}/LSTMCell/W_xh"][5:])[0]
            state = np.tanh(z @ w[f"{SCOPE}/linear/super_linear_w"] + w[f"{SCOPE}/linear/super_linear_b"])[0]
            header["initial_state"] = {"c": state[:hps.dec_rnn_size].tolist(), "h": state[hps.dec_rnn_size:].tolist()}
    too_big = max(float(np.abs(a).max()) for a in arrays)
    if too_big > MAX_WEIGHT:
        raise LatentlabError(f"a weight of {too_big:.2f} exceeds the format's +-{MAX_WEIGHT} range")
    return write_text(path, json.dumps([header, [list(a.shape) for a in arrays], [_encode_array(a) for a in arrays]]))

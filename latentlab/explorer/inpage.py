"""The model inside the explorer page: its weights packed for the page's JavaScript runtime.

``latentlab/explorer/js/sketchrnn.js`` runs the runtime's encoder and sampler on
these arrays in Web Workers.  Matrices travel transposed, ``(out, in)``, so that
each output is one contiguous dot product in the page; with ``precision="int8"``
each row (one output unit) is rounded to int8 with its own scale: mu then
stays within 0.031 of the float32 model's on the sheep (largest difference
over 20 sketches; 99% of their 10 nearest stored sketches unchanged;
``bench/explorer_scale.py --in-page``) at a quarter of the size.  One scale per whole
tensor was measured too: 0.12 off, and no greedy step in common.  Vectors (biases, layer-norm gains)
stay float32: they are a few kilobytes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.model.layout import FORGET_BIAS, LN_EPSILON, SCOPE, SCOPES

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN

PRECISIONS = ("int8", "float32")
INPAGE_CELLS = ("lstm", "layer_norm")  # the cells sketchrnn.js implements; "hyper" is refused in the page


def quantise_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D float matrix -> (int8 matrix, float32 per-row scale) with ``matrix ~ q * scale[:, None]``."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    return np.rint(matrix / scale[:, None]).astype(np.int8), scale


def model_arrays(model: "SketchRNN", *, precision: str = "int8") -> tuple[dict, dict[str, np.ndarray]]:
    """What the page's runtime needs of ``model``: ``(meta, arrays)``.

    Parameters
    ----------
    model
        A loaded conditional model.
    precision
        ``"int8"`` (matrices rounded per row) or ``"float32"`` (exact; four times the size).

    Returns
    -------
    meta, arrays
        Hyperparameters, scale factor and cell layout; arrays by official
        variable name (matrices transposed to ``(out, in)``; ``<name>:scale`` holds an int8 matrix's row scales).
    """
    if precision not in PRECISIONS:
        raise LatentlabValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    hps = model.hps
    meta = {"enc_model": hps.enc_model, "dec_model": hps.dec_model, "enc_rnn_size": hps.enc_rnn_size,
            "dec_rnn_size": hps.dec_rnn_size, "z_size": hps.z_size, "num_mixture": hps.num_mixture,
            "max_seq_len": hps.max_seq_len, "scale_factor": model.scale_factor, "precision": precision,
            "scope": SCOPE, "cell_scopes": SCOPES, "forget_bias": FORGET_BIAS, "ln_epsilon": LN_EPSILON,
            "model_dir": model.model_dir, "step": model.step,
            "weights_sha256": model.weights_sha256}
    unsupported = sorted({hps.enc_model, hps.dec_model} - set(INPAGE_CELLS))
    if unsupported or not hps.conditional:
        meta["unsupported"] = (f"the {' and '.join(unsupported)} cell does not run in the page (it runs "
                               f"{' and '.join(INPAGE_CELLS)} cells)" if unsupported else
                               "this model has no encoder (it is unconditional)")
        return meta, {}
    arrays: dict[str, np.ndarray] = {}
    for name, value in sorted(model.weights.items()):
        value = np.asarray(value, np.float32)
        if value.ndim == 2:
            value = np.ascontiguousarray(value.T)
            if precision == "int8":
                value, arrays[f"{name}:scale"] = quantise_rows(value)
        arrays[name] = value
    return meta, arrays

"""The temperatures of a decode, checked the same way in the API, the CLI and the store (no TensorFlow here)."""
from __future__ import annotations

import math

from latentlab.errors import LatentlabValueError

MAX_TEMPERATURE = 10.0  # past this a decode is noise: sigma scaled tenfold, choices nearly uniform


def check_temperature(value: float, what: str = "temperature") -> float:
    """``value`` as a float in (0, ``MAX_TEMPERATURE``]; anything else (NaN, inf, 1e300, <= 0) is refused.

    Parameters
    ----------
    value
        A number, or text that parses as one.
    what
        Names the value in the error.
    """
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise LatentlabValueError(f"{what} must be a number, got {value!r}") from None
    if not (math.isfinite(out) and 0 < out <= MAX_TEMPERATURE):
        raise LatentlabValueError(f"{what} must be in (0, {MAX_TEMPERATURE:g}], got {value!r}")
    return out


def softmax_temperature_for(temperature: float, softmax_temperature: float | str | None = None) -> float:
    """The temperature of a decode's categorical choices (mixture component, pen state).

    None: ``temperature`` itself, as magenta's Python ``sample`` (and the original
    notebook) does; at tau 0.1 that is nearly always the likeliest pen state, so a
    decoder that gives the end of a sketch p = 0.5 stops about half the time.
    ``"js"``: ``0.5 + 0.5 * temperature``, sketch-rnn-js's and magenta-js's
    default for these two choices (their offsets differ too: sigma times
    sqrt(tau), magenta's times tau): a low tau then sharpens the strokes but still
    lets the decode lift the pen and stop where the model is unsure of the exact
    point.  A number: that temperature.

    Parameters
    ----------
    temperature
        The decode's temperature tau.
    softmax_temperature
        None, ``"js"`` or a number.
    """
    if softmax_temperature is None:
        return temperature
    if softmax_temperature == "js":
        return 0.5 + 0.5 * temperature
    if isinstance(softmax_temperature, str):
        raise LatentlabValueError(f"softmax_temperature {softmax_temperature!r}: give a number, 'js' or None")
    return check_temperature(softmax_temperature, "softmax_temperature")

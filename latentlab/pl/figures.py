"""The original exploration notebook's figures, as functions over a loaded model."""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from latentlab.model.runtime import SketchRNN
from latentlab.model.temperature import softmax_temperature_for
from latentlab.pl.draw import animate, grid

NOTEBOOK_TEMPERATURES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def choices_caption(temperature: float, softmax_temperature: float | str | None) -> str:
    """``", choices at S"`` for a decode whose mixture and pen choices use another temperature, else ``""``.

    Parameters
    ----------
    temperature
        The decode's temperature.
    softmax_temperature
        As :meth:`latentlab.model.SketchRNN.decode` takes it.
    """
    if softmax_temperature is None:
        return ""
    return f", choices at {softmax_temperature_for(temperature, softmax_temperature):g}"


def reconstruct(model: SketchRNN, sketches: Sequence[np.ndarray], temperature: float = 0.1, seed: int = 0,
                greedy: bool = False, softmax_temperature: float | str | None = None) -> list[np.ndarray]:
    """Encode (z = mu) and decode each sketch: the model's reconstructions.

    Parameters
    ----------
    model
        A conditional SketchRNN.
    sketches
        Stroke-3 arrays, data units.
    temperature, seed, greedy, softmax_temperature
        As for :meth:`latentlab.model.SketchRNN.decode`.

    Returns
    -------
    The decoded stroke-3 sketches.
    """
    return model.decode(model.encode(sketches).mu, temperature=temperature, greedy=greedy, seed=seed,
                        softmax_temperature=softmax_temperature)


def temperature_grid(model: SketchRNN, sketches: Sequence[np.ndarray],
                     temperatures: Sequence[float] = NOTEBOOK_TEMPERATURES, seed: int = 0,
                     softmax_temperature: float | str | None = None) -> plt.Figure:
    """The notebook's grid: one row per sketch, the original and then its decodes at each temperature (one batch).

    Parameters
    ----------
    model
        A conditional SketchRNN.
    sketches
        Stroke-3 sketches, a row each.
    temperatures
        The columns (default tau 0.1 ... 0.9).
    seed
        Sampling seed.
    softmax_temperature
        As :meth:`latentlab.model.SketchRNN.decode` takes it.

    Returns
    -------
    The matplotlib figure.
    """
    mu = model.encode(sketches).mu
    rows = []
    for t in temperatures:
        rows.append(model.decode(mu, temperature=t, seed=seed, softmax_temperature=softmax_temperature))
    cells, captions = [], []
    for i, sketch in enumerate(sketches):
        cells.append(sketch)
        captions.append("original")
        for t, decoded in zip(temperatures, rows):
            cells.append(decoded[i])
            captions.append(f"tau {t:g}")
    return grid(cells, captions, ncols=len(temperatures) + 1)


def reconstruction_grid(model: SketchRNN, sketches: Sequence[np.ndarray],
                        temperatures: Sequence[float] = (0.1, 0.3, 0.6), seed: int = 0) -> plt.Figure:
    """Originals next to their reconstructions at a few temperatures.

    Parameters
    ----------
    model, sketches
        As for :func:`temperature_grid`.
    temperatures
        The decodes' temperatures.
    seed
        Sampling seed.
    """
    return temperature_grid(model, sketches, temperatures, seed)


def side_by_side(model: SketchRNN, sketch: np.ndarray, temperature: float = 0.1, seed: int = 0,
                 softmax_temperature: float | str | None = None):
    """The notebook's animation: the original and its reconstruction drawn stroke by stroke.

    Parameters
    ----------
    model
        A conditional SketchRNN.
    sketch
        Stroke-3, data units.
    temperature, seed, softmax_temperature
        As for :meth:`latentlab.model.SketchRNN.decode`.

    Returns
    -------
    A matplotlib ``FuncAnimation`` (``draw.save_animation`` writes ``.gif`` or ``.html``).
    """
    decoded = reconstruct(model, [sketch], temperature, seed, softmax_temperature=softmax_temperature)[0]
    caption = f"reconstruction (tau {temperature:g}{choices_caption(temperature, softmax_temperature)})"
    return animate([sketch, decoded], ("original", caption))

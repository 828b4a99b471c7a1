"""Checks of a model's decodes, run with the runtime itself: reconstructions, prior samples, ends.

Model cards (:mod:`latentlab.eval.card`) and tests read these numbers.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from latentlab.eval.raster import chamfer_matrix, rasterize

if TYPE_CHECKING:  # TensorFlow is imported only where a model runs
    from latentlab.model.runtime import SketchRNN

PRIOR_N = 300  # z drawn for the card's prior check


def _unended(model: "SketchRNN", decoded: Sequence[np.ndarray]) -> np.ndarray:
    """Which decodes ran to max_seq_len without drawing the end-of-sketch token."""
    return np.array([len(d) >= model.hps.max_seq_len for d in decoded])


def reconstruction_check(model: "SketchRNN", sketches: list[np.ndarray], temperature: float = 0.1,
                         seed: int = 0, mu: np.ndarray | None = None,
                         softmax_temperature: float | str | None = None) -> dict:
    """How much more a sketch's own decode looks like it than other sketches do (raster chamfer).

    ``own``: mean distance from a sketch to its own decode.  Against other
    sketches' *decodes* (same drawing style as its own): ``random`` (a random
    other's), ``own_closer`` (share of sketches closer to their own decode than to
    that random one) and ``own_closer_all`` (the same share over every other
    decode: its expectation, less noisy).  Against other *originals*:
    ``random_original`` and ``own_closer_than_originals`` (share of other test
    sketches farther from a sketch than its own decode is).  ``unended``: share
    of decodes that reach max_seq_len without drawing the end-of-sketch token;
    ``ended_closer_than_originals``: ``own_closer_than_originals`` over the
    sketches whose decode ends (None when none does), which tells a decoder that
    cannot stop apart from one that draws the wrong sketch (about 50% when z is ignored).
    ``mu``: the sketches' latent means, when already encoded.
    ``softmax_temperature``: passed to :meth:`SketchRNN.decode` (default: ``temperature``).

    Parameters
    ----------
    model
        A conditional SketchRNN.
    sketches
        The test sketches (data units).
    temperature, seed, softmax_temperature
        Of the decodes (see :meth:`latentlab.model.SketchRNN.decode`).
    mu
        The sketches' mu, when already encoded.

    Returns
    -------
    A dict of the card's reconstruction columns.
    """
    mu = model.encode(sketches, deterministic=True).mu if mu is None else mu
    decoded = model.decode(mu, temperature=temperature, seed=seed, softmax_temperature=softmax_temperature)
    originals = [rasterize(s) for s in sketches]
    dist = chamfer_matrix(originals, [rasterize(s) for s in decoded])
    between = chamfer_matrix(originals, originals)
    n = len(sketches)
    own = np.diag(dist)
    other = np.random.default_rng(seed).permutation(n)
    other = np.where(other == np.arange(n), (other + 1) % n, other)
    rows, others = np.arange(n), ~np.eye(n, dtype=bool)
    ended = ~_unended(model, decoded)

    def share_farther(d: np.ndarray) -> np.ndarray:
        return ((d > own[:, None]) & others).sum(1) / max(n - 1, 1)

    than_originals = share_farther(between)

    return {"own": float(own.mean()), "random": float(dist[rows, other].mean()),
            "own_closer": float(np.mean(own < dist[rows, other])), "own_closer_all": float(share_farther(dist).mean()),
            "random_original": float(between[rows, other].mean()),
            "own_closer_than_originals": float(than_originals.mean()), "unended": float(1 - ended.mean()),
            "ended_closer_than_originals": float(than_originals[ended].mean()) if ended.any() else None,
            "temperature": temperature, "softmax_temperature": softmax_temperature}


def prior_z(n: int, z_size: int, seed: int = 0) -> np.ndarray:
    """The prior check's ``n`` draws from N(0, I) (seeded), which ``prior_samples.png`` decodes too.

    Parameters
    ----------
    n
        How many z.
    z_size
        Their dimension.
    seed
        Seed of the draws.

    Returns
    -------
    (n, z_size) float64.
    """
    return np.random.default_rng(seed).standard_normal((n, z_size))


def prior_check(model: "SketchRNN", sketches: Sequence[np.ndarray], n: int = 100, temperature: float = 0.6,
                seed: int = 0, mu: np.ndarray | None = None, scales: Sequence[float] = (1.0,),
                prior: Sequence[np.ndarray] | None = None) -> dict:
    """How much decodes of z ~ N(0, scale² I) look like real sketches (raster chamfer to the nearest one).

    ``scales``: one row per scale, with ``prior``, the median distance from
    each of ``n`` such decodes to its nearest sketch in ``sketches`` (a median:
    an empty decode is ``RASTER`` px from everything).  References, measured
    once: ``posterior``, the same for decodes of the first ``n`` sketches' own
    mu, to their nearest *other* sketch (where the data sits in the latent
    space), and ``data``, each of those sketches' nearest other sketch.  A prior
    far above ``posterior`` means the prior's samples land where training put
    no data.  ``*_empty`` / ``*_unended``: share of decodes with no ink, and
    that never draw the end token.  ``mu``: the sketches' latent means, when already encoded;
    ``prior``: the decodes of ``prior_z(n, z_size, seed)`` at ``temperature`` (scale 1), when already made.

    Parameters
    ----------
    model
        A SketchRNN.
    sketches
        Real sketches to measure against.
    n
        z drawn.
    temperature, seed
        Of the decodes.
    mu
        The sketches' mu, when already encoded.
    scales
        Standard deviations of the prior to sample at.
    prior
        Decodes of :func:`prior_z` at scale 1, when already made.

    Returns
    -------
    ``{n, temperature, data, posterior, posterior_empty, posterior_unended, scales: [...]}``.
    """
    n = min(n, len(sketches))
    mu = model.encode(sketches[:n], deterministic=True).mu if mu is None else mu[:n]
    originals = [rasterize(s) for s in sketches]
    own = np.eye(n, len(sketches), dtype=bool)  # a decode's own sketch, or a sketch itself, is not "other"

    def score(key: str, drawn: Sequence[np.ndarray], exclude_own: bool) -> dict[str, float]:
        masks = [rasterize(s) for s in drawn]
        dist = chamfer_matrix(masks, originals)
        return {key: float(np.median(np.where(own & exclude_own, np.inf, dist).min(1))),
                f"{key}_empty": float(np.mean([not m.any() for m in masks])),
                f"{key}_unended": float(_unended(model, drawn).mean())}

    z = prior_z(n, model.hps.z_size, seed)  # the same draws, scaled
    rows = [{"scale": scale, **score("prior", prior if scale == 1 and prior is not None else
                                     model.decode(scale * z, temperature=temperature, seed=seed), False)}
            for scale in scales]
    return {"n": n, "temperature": temperature, "data": score("data", sketches[:n], True)["data"],
            **score("posterior", model.decode(mu, temperature=temperature, seed=seed), True), "scales": rows}


def end_check(model: "SketchRNN", sketches: Sequence[np.ndarray], batch_size: int = 100,
              mu: np.ndarray | None = None) -> dict[str, float]:
    """How well the decoder knows where strokes and sketches end (teacher forced on the sketches, z = mu).

    After every pen lift the next pen state is either the end of the sketch or
    the start of another stroke.  ``p_end_at_end`` / ``p_end_elsewhere``: mean
    p(end) where the sketch really ends and where another stroke follows;
    ``end_likeliest_at_end`` / ``end_likeliest_elsewhere``: how often end is the
    likeliest pen state there, which is what a decode at low temperature follows.
    ``p_lift_at_stroke_end`` / ``p_lift_inside``, ``lift_likeliest_at_stroke_end``
    / ``lift_likeliest_inside``: the same for lifting the pen at a stroke's last
    point and at its other points (a decode that misses its lifts draws on in one stroke).
    ``mu``: the sketches' latent means, when already encoded.

    Parameters
    ----------
    model
        A conditional SketchRNN.
    sketches
        Sketches (data units).
    batch_size
        Sketches run together.
    mu
        The sketches' mu, when already encoded.

    Returns
    -------
    Shares and mean probabilities of the pen states at stroke and sketch ends (the card's table).
    """
    if mu is None and model.hps.conditional:
        mu = model.encode(sketches, deterministic=True).mu
    z = mu if model.hps.conditional else None
    at_end, elsewhere, stroke_end, inside = [], [], [], []
    for start in range(0, len(sketches), batch_size):
        chunk = sketches[start:start + batch_size]
        pen = model.mixture_params(chunk, None if z is None else z[start:start + batch_size]).pen
        for probs, sketch in zip(pen, chunk):
            lift = sketch[:, 2] > 0  # output t predicts point t; row len(sketch): the end
            drawn = probs[:len(sketch)]
            stroke_end += list(drawn[lift])
            inside += list(drawn[~lift])
            after_lift = np.flatnonzero(lift) + 1
            after_lift = after_lift[after_lift < len(probs)]  # a sketch of max_seq_len points has no end row
            ends = after_lift == len(sketch)
            at_end += list(probs[after_lift[ends]])
            elsewhere += list(probs[after_lift[~ends]])
    at_end, elsewhere, stroke_end, inside = (np.reshape(a, (-1, 3)) for a in (at_end, elsewhere, stroke_end, inside))
    return {"p_end_at_end": float(at_end[:, 2].mean()), "p_end_elsewhere": float(elsewhere[:, 2].mean()),
            "end_likeliest_at_end": float(np.mean(at_end.argmax(1) == 2)),
            "end_likeliest_elsewhere": float(np.mean(elsewhere.argmax(1) == 2)), "n": len(at_end),
            "p_lift_at_stroke_end": float(stroke_end[:, 1].mean()), "p_lift_inside": float(inside[:, 1].mean()),
            "lift_likeliest_at_stroke_end": float(np.mean(stroke_end.argmax(1) == 1)),
            "lift_likeliest_inside": float(np.mean(inside.argmax(1) == 1))}

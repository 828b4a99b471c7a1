"""Paths through latent space: lerp, slerp (vectorised, safe at the edge cases), latent arithmetic, and the
strips and analogies they decode to."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.deprecation import renamed

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN
    from latentlab.store import LatentStore

_EPS = 1e-7


def lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Linear interpolation.

    Parameters
    ----------
    a, b
        Ends (..., d).
    t
        Positions (k,) in [0, 1].

    Returns
    -------
    (..., k, d) float32.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    t = np.atleast_1d(np.asarray(t, np.float64))[:, None]
    return ((1 - t) * a[..., None, :] + t * b[..., None, :]).astype(np.float32)


def _orthogonal_unit(v: np.ndarray) -> np.ndarray:
    """A unit vector orthogonal to each row of unit vectors ``v`` (..., d)."""
    basis = np.zeros_like(v)
    idx = np.argmin(np.abs(v), axis=-1)  # the axis v points at least along
    np.put_along_axis(basis, idx[..., None], 1.0, axis=-1)
    u = basis - np.sum(basis * v, axis=-1, keepdims=True) * v
    return u / np.linalg.norm(u, axis=-1, keepdims=True)


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Spherical interpolation (magenta's formula), vectorised over pairs and steps.

    Exact at t = 0 and 1.  Falls back to lerp for (near-)parallel vectors and zero
    vectors; for antiparallel ones, whose great circle is not unique, it turns through
    a fixed orthogonal direction while the norm moves linearly (the page's slerp does the same).

    Parameters
    ----------
    a, b, t
        As for :func:`lerp`: ends (..., d) and positions (k,).

    Returns
    -------
    As for :func:`lerp`.
    """
    a, b = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64))
    t = np.atleast_1d(np.asarray(t, np.float64))
    na, nb = np.linalg.norm(a, axis=-1, keepdims=True), np.linalg.norm(b, axis=-1, keepdims=True)
    ua, ub = a / np.maximum(na, _EPS), b / np.maximum(nb, _EPS)
    cos = np.clip(np.sum(ua * ub, axis=-1, keepdims=True), -1.0, 1.0)
    omega = np.arccos(cos)
    so = np.sin(omega)
    tt = t[:, None]  # (k, 1) broadcasting against (..., 1, d)
    om, s = omega[..., None, :], so[..., None, :]
    A, B = a[..., None, :], b[..., None, :]
    safe = np.where(s > 1e-6, s, 1.0)
    out = np.sin((1 - tt) * om) / safe * A + np.sin(tt * om) / safe * B
    linear = (1 - tt) * A + tt * B
    degenerate = ((s <= 1e-6) | (na[..., None, :] < _EPS) | (nb[..., None, :] < _EPS))
    anti = (s <= 1e-6) & (cos[..., None, :] < 0) & (na[..., None, :] >= _EPS) & (nb[..., None, :] >= _EPS)
    if np.any(anti):
        u = _orthogonal_unit(ua)[..., None, :]
        radius = (1 - tt) * na[..., None, :] + tt * nb[..., None, :]
        turn = radius * (np.cos(np.pi * tt) * ua[..., None, :] + np.sin(np.pi * tt) * u)
        linear = np.where(anti, turn, linear)
    out = np.where(degenerate, linear, out)
    # pin the endpoints exactly
    out = np.where(tt == 0, A, out)
    out = np.where(tt == 1, B, out)
    return out.astype(np.float32)


def analogy(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Latent arithmetic as in the paper: ``a - b + c`` (e.g. cat head - cat body + pig body).

    Parameters
    ----------
    a, b, c
        Latent vectors (d,) or (..., d).

    Returns
    -------
    ``a - b + c``, float32.
    """
    return (np.asarray(a, np.float32) - np.asarray(b, np.float32) + np.asarray(c, np.float32))


METHODS = {"lerp": lerp, "slerp": slerp}
MAX_STRIP = 500  # points on one strip: far more than a figure shows, far less than a decode's memory allows


def rows_mu(store: "LatentStore", rows: Sequence[int]) -> np.ndarray:
    """The stored mu of ``rows`` (in the order given, repeats allowed), each row checked against the store.

    Parameters
    ----------
    store
        The latent store.
    rows
        Row indices.

    Returns
    -------
    (len(rows), d) float32.
    """
    n = len(store)
    bad = [int(r) for r in rows if not 0 <= r < n]
    if bad:
        raise LatentlabValueError(f"{store.path}: row(s) {bad} out of range (0..{n - 1})")
    unique, inverse = np.unique(np.asarray(rows, np.int64), return_inverse=True)  # h5py reads sorted rows once
    return store.vectors("mu", unique)[inverse]


@renamed("seed", "random_state")
def strip(model: "SketchRNN", a: np.ndarray, b: np.ndarray, *, steps: int = 10, method: str = "slerp",
          temperature: float = 0.1, greedy: bool = False, random_state: int = 0,
          softmax_temperature: float | str | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Decode ``steps`` evenly spaced points of the path from latent ``a`` to ``b``.

    Parameters
    ----------
    model
        The SketchRNN that decodes.
    a, b
        The two ends (d,).
    steps
        Points on the path, both ends included (2 to ``MAX_STRIP``).
    method
        ``"lerp"`` (straight line) or ``"slerp"`` (great circle: keeps the norm of a Gaussian latent).
    temperature, greedy, random_state, softmax_temperature
        As for :meth:`latentlab.model.SketchRNN.decode`.

    Returns
    -------
    t, sketches
        The path positions (steps,) in [0, 1] and the decoded stroke-3 sketches.
    """
    if method not in METHODS:
        raise LatentlabValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not 2 <= steps <= MAX_STRIP:
        raise LatentlabValueError(f"steps must be in [2, {MAX_STRIP}], got {steps}")
    t = np.linspace(0, 1, steps)
    sketches = model.decode(METHODS[method](a, b, t), temperature=temperature, greedy=greedy, seed=random_state,
                            softmax_temperature=softmax_temperature)
    return t, sketches


@renamed("seed", "random_state")
def decode_analogy(store: "LatentStore", a: int, b: int, c: int, *, model: "SketchRNN | None" = None,
                   temperature: float = 0.1, random_state: int = 0,
                   softmax_temperature: float | str | None = None) -> np.ndarray:
    """Decode ``mu[a] - mu[b] + mu[c]`` of three stored rows (the paper's latent arithmetic).

    Parameters
    ----------
    store
        The latent store.
    a, b, c
        Its rows.
    model
        Default: the model that encoded the store.
    temperature, random_state, softmax_temperature
        As for :meth:`latentlab.model.SketchRNN.decode`.

    Returns
    -------
    The decoded stroke-3 sketch.
    """
    mu = rows_mu(store, [a, b, c])
    model = model or store.model()
    return model.decode(analogy(mu[0], mu[1], mu[2])[None], temperature=temperature, seed=random_state,
                        softmax_temperature=softmax_temperature)[0]

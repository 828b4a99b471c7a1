"""Paths through latent space: lerp, slerp (vectorised, safe at the edge cases) and latent arithmetic."""
from __future__ import annotations

import numpy as np

_EPS = 1e-7


def lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Linear interpolation; ``a, b`` (..., d), ``t`` (k,) -> (..., k, d)."""
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
    """Spherical interpolation (magenta's formula), vectorised over pairs ``(..., d)`` and steps ``t`` (k,).

    Exact at t = 0 and 1.  Falls back to lerp for (near-)parallel vectors and
    zero vectors; for antiparallel ones, whose great circle is not unique, it
    turns through a fixed orthogonal direction while the norm moves linearly.
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
    """Latent arithmetic as in the paper: ``a - b + c`` (e.g. cat head - cat body + pig body)."""
    return (np.asarray(a, np.float32) - np.asarray(b, np.float32) + np.asarray(c, np.float32))


METHODS = {"lerp": lerp, "slerp": slerp}

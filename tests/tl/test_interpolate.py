"""Interpolation between latent vectors: lerp, slerp on the sphere, analogies."""
import numpy as np

from latentlab.tl import analogy, lerp, slerp


def _unit(rng, *shape):
    v = rng.normal(size=shape)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def test_slerp_stays_on_sphere_and_hits_endpoints():
    rng = np.random.default_rng(0)
    a, b = _unit(rng, 50, 128), _unit(rng, 50, 128)
    t = np.linspace(0, 1, 9)
    path = slerp(a, b, t)
    assert path.shape == (50, 9, 128)
    np.testing.assert_allclose(np.linalg.norm(path, axis=-1), 1, atol=1e-5)
    np.testing.assert_allclose(path[:, 0], a, atol=1e-6)
    np.testing.assert_allclose(path[:, -1], b, atol=1e-6)
    # constant angular speed: consecutive steps are equally far apart
    steps = np.linalg.norm(np.diff(path, axis=1), axis=-1)
    np.testing.assert_allclose(steps, steps[:, :1].repeat(8, 1), rtol=1e-3)


def test_slerp_edge_cases():
    rng = np.random.default_rng(1)
    a = _unit(rng, 128)
    t = np.linspace(0, 1, 5)
    anti = slerp(a, -a, t)  # antiparallel: a half great circle, still on the sphere
    np.testing.assert_allclose(np.linalg.norm(anti, axis=-1), 1, atol=1e-5)
    np.testing.assert_allclose(anti[-1], -a, atol=1e-6)
    assert abs(anti[2] @ a) < 1e-5  # halfway is orthogonal to both ends
    near = slerp(a, a + 1e-9, t)
    assert np.all(np.isfinite(near)) and np.allclose(near, a, atol=1e-6)
    zero = slerp(np.zeros(128), a, t)
    np.testing.assert_allclose(zero, lerp(np.zeros(128), a, t), atol=1e-7)
    np.testing.assert_allclose(analogy(a, a, -a), -a)

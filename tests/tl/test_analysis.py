"""Interpolation, projections, neighbours, decoded cache and reports on the bundled models and real data."""
import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.store import LatentStore, encode_to_store
from latentlab import tl
from latentlab.tl._interpolate import analogy, lerp, slerp
from latentlab.tl._neighbors import NeighborIndex, recall_at_k, same_class_rate


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


@pytest.fixture(scope="module")
def mini_store(mini_model, quickdraw_mini_npz, tmp_path_factory):
    return LatentStore(encode_to_store(mini_model, [quickdraw_mini_npz], tmp_path_factory.mktemp("m") / "mini.h5",
                                       splits=["test"], progress=False))


def test_neighbours_share_class_more_than_chance(mini_store):
    labels = mini_store.read("obs/label")
    assert len(set(labels)) > 300
    index = NeighborIndex(metric="cosine").fit(mini_store.read("obsm/mu"))
    rate = same_class_rate(index, labels, k=5)
    chance = np.mean([np.mean(labels == label) for label in labels])
    print(f"same-class rate of 5 nearest neighbours: {rate:.4f} vs chance {chance:.4f}")
    assert rate > 3 * chance


def test_approximate_neighbours_recall(mini_store):
    vectors = mini_store.read("obsm/mu")
    exact = NeighborIndex(metric="euclidean", method="exact").fit(vectors)
    approx = NeighborIndex(metric="euclidean", method="approx", seed=0).fit(vectors)
    _, e = exact.kneighbors(vectors[:200], 10)
    _, a = approx.kneighbors(vectors[:200], 10)
    recall = recall_at_k(a, e)
    print(f"pynndescent recall@10 vs exact: {recall:.3f}")
    assert recall > 0.9


def test_projections_are_stored_with_parameters_and_reproducible(mini_store):
    assert tl.umap(mini_store, seed=7) is None  # as scanpy's tools: the result is in the store
    coords = mini_store.read("obsm/X_umap")
    tl.umap(mini_store, seed=7)
    np.testing.assert_array_equal(coords, mini_store.read("obsm/X_umap"))
    assert mini_store.params("umap")["seed"] == 7
    tl.pca(mini_store, n_components=10)
    pcs = mini_store.read("obsm/X_pca")
    ratio = mini_store.read("uns/pca/variance_ratio")
    assert pcs.shape == (len(mini_store), 10) and np.all(np.diff(ratio) <= 1e-7) and 0 < ratio.sum() <= 1
    with pytest.raises(LatentlabError, match="use_rep"):
        tl.pca(mini_store, use_rep="sigma")


def test_decoded_cache(mini_store, mini_model):
    key = tl.decode(mini_store, mini_model, temperature=0.1, seed=0)
    decoded = mini_store.sketches(key=key)
    assert key == "decoded/tau0.1" and len(decoded) == len(mini_store)
    assert mini_store.params(key)["temperature"] == pytest.approx(0.1)
    js = tl.decode(mini_store, mini_model, temperature=0.1, seed=0, softmax_temperature="js")
    assert js == "decoded/tau0.1_js" and mini_store.params(js)["softmax_temperature"] == pytest.approx(0.55)
    assert len(mini_store.sketches(key=js)) == len(mini_store) and mini_store.keys("decoded") == ["tau0.1", "tau0.1_js"]
    z = tl.decode(mini_store, mini_model, temperature=0.1, seed=3, use_rep="z")  # beside the mu decode, not over it
    assert z == "decoded/tau0.1_z_seed3" and mini_store.params(z)["use_rep"] == "z"
    assert mini_store.keys("decoded") == ["tau0.1", "tau0.1_js", "tau0.1_z_seed3"]
    np.testing.assert_array_equal(np.concatenate(mini_store.sketches(key=key)), np.concatenate(decoded))

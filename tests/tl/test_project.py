"""PCA and UMAP of a store's vectors, stored with their parameters, reproducible, streamed past memory."""
import numpy as np
import pytest

from latentlab import tl
from latentlab.errors import LatentlabError



def test_projections_are_stored_with_parameters_and_reproducible(mini_store):
    assert tl.umap(mini_store, random_state=7) is None  # as scanpy's tools: the result is in the store
    coords = mini_store.read("obsm/X_umap")
    tl.umap(mini_store, random_state=7)
    np.testing.assert_array_equal(coords, mini_store.read("obsm/X_umap"))
    assert mini_store.params("umap")["random_state"] == 7
    tl.pca(mini_store, n_components=10)
    pcs = mini_store.read("obsm/X_pca")
    ratio = mini_store.read("uns/pca/variance_ratio")
    assert pcs.shape == (len(mini_store), 10) and np.all(np.diff(ratio) <= 1e-7) and 0 < ratio.sum() <= 1
    with pytest.raises(LatentlabError, match="use_rep"):
        tl.pca(mini_store, use_rep="sigma")


def test_streamed_pca_is_pca(sheep_600_store):
    small = sheep_600_store
    tl.pca(small, n_components=8)
    tl.pca(small, n_components=8, stream=True, batch_size=128, key_added="pca_s")
    full, streamed = small.read("obsm/X_pca"), small.read("obsm/pca_s")
    signs = np.sign((full * streamed).sum(0))  # components are defined up to sign
    assert np.abs(full - streamed * signs).max() < 1e-3 * np.abs(full).max()
    assert np.allclose(small.read("uns/pca/variance_ratio"), small.read("uns/pca_s/variance_ratio"), atol=1e-5)
    assert small.params("pca_s")["streamed"] and small.params("pca_s")["batch_size"] == 128

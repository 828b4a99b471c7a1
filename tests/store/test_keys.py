"""The key rules of a store, owned by ``store.keys``: a projection's obsm and uns names, scanpy's basis rule."""
from latentlab.store.keys import basis_label, is_default_projection, obsm_key, projection_keys, uns_key


def test_a_projection_is_named_as_scanpy_names_it():
    assert projection_keys("umap") == ("X_umap", "umap") and projection_keys("pca") == ("X_pca", "pca")
    assert projection_keys("umap", "umap_seed1") == ("umap_seed1", "umap_seed1")
    assert projection_keys("umap", "X_foo") == ("X_foo", "X_foo")  # a key_added is the uns name too
    assert projection_keys("pca", "X_umap") == ("X_umap", "umap")


def test_a_basis_is_found_as_scanpy_finds_it():
    have = ["X_umap", "mine", "mu"]
    assert obsm_key("umap", have) == "X_umap" and obsm_key("mine", have) == "mine"
    assert obsm_key("X_foo", have) == "X_foo" and obsm_key("pca", have) == "X_pca"  # missing: the caller says so
    assert uns_key("X_umap") == "umap" and uns_key("X_foo") == "X_foo" and uns_key("mine") == "mine"
    assert basis_label("X_umap") == "UMAP" and basis_label("X_foo") == "X_foo" and basis_label("mine") == "mine"
    assert is_default_projection("X_pca") and not is_default_projection("X_foo")

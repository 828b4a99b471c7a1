"""The store is an AnnData .h5ad file: anndata reads it, scanpy's tools run on it, latentlab's data travels along."""
import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.store import LatentStore, encode_to_store
from latentlab.tl import neighbors, project
from latentlab.tl.decode import decode_store

anndata = pytest.importorskip("anndata")


@pytest.fixture(scope="module")
def store(mini_model, quickdraw_mini_npz, tmp_path_factory):
    s = LatentStore(encode_to_store(mini_model, [quickdraw_mini_npz], tmp_path_factory.mktemp("ad") / "z.h5ad",
                                    splits=["test"], progress=False))
    project.pca(s, n_components=10)
    neighbors.neighbors(s, n_neighbors=5)
    decode_store(s, mini_model, temperature=0.1)
    return s


def test_anndata_reads_the_store(store):
    adata = anndata.read_h5ad(store.path)
    n = len(store)
    assert adata.shape == (n, 0)
    np.testing.assert_array_equal(adata.obsm["mu"], store.read("obsm/mu"))
    np.testing.assert_array_equal(adata.obsm["X_pca"], store.read("obsm/X_pca"))
    assert list(adata.obs.columns) == ["index", "source", "label", "length"]
    assert str(adata.obs["label"].dtype) == "category" and len(adata.obs["label"].cat.categories) == 345
    assert list(adata.obs["label"].astype(str)) == store.label_names()
    assert adata.obs["source"].iloc[0].endswith("quickdraw_mini.npz:test")
    np.testing.assert_array_equal(adata.obs["length"], [len(s) for s in store.sketches()])
    # latentlab's own data travels in uns
    assert adata.uns["strokes"]["offsets"][-1] == len(adata.uns["strokes"]["points"])
    assert set(adata.uns["decoded"]) == {"tau0.1"} and adata.uns["knn"]["indices"].shape == (n, 5)
    np.testing.assert_allclose(adata.uns["pca"]["variance_ratio"], store.read("uns/pca/variance_ratio"))


def test_scanpy_runs_on_the_store(store, tmp_path):
    sc = pytest.importorskip("scanpy")
    adata = anndata.read_h5ad(store.path)
    sc.pp.neighbors(adata, use_rep="mu", n_neighbors=10, random_state=0)
    sc.tl.umap(adata, random_state=0)
    assert adata.obsm["X_umap"].shape == (len(store), 2)
    adata.write_h5ad(tmp_path / "back.h5ad")  # and what scanpy writes, anndata reads again
    assert anndata.read_h5ad(tmp_path / "back.h5ad").obsm["mu"].shape == adata.obsm["mu"].shape


def test_new_columns_join_obs_and_old_stores_are_refused(store, tmp_path):
    store.write("obs/Lr", np.arange(len(store), dtype=np.float32), {"seed": 0})
    adata = anndata.read_h5ad(store.path)
    assert list(adata.obs.columns)[-1] == "Lr" and adata.obs["Lr"].iloc[3] == 3
    import h5py

    old = tmp_path / "old.h5"
    with h5py.File(old, "w") as f:
        f.attrs["layout_version"] = 1
    with pytest.raises(LatentlabError, match="earlier latentlab.*encode it again"):
        LatentStore(old)

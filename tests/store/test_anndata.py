"""The store is an AnnData .h5ad file: anndata reads it, scanpy's tools run on it, latentlab's data travels along."""
import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.store import LatentStore, encode_to_store
from latentlab import tl

anndata = pytest.importorskip("anndata")


@pytest.fixture(scope="module")
def store(mini_model, quickdraw_mini_npz, tmp_path_factory):
    s = LatentStore(encode_to_store(mini_model, [quickdraw_mini_npz], tmp_path_factory.mktemp("ad") / "z.h5ad",
                                    splits=["test"], progress=False))
    tl.pca(s, n_components=10)
    tl.neighbors(s, n_neighbors=5)
    tl.decode(s, mini_model, temperature=0.1)
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
    store.write("obs/Lr", np.arange(len(store), dtype=np.float32), params={"seed": 0}, params_key="score")
    adata = anndata.read_h5ad(store.path)
    assert list(adata.obs.columns)[-1] == "Lr" and adata.obs["Lr"].iloc[3] == 3
    assert adata.uns["score"]["params"] == {"seed": 0}
    import h5py

    old = tmp_path / "old.h5"
    with h5py.File(old, "w") as f:
        f.attrs["layout_version"] = 1
    with pytest.raises(LatentlabError, match="earlier latentlab.*encode it again"):
        LatentStore(old)


def test_a_store_written_back_by_anndata_stays_a_latentlab_store(store, tmp_path):
    """read_h5ad, a new obs column (as sc.tl.leiden adds), write_h5ad: every command still reads it, provenance
    and parameters included."""
    import pandas as pd

    from latentlab.cli.main import main

    adata = anndata.read_h5ad(store.path)
    adata.obs["leiden"] = pd.Categorical([str(i % 3) for i in range(adata.n_obs)])
    adata.write_h5ad(tmp_path / "back.h5ad")
    back = LatentStore(tmp_path / "back.h5ad")
    assert back.provenance == store.provenance  # provenance travels in uns/latentlab
    for key in ("pca", "knn", "decoded/tau0.1"):
        assert back.params(key) == store.params(key) and back.params(key), key
    assert back.strings("obs/leiden/categories") == ["0", "1", "2"]
    np.testing.assert_array_equal(back.vectors(), store.vectors())
    lengths = [[len(s) for s in x.sketches(key="decoded/tau0.1")] for x in (back, store)]
    assert lengths[0] == lengths[1]
    path, out = str(back.path), tmp_path
    for argv in (["project", path, "--method", "umap", "--n-neighbors", "5"],
                 ["neighbors", path, "--query", "3", "-k", "4"],
                 ["report", path, "--basis", "pca", "-o", str(out / "r.html")],
                 ["interpolate", path, "0", "1", "--steps", "3", "-o", str(out / "s.png")]):
        assert main(argv) == 0, argv
    again = anndata.read_h5ad(back.path)  # and what latentlab wrote into it, anndata reads again
    assert again.obsm["X_umap"].shape == (len(store), 2) and again.uns["umap"]["params"]["n_neighbors"] == 5
    assert list(again.obs["leiden"].astype(str))[:4] == ["0", "1", "2", "0"]


def _as_layout_2(path) -> None:
    """Rewrite a store as layout 2 wrote it: provenance and parameters as HDF5 attributes, lists as JSON."""
    import json

    import h5py

    from latentlab.store.params import read_dict

    with h5py.File(path, "r+") as f:
        def attrs(obj, values: dict) -> None:
            for k, v in values.items():
                obj.attrs[k] = json.dumps(v) if isinstance(v, (list, dict)) else v

        provenance = read_dict(f["uns/latentlab"], "")
        del f["uns/latentlab"]
        attrs(f, {**provenance, "layout_version": 2})
        for key, target in (("uns/pca/params", "obsm/X_pca"), ("uns/knn/params", "uns/knn"),
                            ("uns/decoded/tau0.1/params", "uns/decoded/tau0.1")):
            params = read_dict(f[key], "")
            del f[key]
            attrs(f[target], params)
            if key == "uns/pca/params":
                attrs(f["uns/pca/variance_ratio"], params)


def test_a_layout_2_store_names_its_upgrade_and_upgrades_in_place(store, tmp_path, capsys):
    from latentlab.cli.main import main

    old = tmp_path / "old.h5"
    old.write_bytes(store.path.read_bytes())
    _as_layout_2(old)
    with pytest.raises(LatentlabError, match=rf"layout 2 .*`latentlab upgrade {old}`"):
        LatentStore(old)
    assert main(["upgrade", str(old)]) == 0 and "upgraded" in capsys.readouterr().out
    up = LatentStore(old)
    assert up.provenance == store.provenance
    for key in ("pca", "knn", "decoded/tau0.1"):
        assert up.params(key) == store.params(key), key
    np.testing.assert_array_equal(up.read("uns/pca/variance_ratio"), store.read("uns/pca/variance_ratio"))
    assert main(["upgrade", str(old)]) == 0 and "already current" in capsys.readouterr().out

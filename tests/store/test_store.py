"""The HDF5 latent store: layout, provenance, resumability after SIGKILL, refusal to mix runs."""
import json
import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest
from helpers import MODELS, SHEEP

from latentlab.errors import LatentlabError
from latentlab.store import LatentStore, encode_to_store, read_attrs


@pytest.fixture(scope="module")
def sheep_store(sheep_model, tmp_path_factory):
    return encode_to_store(sheep_model, [SHEEP], tmp_path_factory.mktemp("s") / "z.h5", splits=["test"],
                           seed=0, block_size=64, progress=False)


def test_layout_and_provenance(sheep_store, sheep, sheep_model):
    store = LatentStore(sheep_store)
    assert len(store) == 300
    with h5py.File(sheep_store) as f:
        for key in ("obsm/mu", "obsm/sigma", "obsm/z"):
            assert f[key].shape == (300, 128) and f[key].compression == "gzip" and f[key].chunks
        assert f["uns/strokes/points"].shape[0] == int(f["obs/length"][:].sum())
    attrs = read_attrs(sheep_store)
    assert attrs["model_step"] == sheep_model.step and attrs["seed"] == 0 and attrs["split"] == "test"
    assert attrs["dataset_sha256"] == [sheep.sha256] and attrs["config_hash"] == sheep_model.hps.config_hash()
    assert attrs["scale_factor"] == pytest.approx(sheep.scale_factor) and attrs["latentlab_version"]
    np.testing.assert_array_equal(store.read("obs/index"), np.arange(300))
    for i in (0, 123, 299):  # the strokes are the source sketches, exactly
        np.testing.assert_array_equal(store.sketches([i])[0], sheep["test"].sketches[i])
    mu, sigma, z = (store.read(f"obsm/{k}") for k in ("mu", "sigma", "z"))
    np.testing.assert_allclose(mu, sheep_model.encode(sheep["test"].sketches).mu, atol=1e-5)
    assert np.all(sigma > 0) and not np.allclose(z, mu)


def test_same_sketch_in_different_blocks_is_identical(sheep_store, sheep_model, tmp_path):
    other = encode_to_store(sheep_model, [SHEEP], tmp_path / "b.h5", block_size=100, progress=False)
    np.testing.assert_allclose(LatentStore(other).read("obsm/mu"), LatentStore(sheep_store).read("obsm/mu"),
                               atol=1e-5)


def test_refuses_to_mix_runs(sheep_store, mini_model, sheep_model, tmp_path):
    with pytest.raises(LatentlabError, match=r"another encoding run \(seed: file has 0, this run 1\)"):
        encode_to_store(sheep_model, [SHEEP], sheep_store, seed=1, block_size=64, progress=False)
    with pytest.raises(LatentlabError, match="another encoding run.*config_hash"):
        encode_to_store(mini_model, [SHEEP], sheep_store, block_size=64, progress=False)


def test_missing_results_say_what_to_run(sheep_store, tmp_path):
    store = LatentStore(sheep_store)
    with pytest.raises(LatentlabError, match=r"no 'obsm/X_umap'.*run `latentlab project .* --method umap` "
                                             r"\(latentlab.tl.umap\) first"):
        from latentlab.explorer.report import write_report

        write_report(store, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()
    for key, command in [("obs/Lr", "score"), ("uns/knn/indices", "neighbors"), ("decoded/tau0.1", "decode"),
                         ("obsm/X_pca", "project"), ("obsm/X_mine", "project")]:  # one table names them all
        with pytest.raises(LatentlabError, match=rf"no '{key}' in this store; run `latentlab {command} "):
            store.read(key)
    with pytest.raises(LatentlabError, match="Create it with `latentlab encode"):
        LatentStore(tmp_path / "nothing.h5")


def test_sigkill_then_rerun_gives_every_sketch_exactly_once(shared, sheep_model, tmp_path):
    out = tmp_path / "killed.h5"
    parts = tmp_path / "killed.h5.parts"
    cmd = [sys.executable, "-m", "latentlab", "encode", str(MODELS / "aaron_sheep"), str(SHEEP),
           "--split", "test", "valid", "-o", str(out), "--block-size", "32"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and len(list(parts.glob("block-*.npz"))) < 5:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("block-*.npz")))
    assert not out.exists() and 5 <= done < 19  # killed partway: no store yet, some of the 19 blocks kept
    assert not list(tmp_path.glob("*.assembling"))
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    assert not parts.exists()
    killed = LatentStore(out)
    assert len(killed) == 600
    obs = np.stack([killed.read("obs/source"), killed.read("obs/index")], axis=1)
    assert len({tuple(r) for r in obs}) == 600  # each (split, index) exactly once
    clean = encode_to_store(sheep_model, [SHEEP], tmp_path / "clean.h5", splits=["test", "valid"],
                            block_size=32, progress=False)
    for key in ("obsm/mu", "obsm/z"):  # identical to an uninterrupted run, noise included
        np.testing.assert_array_equal(killed.read(key), LatentStore(clean).read(key))
    assert json.loads(json.dumps(read_attrs(out)["sources"])) == ["aaron_sheep.npz:test", "aaron_sheep.npz:valid"]


def test_a_notebook_shows_what_a_store_holds_and_the_next_step(tmp_path, sheep_model):
    from latentlab import tl
    from latentlab.store import encode_to_store
    from latentlab.store.keys import next_step

    store = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path / "z.h5", progress=False))
    shown = store._repr_html_()
    assert f"{len(store):,} sketches" in shown and "aaron_sheep (step" in shown
    assert "tl.umap(store)" in shown and next_step(store.has).startswith("tl.umap")
    tl.pca(store, n_components=2)
    tl.umap(store, random_state=0)
    tl.neighbors(store)
    shown = store._repr_html_()
    assert "X_pca, X_umap" in shown and "tl.leiden(store)" in shown

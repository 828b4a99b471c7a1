"""Scale-out on a Dask LocalCluster (processes, loopback only): the same stores, a lost worker, clear errors."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

import h5py
import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.store import encode_to_store

from helpers import MODELS, SHEEP

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed", reason="needs latentlab[distributed]")


def same_store(a, b) -> None:
    """Every object of two stores holds the same bytes and attributes (but the creation time)."""
    def same_attrs(x, y, where: str) -> None:
        keys = [k for k in x.attrs if k != "created"]
        assert sorted(keys) == sorted(k for k in y.attrs if k != "created"), where
        for k in keys:
            assert np.array_equal(np.asarray(x.attrs[k]), np.asarray(y.attrs[k])), (where, k)

    with h5py.File(a) as fa, h5py.File(b) as fb:
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        assert names_a == names_b
        same_attrs(fa, fb, "/")
        for name in names_a:
            oa, ob = fa[name], fb[name]
            same_attrs(oa, ob, name)
            if isinstance(oa, h5py.Dataset) and name != "uns/latentlab/created":
                assert oa.dtype == ob.dtype and np.array_equal(oa[()], ob[()]), name


@pytest.fixture(scope="module")
def client():
    from latentlab.distributed import connect

    with connect(workers=2) as c:  # two single-threaded worker processes on 127.0.0.1
        yield c


def test_cluster_store_equals_the_single_process_store(sheep_model, client, tmp_path):
    splits = ["valid", "test"]  # 600 sketches in 5 blocks, shared out between the two workers
    single = encode_to_store(sheep_model, [SHEEP], tmp_path / "single.h5", splits=splits, block_size=128,
                             progress=False)
    through = encode_to_store(sheep_model, [SHEEP], tmp_path / "cluster.h5", splits=splits, block_size=128,
                              progress=False, client=client)
    same_store(single, through)
    with h5py.File(through) as f:
        assert f["obsm/mu"].shape == (600, 128) and np.abs(f["obsm/mu"][:]).max() > 0.5
    assert not (tmp_path / "cluster.h5.parts").exists()


def test_a_worker_killed_mid_run_loses_nothing(sheep_model, client, tmp_path):
    out, parts = tmp_path / "killed.h5", tmp_path / "killed.h5.parts"
    kw = dict(splits=["valid", "test"], block_size=16, progress=False)
    result: dict = {}
    run = threading.Thread(target=lambda: result.update(out=encode_to_store(sheep_model, [SHEEP], out, client=client,
                                                                            **kw)))
    run.start()
    seen: dict[str, int] = {}
    while len(seen) < 3:  # some blocks are written: the run is under way
        assert run.is_alive()
        seen.update({p.name: p.stat().st_ino for p in parts.glob("block-*.npz") if p.name not in seen})
        time.sleep(0.01)
    victim = next(iter(client.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)
    replaced = []
    while run.is_alive():  # a part once written is never replaced by a rerun of its task
        for p in list(parts.glob("block-*.npz")):
            try:
                ino = p.stat().st_ino
            except FileNotFoundError:
                continue
            if seen.setdefault(p.name, ino) != ino:
                replaced.append(p.name)
        time.sleep(0.005)
    run.join()
    assert result.get("out") == out and not replaced
    assert len(seen) == 38  # every block of the 600 sketches
    same_store(encode_to_store(sheep_model, [SHEEP], tmp_path / "single.h5", **kw), out)
    assert victim not in client.run(os.getpid).values()  # the nanny started a new worker


def test_unreachable_scheduler_is_one_line(capsys, tmp_path):
    from latentlab.cli.main import main

    assert main(["encode", str(MODELS / "aaron_sheep"), str(SHEEP), "-o", str(tmp_path / "z.h5"),
                 "--cluster", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err[0]
    assert not (tmp_path / "z.h5").exists()


def test_a_folder_the_workers_cannot_see_is_named(client, tmp_path):
    from latentlab.distributed import check_visible

    with pytest.raises(LatentlabError, match=r"worker tcp://127\.0\.0\.1:\d+ cannot write to .*elsewhere"):
        check_visible(client, tmp_path / "elsewhere")
    check_visible(client, tmp_path)


def test_without_distributed_the_message_says_what_to_install(monkeypatch):
    from latentlab.distributed import require_distributed

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(LatentlabError, match=r"pip install 'latentlab\[distributed\]'"):
        require_distributed()


def test_sampled_umap_and_its_transform_are_reproducible(sheep_600_store, client):
    from latentlab import tl

    kw = dict(sample_size=250, random_state=3, batch_size=100, key_added="umap_s")

    def run(**more) -> np.ndarray:
        tl.umap(sheep_600_store, **{**kw, **more})
        return sheep_600_store.read("obsm/umap_s")

    here, there, again = run(), run(client=client), run(client=client)
    assert np.array_equal(here, there) and np.array_equal(there, again)
    attrs = sheep_600_store.params("umap_s")
    assert attrs["sample_size"] == 250 and attrs["sample_seed"] == 3 and attrs["transformed"] == 350
    # the transformed rows land among the fitted ones, not at one spot
    rows = np.sort(np.random.default_rng(3).choice(600, 250, replace=False))
    rest = np.setdiff1d(np.arange(600), rows)
    lo, hi = here[rows].min(0), here[rows].max(0)
    assert np.all((here[rest] >= lo - 1) & (here[rest] <= hi + 1)) and here[rest].std(0).min() > 0.5
    assert not np.array_equal(run(random_state=4), here)


def test_neighbours_queried_on_the_cluster(sheep_600_store, client):
    from latentlab import tl

    from latentlab.tl._neighbors import recall_at_k

    def run(**kw) -> np.ndarray:
        tl.neighbors(sheep_600_store, n_neighbors=10, **kw)
        return sheep_600_store.read("uns/knn/indices")

    exact = run(method="exact")
    assert np.array_equal(run(method="exact", client=client), exact)
    approx = run(method="approx", client=client)
    assert recall_at_k(approx, exact) >= 0.95
    params = sheep_600_store.params("knn")
    assert params["queried_on_cluster"] and params["method"] == "approx"

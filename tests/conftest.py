"""Shared fixtures: the real data under ../shared, small reference models."""
from __future__ import annotations

import inspect
import os
from pathlib import Path

import numpy as np
import pytest

from latentlab.model import tf_environment
from helpers import MODELS, QUICKDRAW, SHARED, SHEEP, TINY

tf_environment()  # first: TensorFlow's environment defaults, before any test imports TensorFlow (magenta's too)
if os.environ.get("PYTEST_XDIST_WORKER"):  # one pytest-xdist worker a core: each computes on one thread, as do
    for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                 "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):  # the programs its tests start
        os.environ.setdefault(name, "1")
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

CHILD_PROCESS = ("subprocess.", "Popen(", "_cli(")  # what a test that starts another program calls
# fixtures (or calls) that run a SketchRNN in TensorFlow: what a test of the model, not a unit, needs
MODEL_FIXTURES = {"sheep_model", "mini_model", "qd28", "pair", "analysed_store", "full_store", "planted", "tiny_run",
                  "tiny_model", "sheep_600_store", "mini_store", "store", "report", "sheep_store", "pages", "tiled",
                  "server", "subset_model"}
MODEL_CALLS = ("SketchRNN", "load_model(", "main([\"encode", "main([\"sample", "main([\"evaluate", "main([\"train",
               "\"latentlab/", "MODELS /")


def pytest_collection_modifyitems(items) -> None:
    """Mark what a test needs, so that ``make test-fast`` can leave it out: ``browser`` (it opens Chromium),
    ``subprocess`` (it starts latentlab or another program) and ``model`` (it runs a SketchRNN); ``slow`` and
    ``training`` are marked in the files."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        function = getattr(item, "function", None)
        source = inspect.getsource(function) if function is not None else ""
        if any(call in source for call in CHILD_PROCESS):
            item.add_marker(pytest.mark.subprocess)
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())) or any(call in source for call in MODEL_CALLS):
            item.add_marker(pytest.mark.model)
    # the files of long tests first: pytest-xdist hands files out in this order (``--dist loadfile``), so the
    # long ones start early and the short ones fill in, rather than one long file running alone at the end
    weight = {"slow": 8, "training": 4, "subprocess": 2, "browser": 2}
    heaviest: dict[str, int] = {}
    for item in items:
        score = max([weight.get(m.name, 0) for m in item.iter_markers()] + [1])
        heaviest[str(item.path)] = max(heaviest.get(str(item.path), 0), score)
    items.sort(key=lambda item: -heaviest[str(item.path)])  # stable: a file's tests keep their order


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHEEP.is_file():
        pytest.fail(f"the shared data is missing: expected {SHEEP} (set LATENTLAB_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def sheep(shared):
    from latentlab.io.datasets import load_dataset

    return load_dataset(SHEEP, quiet=True)


@pytest.fixture(scope="session")
def sheep_small(sheep):
    """A few real sheep in model units, cut to 40 points (small models use max_seq_len 40)."""
    return [s[:40] / np.array([sheep.scale_factor, sheep.scale_factor, 1], np.float32)
            for s in sheep["test"].sketches[:6]]


@pytest.fixture(scope="session")
def subset(shared, tmp_path_factory):
    """Real sheep, shortest first (fast training steps): 200 train, 40 valid, 40 test."""
    from latentlab.io.npz import load_npz, save_npz

    raw = load_npz(shared / "data/sketchrnn/aaron_sheep.npz")
    out = {}
    for split, n in (("train", 200), ("valid", 40), ("test", 40)):
        keep = sorted(raw[split], key=len)[:n]
        arr = np.empty(n, dtype=object)
        arr[:] = keep
        out[split] = arr
    return save_npz(tmp_path_factory.mktemp("data") / "sheep_small.npz", out)



@pytest.fixture(scope="session")
def quickdraw_mini_npz(shared, tmp_path_factory):
    """The quickdraw_mini dataset, built from ../shared by the project's own pipeline (as its model card says)."""
    from latentlab.io.quickdraw import build_mini_npz

    out = tmp_path_factory.mktemp("qd") / "quickdraw_mini.npz"
    build_mini_npz(QUICKDRAW, out)
    return out


@pytest.fixture(scope="session")
def sheep_model():
    from latentlab.model.runtime import SketchRNN

    return SketchRNN.load(MODELS / "aaron_sheep")


@pytest.fixture(scope="session")
def mini_model():
    from latentlab.model.runtime import SketchRNN

    return SketchRNN.load(MODELS / "quickdraw_mini")


@pytest.fixture(scope="session")
def browser():
    from helpers.browser import chromium, launch

    path = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        reason = "no headless Chromium here (apt-get install chromium; pip install playwright)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as p:
        b = launch(p, path)
        yield b
        b.close()


@pytest.fixture(scope="session")
def full_store(sheep_model, tmp_path_factory):
    """The 300 aaron_sheep test sketches with everything a reader reads: PCA, 5 neighbours, Lr, greedy decodes."""
    from latentlab.store import LatentStore, encode_to_store
    from latentlab import tl

    store = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path_factory.mktemp("full") / "z.h5",
                                        progress=False))
    tl.pca(store, n_components=2)
    tl.neighbors(store, n_neighbors=5)
    tl.score(store, sheep_model)
    tl.decode(store, sheep_model, temperature=0.1, greedy=True)
    return store.path


@pytest.fixture(scope="session")
def tiny_run(subset, tmp_path_factory):
    """A tiny model (``TINY``) trained 60 steps on ``subset``, then resumed to 80 keeping 3 checkpoints (60, 70,
    80): its folder and the trainer's messages (``-- resumed --`` between the two runs)."""
    from latentlab.train.tf import train_tf

    folder = tmp_path_factory.mktemp("train") / "run"
    messages: list[str] = []
    train_tf(subset, folder, TINY, steps=60, log=messages.append)
    messages.append("-- resumed --")
    train_tf(subset, folder, steps=80, keep=3, log=messages.append)  # resuming reads the folder's hparams
    return folder, messages


@pytest.fixture(scope="session")
def tiny_model(tiny_run, tmp_path_factory):
    """``tiny_run`` exported at step 80 (weights, config, info and its training log)."""
    from latentlab.train.export import export_model

    return export_model(tiny_run[0], tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="session")
def analysed_store(mini_model, quickdraw_mini_npz, tmp_path_factory):
    """quickdraw_mini's test split (345 classes), projected both ways, decoded two ways, scored, with neighbours:
    what the explorer and the figures show."""
    from latentlab import tl
    from latentlab.store import LatentStore, encode_to_store

    path = encode_to_store(mini_model, [quickdraw_mini_npz], tmp_path_factory.mktemp("rep") / "mini.h5",
                           splits=["test"], progress=False)
    s = LatentStore(path)
    tl.pca(s, n_components=10)
    tl.umap(s, random_state=0)
    tl.neighbors(s, n_neighbors=8)
    tl.score(s, mini_model)
    tl.decode(s, mini_model, temperature=0.1, random_state=0)
    tl.decode(s, mini_model, temperature=0.1, random_state=0, softmax_temperature="js")
    return s


@pytest.fixture(scope="session")
def sheep_600_store(sheep_model, tmp_path_factory):
    """aaron_sheep's valid and test splits (600 real sheep) encoded by the bundled model."""
    from latentlab.store import LatentStore, encode_to_store

    return LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path_factory.mktemp("small") / "s.h5",
                                       splits=["valid", "test"], progress=False))

"""Real drawings with known truths planted in them, shared by the analysis tests."""
from __future__ import annotations

import numpy as np
import pytest

from latentlab import tl
from latentlab.io.npz import load_npz
from latentlab.io.quickdraw import build_classes_npz
from latentlab.model.layout import read_info
from latentlab.store import LatentStore, encode_to_store
from helpers import MODELS, QUICKDRAW
from helpers.sketchfiles import npz

FLIPPED = 0.08
JITTERED = 30


@pytest.fixture(scope="package")
def mini_store(mini_model, quickdraw_mini_npz, tmp_path_factory):
    """quickdraw_mini's test split (345 classes) encoded by its model, nothing else computed."""
    return LatentStore(encode_to_store(mini_model, [quickdraw_mini_npz], tmp_path_factory.mktemp("m") / "mini.h5",
                                       splits=["test"], progress=False))


@pytest.fixture(scope="package")
def qd28():
    from latentlab.model.runtime import SketchRNN

    return SketchRNN.load(MODELS / "quickdraw28")


@pytest.fixture(scope="package")
def planted(qd28, tmp_path_factory):
    """quickdraw28's 729 real drawings with 8% of labels flipped at random (seeded) and jittered copies (every
    point moved by up to 2 units) of 30 of them appended; (store, flipped mask, sources of the copies)."""
    tmp = tmp_path_factory.mktemp("planted")
    classes = read_info(MODELS / "quickdraw28")["classes"]
    build_classes_npz(QUICKDRAW, classes, tmp / "real.npz")
    raw = load_npz(tmp / "real.npz")
    keep = [i for i, s in enumerate(raw["test"]) if len(s) <= qd28.hps.max_seq_len]
    sketches, labels = [raw["test"][i] for i in keep], raw["test_labels"][keep]
    rng = np.random.default_rng(0)
    flipped = rng.random(len(sketches)) < FLIPPED
    given = labels.copy()
    for i in np.flatnonzero(flipped):
        given[i] = rng.choice([c for c in range(len(classes)) if c != labels[i]])
    sources = rng.choice(len(sketches), JITTERED, replace=False)
    copies = [np.c_[sketches[i][:, :2].astype(np.int32) + rng.integers(-2, 3, (len(sketches[i]), 2)),
                    sketches[i][:, 2]].astype(np.int16) for i in sources]
    npz(tmp / "planted.npz", sketches + copies, np.r_[given, given[sources]], classes)
    store = LatentStore(encode_to_store(qd28, [tmp / "planted.npz"], tmp / "planted.h5", splits=["test"],
                                        progress=False))
    tl.neighbors(store)
    return store, flipped, sources

"""A real multi-class store and its report, shared by the explorer's tests."""
from __future__ import annotations

import pytest

from latentlab import tl
from latentlab.pl.report import write_report
from latentlab.store import LatentStore, encode_to_store
from latentlab.tl._score import score


@pytest.fixture(scope="package")
def store(mini_model, quickdraw_mini_npz, tmp_path_factory):
    """quickdraw_mini's test split (345 classes), projected both ways, decoded, scored, with neighbours."""
    path = encode_to_store(mini_model, [quickdraw_mini_npz], tmp_path_factory.mktemp("rep") / "mini.h5",
                           splits=["test"], progress=False)
    s = LatentStore(path)
    tl.pca(s, n_components=10)
    tl.umap(s, seed=0)
    tl.neighbors(s, n_neighbors=8)
    score(s, mini_model)
    tl.decode(s, mini_model, temperature=0.1, seed=0)
    tl.decode(s, mini_model, temperature=0.1, seed=0, softmax_temperature="js")
    return s


@pytest.fixture(scope="package")
def report(store, tmp_path_factory):
    return write_report(store, tmp_path_factory.mktemp("html") / "r.html")

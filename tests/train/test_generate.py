"""Training sets sampled from the sketch-rnn-js decoders, and the class separation measures."""
from __future__ import annotations

import json

import numpy as np
import pytest

from latentlab.io.datasets import load_dataset
from latentlab.io.digest import file_sha256
from latentlab.io.npz import load_npz
from latentlab.train.generate import generate_dataset, read_generation

MODELS = ("bird", "palm_tree")


@pytest.fixture(scope="module")
def generated(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "two.npz"
    paths = [shared / f"models/sketch-rnn-js/{m}.gen.json" for m in MODELS]
    report = generate_dataset(paths, out, split_sizes={"train": 40, "valid": 5, "test": 5}, seed=3, batch_size=60)
    return out, report, paths


def test_generated_set_is_labelled_split_and_in_the_real_drawings_domain(generated):
    out, report, _ = generated
    ds = load_dataset(out, quiet=True)
    assert {k: len(v) for k, v in ds.splits.items()} == {"train": 80, "valid": 10, "test": 10}
    train = ds["train"]
    assert train.class_names == ["bird", "palm tree"]  # Quick, Draw! words, sorted as data build sorts them
    assert sorted(set(train.label_names())) == ["bird", "palm tree"] and np.bincount(train.labels).tolist() == [40, 40]
    for s in train.sketches:
        points = np.cumsum(s[:, :2], axis=0)
        assert points.min() >= -0.5 and 200 <= points.max() <= 255.5  # scaled to 255 from the top-left corner (RDP
        # may drop the extreme point)
        assert s[-1, 2] == 1 and len(s) <= 96 and np.all(s == np.round(s))
    everything = [s.tobytes() for split in ds.splits.values() for s in split.sketches]
    assert len(set(everything)) == len(everything)  # deduplicated, across splits too
    record = read_generation(out)
    assert record["temperatures"] == [0.5, 0.65, 0.8] and record["seed"] == 3
    birds = next(c for c in record["classes"] if c["name"] == "bird")
    examined = sum(birds[k] for k in ("kept", "unended", "too_long", "duplicates"))
    assert birds["kept"] == 50 and examined <= birds["drawn"] < examined + 60  # the last batch's rest is unexamined
    assert len(birds["weights_sha256"]) == 64


def test_generation_is_reproducible_and_a_class_does_not_depend_on_the_others(generated, tmp_path, shared):
    out, _, paths = generated
    again = generate_dataset(paths, tmp_path / "again.npz", split_sizes={"train": 40, "valid": 5, "test": 5}, seed=3,
                             batch_size=60)
    a, b = load_npz(out), load_npz(tmp_path / "again.npz")
    assert all(np.array_equal(x, y) for x, y in zip(a["train"], b["train"]))
    assert file_sha256(out) == file_sha256(tmp_path / "again.npz")  # the same bytes: a card's sha256 is reproducible
    alone = generate_dataset(paths[:1], tmp_path / "bird.npz", split_sizes={"train": 40, "valid": 5, "test": 5},
                             seed=3, batch_size=60)
    assert alone.classes[0].drawn == again.classes[0].drawn
    c = load_npz(tmp_path / "bird.npz")
    assert all(np.array_equal(x, y) for x, y in zip(c["train"], a["train"][a["train_labels"] == 0]))
    assert json.loads(str(a["generation"]))["split_sizes"] == {"train": 40, "valid": 5, "test": 5}


def test_class_separation_names_classes_and_falls_to_chance_without_them(mini_model, shared, tmp_path):
    from latentlab.io.quickdraw import build_npz
    from latentlab.eval.separation import class_separation

    words = ["bird", "key", "pool", "rain", "toothbrush", "bicycle"]
    files = [shared / f"data/quickdraw/{kind}/{w}.ndjson" for w in words for kind in ("simplified", "raw")]
    build_npz(files, tmp_path / "real.npz", fractions=(0.0, 0.0, 1.0))
    test = load_dataset(tmp_path / "real.npz", quiet=True)["test"]
    assert [len(s) for s in load_dataset(tmp_path / "real.npz", quiet=True).splits.values()][:2] == [0, 0]
    sep = class_separation(mini_model, test.sketches, test.labels, fit_on=(test.sketches, test.labels))
    assert sep["classes"] == 6 and sep["chance"] < 0.25
    assert sep["knn_mu"] > sep["chance"] + 0.15 and sep["knn_raster"] > sep["chance"] + 0.1
    assert sep["transfer_mu"] >= sep["knn_mu"] - 0.05  # fit on the very sketches it scores: at least as good
    shuffled = np.random.default_rng(0).permutation(test.labels)
    blind = class_separation(mini_model, test.sketches, shuffled)
    assert blind["knn_mu"] < sep["chance"] + 0.1  # labels unrelated to the sketches: about chance

"""What is the user's stays the user's: exports never replace a folder latentlab did not write, an input given
twice or a name that would be a path is refused before any work, a failed run leaves nothing."""
from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from latentlab.cli import main
from latentlab.errors import LatentlabError
from latentlab.train.export import export_model

from helpers import MODELS, SHEEP


def test_export_never_replaces_a_folder_it_did_not_write(tmp_path, capsys, monkeypatch):
    mine = tmp_path / "mine"
    (mine / "data").mkdir(parents=True)
    (mine / "notes.txt").write_text("keep me")
    assert main(["export", str(MODELS / "aaron_sheep"), "-o", str(mine)]) == 2
    err = capsys.readouterr().err
    assert "not an exported model folder" in err and "notes.txt" in err and err.count("\n") == 1
    assert (mine / "notes.txt").read_text() == "keep me" and (mine / "data").is_dir()
    monkeypatch.chdir(mine)
    assert main(["export", str(MODELS / "aaron_sheep"), "-o", "."]) == 2
    assert (mine / "notes.txt").is_file()
    # an exported folder is replaced by the next export; the training folder itself never is
    first = export_model(MODELS / "aaron_sheep", tmp_path / "model")
    assert export_model(MODELS / "aaron_sheep", first) == first and (first / "model_config.json").is_file()
    with pytest.raises(LatentlabError, match="holds the training folder"):
        export_model(first, first)
    with pytest.raises(LatentlabError, match="holds the training folder"):
        export_model(first, tmp_path)
    assert (first / "model_config.json").is_file()


def test_an_input_given_twice_is_refused_before_any_work(tmp_path, capsys):
    copy = tmp_path / "again.npz"
    shutil.copy(SHEEP, copy)
    os.link(copy, tmp_path / "hardlink.npz")
    for argv in (["encode", "latentlab/aaron_sheep", str(SHEEP), str(SHEEP), "-o", str(tmp_path / "a.h5")],
                 ["encode", "latentlab/aaron_sheep", str(copy), str(tmp_path / "hardlink.npz"), "-o",
                  str(tmp_path / "b.h5")],
                 ["encode", "latentlab/aaron_sheep", str(SHEEP), "--split", "test", "test", "-o",
                  str(tmp_path / "c.h5")]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "is given twice" in err and err.count("\n") == 1
    assert not list(tmp_path.glob("*.h5*"))


@pytest.mark.parametrize("text, message", [
    ("learning_rate=nan", "learning_rate must be in (0, 1], got nan"),
    ("learning_rate=-0.001", "learning_rate must be in (0, 1]"),
    ("num_steps=-5", "num_steps must be a positive integer, got -5"),
    ("recurrent_dropout_prob=1.5", "recurrent_dropout_prob must be in (0, 1]"),
    ("kl_weight=inf", "kl_weight must be in [0, 1000]"),
])
def test_hparams_that_train_nothing_are_refused_before_any_work(tmp_path, capsys, text, message):
    assert main(["train", str(SHEEP), "--out", str(tmp_path / "run"), "--hparams", text]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "run").exists()


def test_key_names_that_would_be_paths_are_refused_before_any_work(sheep_model, tmp_path, capsys):
    from latentlab.io.digest import file_sha256
    from latentlab.store import encode_to_store

    store = encode_to_store(sheep_model, [SHEEP], tmp_path / "z.h5", progress=False)
    before = file_sha256(store)
    for argv in (["project", str(store), "--method", "pca", "--key-added", "a/b"],
                 ["project", str(store), "--method", "umap", "--key-added", "x.y"],
                 ["decode", str(store), "--key-added", "../up"],
                 ["decode", str(store), "--key-added", "nul\x00name"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "use letters, digits, _ and -" in err and err.count("\n") == 1
    assert file_sha256(store) == before
    assert main(["project", str(store), "--method", "pca", "--n-components", "2", "--key-added", "pca_2d"]) == 0


def test_options_out_of_range_are_usage_errors(tmp_path, capsys):
    cases = [
        (["interpolate", "--sketch-a", "a.npy", "--sketch-b", "b.npy", "--steps", "10000000", "-o",
          str(tmp_path / "s.png")], "argument --steps: must be in 2..500, got 10000000"),
        (["reconstruct", str(SHEEP), "--temperatures", "abc", "-o", str(tmp_path / "t.png")],
         "argument --temperatures: must be a number, got 'abc'"),
        (["reconstruct", str(SHEEP), "--temperatures", "0.1,nan", "-o", str(tmp_path / "t.png")],
         "argument --temperatures: must be in (0, 10], got 'nan'"),
    ]
    for argv, message in cases:
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2 and message in capsys.readouterr().err, argv
    for address in ("localhost", "tcp://host", "tcp://host:port", "http://h:1:2"):
        assert main(["encode", "latentlab/aaron_sheep", str(SHEEP), "-o", str(tmp_path / "z.h5"), "--cluster",
                     address]) == 2
        err = capsys.readouterr().err
        assert "is not a scheduler address" in err and err.count("\n") == 1, address
    assert not list(tmp_path.iterdir())


def test_more_neighbours_than_others_is_refused(sheep_model, tmp_path):
    from latentlab.store import LatentStore, encode_to_store
    from latentlab import tl

    store = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path / "z.h5", progress=False))
    with pytest.raises(LatentlabError, match="has 300 sketches, so each has at most 299 others"):
        tl.neighbors(store, n_neighbors=100_000)
    tl.neighbors(store, n_neighbors=299)
    assert store.read("uns/knn/indices").shape == (300, 299)


def _drop_last(f, key):
    data = f[key][:-1]
    del f[key]
    f[key] = data


STORE_DAMAGE = {
    "a projection with non-finite values": (lambda f: f["obsm/X_pca"].__setitem__((3, 0), np.nan),
                                            "obsm/X_pca is not a projection"),
    "a one-column projection": (lambda f: f.__setitem__("obsm/X_one", np.zeros((len(f["obs/length"]), 1), "f4")),
                                "obsm/X_one is not a projection"),
    "a per-sketch column one row short": (lambda f: _drop_last(f, "obs/Lr"),
                                          "obs/Lr does not have a value for each"),
    "neighbour indices out of range": (lambda f: f["uns/knn/indices"].__setitem__((0, 0), 10_000),
                                       "uns/knn/indices is not"),
    "an empty decode group": (lambda f: f.create_group("uns/decoded/empty"), "uns/decoded/empty has no offsets"),
}


@pytest.mark.parametrize("damage", sorted(STORE_DAMAGE))
def test_a_store_damaged_where_a_reader_looks_is_refused_when_opened(full_store, tmp_path, capsys, damage):
    import h5py

    from latentlab.io.digest import file_sha256

    path = tmp_path / "z.h5"
    shutil.copy(full_store, path)
    mutate, message = STORE_DAMAGE[damage]
    with h5py.File(path, "r+") as f:
        mutate(f)
    before = file_sha256(path)
    for argv in (["report", str(path), "--basis", "pca", "-o", str(tmp_path / "r.html")],
                 ["neighbors", str(path), "--query", "0"], ["project", str(path), "--method", "pca"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, (argv, err)
    assert file_sha256(path) == before and not (tmp_path / "r.html").exists()


def test_a_model_of_another_width_is_refused_for_the_store(full_store, tmp_path, capsys):
    import h5py

    path = tmp_path / "z.h5"
    shutil.copy(full_store, path)
    with h5py.File(path, "r+") as f:
        mu = f["obsm/mu"][:, :64]
        del f["obsm/mu"]
        f["obsm/mu"] = mu
    assert main(["report", str(path), "--basis", "pca", "--with-model", "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "its mu has 64 dimensions" in err and err.count("\n") == 1


def _sheep_npz(path, class_names=None):
    from latentlab.io.npz import load_npz, save_npz

    raw = load_npz(SHEEP)
    arrays = {split: raw[split][:20] for split in ("train", "valid", "test")}
    if class_names is not None:
        arrays.update(test_labels=np.zeros(20, np.int32), class_names=np.array(class_names))
    return save_npz(path, arrays)


def test_names_a_store_cannot_carry_are_refused_before_any_work(tmp_path, capsys):
    nul = _sheep_npz(tmp_path / "nul.npz", ["sh\x00eep"])
    odd = _sheep_npz(tmp_path / "plain.npz")
    odd_name = os.fsencode(tmp_path) + b"/caf\xe9.npz"
    os.rename(odd, odd_name)
    for data, message in ((str(nul), r"class name 0 'sh\x00eep' holds the control character"),
                          (os.fsdecode(odd_name), "caf\\udce9.npz: this file name is not valid UTF-8")):
        assert main(["encode", "latentlab/aaron_sheep", data, "-o", str(tmp_path / "z.h5")]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert not list(tmp_path.glob("z.h5*"))


def test_data_build_skips_a_record_whose_class_name_the_loader_would_refuse(tmp_path, capsys):
    import json

    from latentlab.io.datasets import load_dataset

    stroke = [[[0, 40, 80], [0, 40, 0]]]
    lines = [json.dumps({"word": "x" * 10_000, "key_id": "1", "drawing": stroke}),
             json.dumps({"word": "tab\there", "key_id": "2", "drawing": stroke}),
             json.dumps({"word": "cat", "key_id": "3", "drawing": stroke})]
    (tmp_path / "in.ndjson").write_text("\n".join(lines) + "\n")
    assert main(["data", "build", str(tmp_path / "in.ndjson"), "-o", str(tmp_path / "out.npz")]) == 0
    out = capsys.readouterr().out
    assert "in.ndjson:1: class name (word) has 10,000 characters (at most 1000)" in out
    assert "in.ndjson:2: class name (word) holds the control character '\\t'" in out
    assert load_dataset(tmp_path / "out.npz", quiet=True)["train"].class_names == ["cat"]


@pytest.mark.parametrize("step, message", [
    ("raise", "engine failed"),
    ("nan", "training diverged before step 20 (cost nan)"),
])
def test_a_failed_or_diverging_training_run_leaves_nothing(tmp_path, monkeypatch, capsys, subset, step, message):
    from latentlab.model.tfquiet import tf
    from latentlab.train import loop, tf as tf_engine

    def failing_batches(*args):
        raise LatentlabError("engine failed")
        yield

    def diverging(self, *args):
        nan = tf.constant(float("nan"))
        return nan, nan, nan

    if step == "raise":
        monkeypatch.setattr(loop, "training_batches", failing_batches)
    else:
        monkeypatch.setattr(tf_engine.Trainer, "_train_step", diverging)
    small = "enc_rnn_size=16,dec_rnn_size=16,z_size=8,num_mixture=2,batch_size=8,max_seq_len=40"
    run = tmp_path / "run"
    assert main(["train", str(subset), "--out", str(run), "--hparams", small, "--steps", "40"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert not run.exists()


def test_a_failed_encode_leaves_no_parts_to_resume(sheep_model, tmp_path, monkeypatch):
    from latentlab.store import encode as encode_module

    def broken(*args):
        raise LatentlabError("assembly failed")

    monkeypatch.setattr(encode_module, "_assemble", broken)
    with pytest.raises(LatentlabError, match="assembly failed"):
        encode_module.encode_to_store(sheep_model, [SHEEP], tmp_path / "z.h5", progress=False)
    assert not list(tmp_path.iterdir())



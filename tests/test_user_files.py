"""What is the user's stays the user's: exports never replace a folder latentlab did not write, locks never
follow a planted link, an input given twice is refused before any work."""
from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from latentlab.cli import main
from latentlab.errors import LatentlabError
from latentlab.lock import lock_path, store_lock
from latentlab.train.export import export_model

from conftest import MODELS, SHEEP


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


def test_a_lock_never_follows_a_planted_link(tmp_path):
    store = tmp_path / "z.h5"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.symlink(victim, lock_path(store))
    with pytest.raises(LatentlabError, match="is a symbolic link"):
        with store_lock(store, wait=False, what="test"):
            pass
    assert victim.read_text() == "precious"


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
    from latentlab.io.datasets import file_sha256
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
          str(tmp_path / "s.png")], "argument --steps: must be <= 500, got 10000000"),
        (["reconstruct", str(SHEEP), "--temperatures", "abc", "-o", str(tmp_path / "t.png")],
         "argument --temperatures: must be a number, got 'abc'"),
        (["reconstruct", str(SHEEP), "--temperatures", "0.1,nan", "-o", str(tmp_path / "t.png")],
         "argument --temperatures: must be a finite number > 0, got nan"),
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
    from latentlab.tl import neighbors

    store = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path / "z.h5", progress=False))
    with pytest.raises(LatentlabError, match="has 300 sketches, so each has at most 299 others"):
        neighbors.neighbors(store, n_neighbors=100_000)
    assert neighbors.neighbors(store, n_neighbors=299).shape == (300, 299)


def test_store_edits_keep_the_mode_follow_links_and_refuse_read_only(sheep_model, tmp_path):
    import stat

    from latentlab.store import LatentStore, encode_to_store
    from latentlab.tl import project

    real = encode_to_store(sheep_model, [SHEEP], tmp_path / "real.h5", progress=False)
    os.chmod(real, 0o600)
    link = tmp_path / "link.h5"
    os.symlink(real, link)
    project.pca(LatentStore(link), n_components=2)
    assert link.is_symlink() and os.readlink(link) == str(real)  # the link stays a link ...
    assert LatentStore(real).has("obsm/X_pca")  # ... and its target got the result
    assert stat.S_IMODE(real.stat().st_mode) == 0o600  # not world-readable after the edit
    os.chmod(real, 0o444)
    with pytest.raises(LatentlabError, match="is read-only"):
        project.pca(LatentStore(real), n_components=3, key_added="pca3")
    assert stat.S_IMODE(real.stat().st_mode) == 0o444 and not LatentStore(real).has("obsm/X_pca3")
    assert not list(tmp_path.glob(".*editing"))


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


@pytest.fixture(scope="module")
def full_store(sheep_model, tmp_path_factory):
    from latentlab.store import LatentStore, encode_to_store
    from latentlab.tl import neighbors, project
    from latentlab.tl.decode import decode_store
    from latentlab.tl.score import score

    store = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path_factory.mktemp("full") / "z.h5",
                                        progress=False))
    project.pca(store, n_components=2)
    neighbors.neighbors(store, n_neighbors=5)
    score(store, sheep_model)
    decode_store(store, sheep_model, temperature=0.1, greedy=True)
    return store.path


@pytest.mark.parametrize("damage", sorted(STORE_DAMAGE))
def test_a_store_damaged_where_a_reader_looks_is_refused_when_opened(full_store, tmp_path, capsys, damage):
    import h5py

    from latentlab.io.datasets import file_sha256

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

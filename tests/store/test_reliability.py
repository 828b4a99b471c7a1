"""Nothing lost, nothing mixed: writes into a store are all-or-nothing, runs know their model's weights."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys

import h5py
import numpy as np
import pytest

from latentlab.cli import main
from latentlab.errors import LatentlabError
from latentlab.io.digest import file_sha256
from latentlab.model.checkpoint import read_checkpoint, write_checkpoint
from latentlab.store import LatentStore, encode_to_store
from latentlab.store.journal import journal_path
from latentlab.lock import store_lock

from helpers import MODELS, SHEEP

CLI = [sys.executable, "-m", "latentlab"]


def _every_object_reads(path) -> None:
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: obj[()] if isinstance(obj, h5py.Dataset) else None)


@pytest.fixture(scope="module")
def base_store(sheep_model, subset, tmp_path_factory):
    """40 real sheep: what an edit does does not depend on the store's size, and each kill reruns the command."""
    return encode_to_store(sheep_model, [subset], tmp_path_factory.mktemp("rel") / "base.h5", progress=False)


@pytest.fixture
def store(base_store, tmp_path):
    path = tmp_path / "z.h5"
    shutil.copy(base_store, path)
    return path


def _pwrite_count(argv: list[str]) -> int:
    res = subprocess.run(["strace", "-f", "--seccomp-bpf", "-qq", "-e", "trace=pwrite64", "-o", "/dev/stdout", *argv],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout.count("pwrite64(")


def _prefix_sha256(path, n: int) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read(n)).hexdigest()


@pytest.mark.subprocess
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt-get install strace)")
@pytest.mark.parametrize("command, points", [
    (["project", "{store}", "--method", "pca"], ("first", "middle", "commit", "last")),
    (["decode", "{store}"], ("commit",)),  # the same editor as project's; each kill reruns TensorFlow under ptrace
])
def test_sigkill_at_any_write_leaves_the_store_as_it_was(store, tmp_path, command, points):
    """SIGKILL at the k-th write system call (strace's fault injection) of an edit in place: until the commit the
    store's bytes are untouched (a plain HDF5 reader sees the store as it was); the next open undoes the edit,
    byte for byte, or, killed past the commit point, finishes it as an uninterrupted run does; every object
    reads, and the same command then completes."""
    argv = [*CLI, *[a.format(store=store) for a in command]]
    key = "obsm/X_pca" if command[0] == "project" else "decoded/tau0.1"
    clean = tmp_path / "clean.h5"
    shutil.copy(store, clean)
    total = _pwrite_count([*CLI, *[a.format(store=clean) for a in command]])
    assert total > 5
    original, size, before = tmp_path / "original.h5", os.path.getsize(store), file_sha256(store)
    shutil.copy(store, original)
    finished = 0
    at = {"first": 1, "middle": total // 2, "commit": total - 2, "last": total}
    for k in sorted(at[p] for p in points):
        res = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=pwrite64",
                              "-e", f"inject=pwrite64:signal=SIGKILL:when={k}", *argv], capture_output=True, text=True)
        assert res.returncode != 0, k
        committed = journal_path(store).exists() and b"committed" in journal_path(store).read_bytes()
        assert committed or _prefix_sha256(store, size) == before, f"killed at write {k} of {total}: store changed"
        with LatentStore(store) as s:  # opening it finishes or undoes the edit that was cut short
            done = s.has(key)
        assert not journal_path(store).exists()
        if done:  # past the commit point: the whole edit, as the clean run made it
            finished += 1
            assert np.array_equal(LatentStore(store).read(key if key.startswith("obsm") else f"uns/{key}/points"),
                                  LatentStore(clean).read(key if key.startswith("obsm") else f"uns/{key}/points"))
            _every_object_reads(store)
            shutil.copy(original, store)
        assert file_sha256(store) == before, f"killed at write {k} of {total}: not undone"
        _every_object_reads(store)
    assert finished >= ("commit" in points)  # the last writes are the commit's
    assert subprocess.run(argv, capture_output=True).returncode == 0
    _every_object_reads(store)
    assert LatentStore(store).has(key) and not list(tmp_path.glob(".z.h5.*"))  # no journal or copy left behind


def test_an_edit_in_place_costs_what_it_writes_not_the_store(store):
    """A new column is appended in place: the store grows by about its size and no copy of it is written."""
    s = LatentStore(store)
    size = os.path.getsize(store)
    column = np.arange(len(s), dtype=np.float32)
    with s.edit() as e:
        assert e.f.driver == "fileobj"  # through the journal, not into a copy
        e.write("obs/extra", column)
    grown = os.path.getsize(store) - size
    assert column.nbytes <= grown < column.nbytes + 64 * 1024
    assert np.array_equal(s.read("obs/extra"), column) and not journal_path(store).exists()


def test_an_exception_inside_an_edit_changes_nothing(store):
    s = LatentStore(store)
    before = file_sha256(store)
    with pytest.raises(RuntimeError):
        with s.edit() as e:
            e.write("obsm/X_half", np.zeros((len(s), 2), np.float32))
            raise RuntimeError("in the middle")
    assert file_sha256(store) == before and not s.has("obsm/X_half")


def test_a_full_disk_leaves_the_store_as_it_was(store):
    """Writes past a file-size limit fail as on a full disk: one line, exit 2, the store unchanged."""
    before = file_sha256(store)
    limit = os.path.getsize(store) // 2

    def small_disk():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    res = subprocess.run([*CLI, "project", str(store), "--method", "pca"], capture_output=True, text=True,
                         preexec_fn=small_disk)
    assert res.returncode == 2 and "could not write" in res.stderr and "the store is unchanged" in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert file_sha256(store) == before
    _every_object_reads(store)


def test_a_reader_holding_the_store_does_not_cost_the_work(store):
    with h5py.File(store, "r") as reader:  # e.g. a notebook with the store open
        res = subprocess.run([*CLI, "project", str(store), "--method", "pca"], capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert "X_pca" not in reader["obsm"]  # the reader goes on reading what it opened
    assert LatentStore(store).has("obsm/X_pca")


@pytest.fixture(scope="module")
def other_sheep(tmp_path_factory):
    """The bundled sheep's architecture and step with other weights: a model that must not be mixed in."""
    folder = tmp_path_factory.mktemp("other") / "sheep_b"
    shutil.copytree(MODELS / "aaron_sheep", folder)
    weights, step = read_checkpoint(folder)
    rng = np.random.default_rng(0)
    for name in weights:
        weights[name] = weights[name] + rng.normal(0, 1e-3, weights[name].shape).astype(np.float32)
    for stale in folder.glob("vector-*"):
        stale.unlink()
    write_checkpoint(folder, weights, step)
    return folder


def test_a_run_knows_its_weights(store, other_sheep, tmp_path, capsys):
    # resuming an encode with another model of the same architecture and step is refused, naming both
    out = tmp_path / "mixed.h5"
    args = ["encode", str(MODELS / "aaron_sheep"), str(SHEEP), "--split", "train", "-o", str(out), "--block-size", "64"]
    parts = out.with_name(out.name + ".parts")
    parts.mkdir()
    from latentlab.model import SketchRNN
    from latentlab.store.encode import _manifest, load_sources

    sheep = SketchRNN.load(MODELS / "aaron_sheep")
    manifest = _manifest(sheep, load_sources([SHEEP], ["train"], 250), 0, 64)
    (parts / "manifest.json").write_text(__import__("json").dumps(manifest))
    assert main(["encode", str(other_sheep), *args[2:]]) == 2
    err = capsys.readouterr().err
    assert "belongs to another encoding run" in err and "weights_sha256" in err
    assert str(other_sheep) in err and str((MODELS / "aaron_sheep").resolve()) in err
    # the tools that decode or encode with the store's model refuse other weights
    for argv in (["decode", str(store), "--model", str(other_sheep)],
                 ["interpolate", str(store), "0", "1", "--model", str(other_sheep), "-o", str(tmp_path / "s.png")],
                 ["analogy", str(store), "0", "1", "2", "--model", str(other_sheep), "-o", str(tmp_path / "a.png")]):
        assert main(argv) == 2, argv
        assert "has other weights than the model that encoded" in capsys.readouterr().err
    assert not (tmp_path / "s.png").exists() and not LatentStore(store).keys("decoded")


def test_two_encodes_of_one_output(sheep_model, tmp_path, capsys):
    out = tmp_path / "z.h5"
    with store_lock(out, wait=False, what="encode"):
        assert main(["encode", str(MODELS / "aaron_sheep"), str(SHEEP), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is being written by `latentlab encode` (pid" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    with pytest.raises(LatentlabError, match="is being written"), store_lock(out, wait=False, what="encode"):
        with store_lock(out, wait=False, what="encode"):
            pass


def test_a_finished_encode_cleans_what_a_killed_one_left(sheep_model, tmp_path):
    out = tmp_path / "z.h5"
    orphan = tmp_path / ".z.h5.99999.part.h5"
    orphan.write_bytes(b"half an HDF5 file")
    encode_to_store(sheep_model, [SHEEP], out, progress=False)
    assert out.is_file() and not orphan.exists() and not (tmp_path / "z.h5.parts").exists()

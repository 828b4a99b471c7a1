"""Bad model folders, stores, ndjson and sketch files, output paths and option values: one line naming the file
(and record, key or attribute) and the reason, exit code 2, no traceback and no partial output (the dataset
files' family is in ``test_bad_inputs.py``)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

import h5py
import numpy as np
import pytest

from latentlab.io.digest import file_sha256
from latentlab.model.checkpoint import read_checkpoint, write_checkpoint
from latentlab.store import encode_to_store

from helpers import MODELS, SHEEP
from helpers.badinputs import expect_one_line, npz_file

SHEEP_MODEL = MODELS / "aaron_sheep"




def _model_with(change: Callable[[Path], None]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        folder = tmp / "model"
        shutil.copytree(SHEEP_MODEL, folder)
        change(folder)
        return folder
    return make


def _config(text: bytes | str):
    return lambda folder: (folder / "model_config.json").write_bytes(text if isinstance(text, bytes) else text.encode())


def _config_value(**values):
    def change(folder: Path) -> None:
        cfg = json.loads((folder / "model_config.json").read_text())
        cfg.update(values)
        (folder / "model_config.json").write_text(json.dumps(cfg))
    return change


def _info(value):
    return lambda folder: (folder / "model_info.json").write_text(json.dumps(value) if not isinstance(value, str)
                                                                  else value)


def _weights_times(factor: float):
    def change(folder: Path) -> None:
        weights, step = read_checkpoint(folder)
        name = sorted(weights)[0]
        weights[name] = weights[name] * factor
        for old in folder.glob("vector-*"):
            old.unlink()
        write_checkpoint(folder, weights, step)
    return change


BAD_MODELS: dict[str, Callable[[Path], Path]] = {
    "no config": _model_with(lambda f: (f / "model_config.json").unlink()),
    "config not UTF-8": _model_with(_config(b'{"data_set": "\xff\xfe"}')),
    "config not JSON": _model_with(_config("{data_set: ")),
    "config deeply nested": _model_with(_config("[" * 100_000 + "]" * 100_000)),
    "config a list": _model_with(_config("[1, 2]")),
    "config data_set 5": _model_with(_config_value(data_set=5)),
    "config max_seq_len 10": _model_with(_config_value(max_seq_len=10)),
    "config max_seq_len -1": _model_with(_config_value(max_seq_len=-1)),
    "config z_size a string": _model_with(_config_value(z_size="big")),
    "checkpoint state garbage": _model_with(lambda f: (f / "checkpoint").write_bytes(b"\x00\xffgarbage{{")),
    "weights missing": _model_with(lambda f: [p.unlink() for p in f.glob("vector-*")]),
    "weight file truncated": _model_with(lambda f: [p.write_bytes(p.read_bytes()[:1000])
                                                    for p in f.glob("vector-*.data-*")]),
    "model_info a list": _model_with(_info([1, 2])),
    "model_info not JSON": _model_with(_info("{oops")),
    "scale factor a string": _model_with(_info({"scale_factor": "big"})),
    "scale factor NaN": _model_with(_info({"scale_factor": float("nan")})),
    "scale factor infinite": _model_with(_info({"scale_factor": float("inf")})),
    "scale factor 0": _model_with(_info({"scale_factor": 0})),
    "NaN weights": _model_with(_weights_times(float("nan"))),
    "infinite weights": _model_with(_weights_times(float("inf"))),
}


@pytest.fixture(scope="module")
def small_store(sheep_model, tmp_path_factory) -> Path:
    from latentlab.store import LatentStore
    from latentlab import tl

    path = encode_to_store(sheep_model, [SHEEP], tmp_path_factory.mktemp("bad") / "ok.h5", progress=False)
    tl.pca(LatentStore(path), n_components=4)
    return path


@pytest.mark.parametrize("case", BAD_MODELS)
@pytest.mark.parametrize("command", ["evaluate", "encode", "reconstruct", "export", "decode"])
def test_bad_model_folders(case, command, small_store, tmp_path, capsys):
    if (case, command) == ("config max_seq_len 10", "export"):
        pytest.skip("a plausible config: export copies it; only data longer than 10 points makes it wrong")
    model = BAD_MODELS[case](tmp_path)
    store = tmp_path / "store.h5"
    shutil.copy(small_store, store)
    argv = {
        "evaluate": ["evaluate", str(model), str(SHEEP)],
        "encode": ["encode", str(model), str(SHEEP), "-o", str(tmp_path / "out.h5")],
        "reconstruct": ["reconstruct", str(SHEEP), "--model", str(model), "--index", "0", "-o",
                        str(tmp_path / "o.png")],
        "export": ["export", str(model), "-o", str(tmp_path / "out_model")],
        "decode": ["decode", str(store), "--model", str(model)],
    }[command]
    before = file_sha256(store)
    line = expect_one_line(argv, capsys, tmp_path, {p.name for p in tmp_path.iterdir()})
    assert "model" in line or "max_seq_len=10" in line, line
    assert file_sha256(store) == before


# ---- latent stores -----------------------------------------------------------------------------------------

def _store_with(change: Callable[[h5py.File], None]) -> Callable[[Path, Path], Path]:
    def make(good: Path, tmp: Path) -> Path:
        path = tmp / "bad.h5"
        shutil.copy(good, path)
        with h5py.File(path, "r+") as f:
            change(f)
        return path
    return make


def _replace(key: str, value) -> Callable[[h5py.File], None]:
    def change(f: h5py.File) -> None:
        attrs = dict(f[key].attrs)
        del f[key]
        f.create_dataset(key, data=value)
        f[key].attrs.update(attrs)
    return change


def _mu(value):
    def change(f: h5py.File) -> None:
        mu = f["obsm/mu"][:]
        if isinstance(value, str):
            _replace("obsm/mu", np.full(mu.shape, value.encode(), dtype="S3"))(f)
        else:
            mu[0, 3] = value  # row 0: every command below reads it
            _replace("obsm/mu", mu)(f)
    return change


BAD_STORES: dict[str, Callable[[Path, Path], Path]] = {
    "text file": lambda good, tmp: ((tmp / "bad.h5").write_text("not hdf5"), tmp / "bad.h5")[1],
    "truncated file": lambda good, tmp: ((tmp / "bad.h5").write_bytes(good.read_bytes()[:20000]), tmp / "bad.h5")[1],
    "sources not a list": _store_with(_replace("uns/latentlab/sources", "[not json")),
    "layout not a number": _store_with(_replace("uns/latentlab/layout_version", "two")),
    "float labels": _store_with(_replace("obs/label/codes", np.full(300, 0.5))),
    "labels out of range": _store_with(_replace("obs/label/codes", np.full(300, 7, np.int32))),
    "NaN mu": _store_with(_mu(np.nan)),
    "infinite mu": _store_with(_mu(np.inf)),
    "string mu": _store_with(_mu("abc")),
    "mu of other length": _store_with(_replace("obsm/mu", np.zeros((7, 128), np.float32))),
    "mu missing": _store_with(lambda f: f.__delitem__("obsm/mu")),
    "strokes missing": _store_with(lambda f: f.__delitem__("uns/strokes")),
    "offsets beyond the points": _store_with(_replace("uns/strokes/offsets", np.arange(301) * 10 ** 9)),
    "model_dir not a string": _store_with(_replace("uns/latentlab/model_dir", 5)),
    "provenance missing": _store_with(lambda f: f.__delitem__("uns/latentlab")),
}


def _store_commands(store: Path, tmp: Path) -> dict[str, list[str]]:
    return {
        "project": ["project", str(store), "--method", "pca"],
        "neighbors": ["neighbors", str(store), "-k", "3"],
        "neighbors --query": ["neighbors", str(store), "--query", "0", "-k", "3", "-o", str(tmp / "nn.png")],
        "score": ["score", str(store)],
        "decode": ["decode", str(store)],
        "interpolate": ["interpolate", str(store), "0", "1", "-o", str(tmp / "s.png")],
        "analogy": ["analogy", str(store), "0", "1", "2", "-o", str(tmp / "a.png")],
        "report": ["report", str(store), "--basis", "pca", "-o", str(tmp / "r.html")],
    }


@pytest.mark.parametrize("case", BAD_STORES)
@pytest.mark.parametrize("command", ["project", "neighbors", "neighbors --query", "score", "decode", "interpolate",
                                     "analogy", "report"])
def test_bad_stores(case, command, small_store, tmp_path, capsys):
    if case in ("NaN mu", "infinite mu") and command in ("report", "score"):
        pytest.skip("reads projections and strokes, not mu: the store is fine for it")
    store = BAD_STORES[case](small_store, tmp_path)
    before = file_sha256(store)
    line = expect_one_line(_store_commands(store, tmp_path)[command], capsys, tmp_path,
                            {p.name for p in tmp_path.iterdir()})
    assert "bad.h5" in line, line
    assert file_sha256(store) == before


# ---- sketch files and ndjson -------------------------------------------------------------------------------

def _record(drawing, word="cat") -> str:
    return json.dumps({"word": word, "countrycode": "DE", "timestamp": "2017-03-01", "recognized": True,
                       "key_id": "1", "drawing": drawing})


GOOD_DRAWING = [[[10, 20, 30], [10, 40, 20]], [[50, 60], [50, 70]]]
BAD_NDJSON: dict[str, Callable[[Path], Path]] = {
    "non-UTF-8 byte": lambda p: (p.write_bytes(_record(GOOD_DRAWING).encode()[:-3] + b"\xff}\n"), p)[1],
    "deeply nested JSON": lambda p: (p.write_text("[" * 100_000 + "]" * 100_000 + "\n"), p)[1],
    "integer 1e400": lambda p: (p.write_text(_record(GOOD_DRAWING).replace("50, 60", "1" + "0" * 400 + ", 60")
                                             + "\n"), p)[1],
    "an .npz given as ndjson": lambda p: (p.write_bytes(npz_file(p.with_suffix(".npz")).read_bytes()), p)[1],
    "empty file": lambda p: (p.write_text(""), p)[1],
    "no drawing": lambda p: (p.write_text(json.dumps({"word": "cat"}) + "\n"), p)[1],
    "drawing of strings": lambda p: (p.write_text(_record([[["a", "b"], ["c", "d"]]]) + "\n"), p)[1],
    "stroke of unequal x and y": lambda p: (p.write_text(_record([[[1, 2, 3], [4]]]) + "\n"), p)[1],
    "NaN in a drawing": lambda p: (p.write_text(_record(GOOD_DRAWING).replace("50, 60", "NaN, 60") + "\n"), p)[1],
}


@pytest.mark.parametrize("case", BAD_NDJSON)
@pytest.mark.parametrize("command", ["data build", "neighbors --sketch", "interpolate --sketch-a"])
def test_bad_ndjson_and_sketch_files(case, command, small_store, tmp_path, capsys):
    bad = BAD_NDJSON[case](tmp_path / "cat.ndjson")
    argv = {
        "data build": ["data", "build", str(bad), "-o", str(tmp_path / "out.npz")],
        "neighbors --sketch": ["neighbors", str(small_store), "--sketch", str(bad)],
        "interpolate --sketch-a": ["interpolate", "--sketch-a", str(bad), "--sketch-b", str(bad), "--model",
                                   str(SHEEP_MODEL), "-o", str(tmp_path / "s.png")],
    }[command]
    line = expect_one_line(argv, capsys, tmp_path, {p.name for p in tmp_path.iterdir()})
    assert "cat.ndjson" in line, line


# ---- output paths ------------------------------------------------------------------------------------------

def _output_commands(out: str, store: Path) -> dict[str, list[str]]:
    return {
        "draw": ["draw", str(SHEEP), "-o", out],
        "reconstruct": ["reconstruct", str(SHEEP), "--index", "0", "-o", out],
        "encode": ["encode", str(SHEEP_MODEL), str(SHEEP), "-o", out],
        "report": ["report", str(store), "--basis", "pca", "-o", out],
        "neighbors": ["neighbors", str(store), "--query", "0", "-o", out],
        "interpolate": ["interpolate", str(store), "0", "1", "-o", out],
        "analogy": ["analogy", str(store), "0", "1", "2", "-o", out],
        "data build": ["data", "build", str(Path(SHEEP).parents[1] / "quickdraw" / "simplified" / "cat.ndjson"),
                       "-o", out],
    }


@pytest.mark.parametrize("kind", ["a directory", "an unknown extension"])
@pytest.mark.parametrize("command", ["draw", "reconstruct", "encode", "report", "neighbors", "interpolate", "analogy",
                                     "data build"])
def test_bad_output_paths(kind, command, small_store, tmp_path, capsys):
    store = tmp_path / "store.h5"
    shutil.copy(small_store, store)
    target = tmp_path / "somewhere"
    if kind == "a directory":
        target.mkdir()
        if command == "report":  # an empty or new folder takes the tiled explorer; a folder of other files not
            (target / "notes.txt").write_text("mine")
        out = str(target)
    else:
        out = str(tmp_path / "out.xyz")
    line = expect_one_line(_output_commands(out, store)[command], capsys, tmp_path,
                            {p.name for p in tmp_path.iterdir()})
    assert Path(out).name in line, line


# ---- option values and a full disk ----------------------------------------------------------------------------

def test_bad_option_values(small_store, tmp_path, capsys):
    store = tmp_path / "store.h5"
    shutil.copy(small_store, store)
    before = {p.name for p in tmp_path.iterdir()}
    line = expect_one_line(["project", str(store), "--method", "umap", "--metric", "nonsense"], capsys, tmp_path,
                            before)
    assert "metric must be one of" in line and "'nonsense'" in line


@pytest.mark.parametrize("command", ["data build", "draw", "report", "encode"])
def test_a_full_disk_is_one_line(command, small_store, tmp_path):
    """Writes past a file-size limit fail as on a full disk: one line, exit 2, no partial output."""
    import signal
    import subprocess
    import sys

    store = tmp_path / "store.h5"
    shutil.copy(small_store, store)
    out = {"data build": "out.npz", "draw": "out.png", "report": "out.html", "encode": "out.h5"}[command]
    argv = _output_commands(str(tmp_path / out), store)[command] if command != "report" else \
        ["report", str(store), "--basis", "pca", "-o", str(tmp_path / out)]
    if command == "data build":
        argv = ["data", "build", str(Path(SHEEP).parents[1] / "quickdraw" / "simplified"), "-o", str(tmp_path / out)]

    def small_disk():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    before = {p.name for p in tmp_path.iterdir()}
    res = subprocess.run([sys.executable, "-m", "latentlab", *argv], capture_output=True, preexec_fn=small_disk)
    err = res.stderr.decode()  # bytes: text mode would turn the progress bar's carriage returns into new lines
    lines = [shown for line in err.split("\n") if (shown := line.split("\r")[-1].strip())]
    assert res.returncode == 2 and len(lines) == 1 and "Traceback" not in err, err[-3000:]
    assert lines[0].startswith("latentlab: error: ") and "File too large" in lines[0], lines
    resumable = {"out.h5.parts"} if command == "encode" else set()  # the blocks encoded so far, kept to resume
    assert {p.name for p in tmp_path.iterdir()} - resumable == before

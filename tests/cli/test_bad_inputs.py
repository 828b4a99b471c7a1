"""Every bad input ends in one line naming the file (and record, key or attribute) and the reason, exit code 2,
no traceback and no partial output.

Generators of bad inputs, one family per kind of input (dataset .npz, model folder, latent store, sketch and
ndjson files, output paths), each run through every command that reads that kind: a new command joins a family
and is covered the day it is added.
"""
from __future__ import annotations

import io
import os
import pickle
import shutil
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np
import pytest


from helpers import MODELS
from helpers.badinputs import expect_one_line, npz_file, objects, sketches

SHEEP_MODEL = MODELS / "aaron_sheep"


def _with_sketch(bad: np.ndarray):
    def make(path: Path) -> Path:
        drawn = sketches()
        drawn[3] = bad
        return npz_file(path, train=objects(drawn), valid=objects(drawn), test=objects(drawn))
    return make


def _zero_d(value) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = value
    return out


def _pen(value) -> np.ndarray:
    s = sketches(1)[0].astype(np.float32)
    s[4, 2] = value
    return s


def _coords(value) -> np.ndarray:
    s = sketches(1)[0].astype(np.float64)
    s[2, 0] = value
    return s


def _labelled(labels, names=("cat", "dog")):
    def make(path: Path) -> Path:
        return npz_file(path, train_labels=labels, valid_labels=labels, test_labels=labels,
                    class_names=np.array(names))
    return make


def _npy_member(path: Path, name: str, header: dict, body: bytes) -> Path:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    with zipfile.ZipFile(path, "w") as z:
        for split in ("train", "valid", "test"):
            z.writestr(f"{split}.npy", buf.getvalue() + body if split == name else _member(objects(sketches())))
    return path


def _member(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=True)
    return buf.getvalue()


def _crc_corrupt(path: Path) -> Path:
    npz_file(path)
    raw = bytearray(path.read_bytes())
    start = raw.index(b"test.npy")
    raw[start + 200] ^= 0xFF  # inside the stored member's data: its CRC no longer matches
    path.write_bytes(bytes(raw))
    return path


def _truncated(path: Path) -> Path:
    npz_file(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def _zip_bomb(path: Path) -> Path:
    """A member that inflates to 300 MB of zeros from about 300 kB."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("train.npy", _member(objects(sketches())))
        z.writestr("valid.npy", _member(objects(sketches())))
        with z.open("test.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            block = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(block)
    return path


class _Exploit:
    def __reduce__(self):
        return (os.system, ("touch /tmp/latentlab_pwned",))


def _malicious(path: Path) -> Path:
    return _npy_member(path, "test", {"descr": "|O", "fortran_order": False, "shape": (1,)}, pickle.dumps(_Exploit()))


BAD_NPZ: dict[str, Callable[[Path], Path]] = {
    "text file": lambda p: (p.write_text("not a zip"), p)[1],
    "empty zip": lambda p: (zipfile.ZipFile(p, "w").close(), p)[1],
    "split missing": lambda p: npz_file(p, test=None),
    "0-d split": lambda p: npz_file(p, test=np.array(5)),
    "0-d object split": lambda p: npz_file(p, test=_zero_d(sketches(1)[0])),
    "empty splits": lambda p: npz_file(p, train=objects([]), valid=objects([]), test=objects([])),
    "empty test split": lambda p: npz_file(p, test=objects([])),
    "numeric split": lambda p: npz_file(p, test=np.zeros((4, 3), np.float32)),
    "CRC-corrupted member": _crc_corrupt,
    "truncated file": _truncated,
    "absurd declared shape": lambda p: _npy_member(p, "test", {"descr": "<i2", "fortran_order": False,
                                                              "shape": (10 ** 12, 3)}, b"\0" * 64),
    "zip bomb member": _zip_bomb,
    "pickled code": _malicious,
    "sketch with 2 columns": _with_sketch(np.zeros((5, 2), np.int16)),
    "1-D sketch": _with_sketch(np.zeros(6, np.int16)),
    "empty sketch": _with_sketch(np.zeros((0, 3), np.int16)),
    "string sketch": _with_sketch(np.array([["a", "b", "c"]])),
    "pen 7": _with_sketch(_pen(7)),
    "pen -1": _with_sketch(_pen(-1)),
    "pen 0.5": _with_sketch(_pen(0.5)),
    "NaN coordinate": _with_sketch(_coords(np.nan)),
    "infinite coordinate": _with_sketch(_coords(np.inf)),
    "coordinate 1e308": _with_sketch(_coords(1e308)),
    "labels out of range": _labelled(np.full(12, 5)),
    "negative labels": _labelled(np.full(12, -2)),
    "labels as strings": _labelled(np.array(["cat"] * 12)),
    "2-D labels": _labelled(np.zeros((12, 2), np.int64)),
    "float labels": _labelled(np.full(12, 0.5)),
    "labels of another length": _labelled(np.zeros(5, np.int64)),
    "0-d class_names": lambda p: npz_file(p, train_labels=np.zeros(12, np.int64), valid_labels=np.zeros(12, np.int64),
                                      test_labels=np.zeros(12, np.int64), class_names=np.array("cat")),
    "5 MB class name": _labelled(np.zeros(12, np.int64), names=("x" * 5_000_000,)),
}


def _data_commands(data: Path, tmp: Path) -> dict[str, list[str]]:
    return {
        "draw": ["draw", str(data), "-o", str(tmp / "out.png")],
        "evaluate": ["evaluate", str(SHEEP_MODEL), str(data)],
        "encode": ["encode", str(SHEEP_MODEL), str(data), "-o", str(tmp / "out.h5")],
        "reconstruct": ["reconstruct", str(data), "--index", "0", "-o", str(tmp / "out.png")],
        "train": ["train", str(data), "--out", str(tmp / "out_run"), "--steps", "1"],
        "card": ["card", str(SHEEP_MODEL), str(data)],
    }


@pytest.mark.parametrize("case", BAD_NPZ)
@pytest.mark.parametrize("command", ["draw", "evaluate", "encode", "reconstruct", "train", "card"])
def test_bad_dataset_files(case, command, tmp_path, capsys):
    if (case, command) == ("empty test split", "train"):
        pytest.skip("training reads train and valid only")
    data = BAD_NPZ[case](tmp_path / "bad.npz")
    if command == "card":  # card writes into its model folder: give it a copy
        shutil.copytree(SHEEP_MODEL, tmp_path / "model")
    argv = _data_commands(data, tmp_path)[command]
    if command == "card":
        argv[1] = str(tmp_path / "model")
    line = expect_one_line(argv, capsys, tmp_path, {p.name for p in tmp_path.iterdir()})
    assert "bad.npz" in line, line
    assert not Path("/tmp/latentlab_pwned").exists()


# ---- model folders -----------------------------------------------------------------------------------------

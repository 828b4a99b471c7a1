import json
import warnings
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.io.datasets import load_dataset
from latentlab.io.npz import load_npz
from latentlab.io.quickdraw import build_npz, drawing_conversion, drawing_to_stroke3, read_ndjson
from latentlab.io.strokes import to_polylines


def test_every_simplified_class_converts(shared):
    files = sorted((shared / "data/quickdraw/simplified").glob("*.ndjson"))
    assert len(files) == 344
    skipped: Counter = Counter()
    total = 0
    for f in files:
        drawings = list(read_ndjson(f, skipped))
        assert drawings, f
        total += len(drawings)
        for d in drawings:
            pts = np.concatenate(to_polylines(d.strokes))
            assert pts.min() >= 0 and pts.max() <= 255
            assert d.times is None
    assert total == 344 * 25 and not skipped


def test_simplified_records_keep_their_points(shared):
    line = (shared / "data/quickdraw/simplified/cat.ndjson").read_text().splitlines()[0]
    rec = json.loads(line)
    sketch, _ = drawing_to_stroke3(rec["drawing"])
    # already simplified and 0-255: conversion must reproduce the points exactly
    lines = to_polylines(sketch)
    assert len(lines) == len(rec["drawing"])
    x0 = min(min(s[0]) for s in rec["drawing"])
    y0 = min(min(s[1]) for s in rec["drawing"])
    extent = max(max(max(s[0]) for s in rec["drawing"]) - x0, max(max(s[1]) for s in rec["drawing"]) - y0)
    for line, stroke in zip(lines, rec["drawing"]):
        expected = np.round((np.array(stroke[:2]).T - [x0, y0]) * 255 / extent)
        np.testing.assert_array_equal(line, expected)


def test_raw_drawings_keep_point_times(shared):
    path = shared / "data/quickdraw/raw/cat.ndjson"
    drawings = list(read_ndjson(path))
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(drawings) == len(records)
    for d, rec in zip(drawings, records):
        assert d.raw and d.times is not None and len(d.times) == len(d.strokes)
        assert np.all(np.diff(d.times) >= 0)  # times only move forward
        unsimplified, times = drawing_to_stroke3(rec["drawing"], epsilon=0)
        pts = np.concatenate(to_polylines(unsimplified))
        assert pts.min() == 0 and pts.max() == 255  # aligned top-left, longest side 255
        assert len(d.strokes) <= len(unsimplified)
    raw_points = sum(len(s[0]) for s in json.loads(
        (shared / "data/quickdraw/raw/cat.ndjson").read_text().splitlines()[0])["drawing"])
    assert len(drawings[0].strokes) < raw_points  # RDP simplified


def test_bad_records_are_reported_with_file_and_line(tmp_path):
    f = tmp_path / "mixed.ndjson"
    good = {"word": "box", "key_id": "1", "drawing": [[[0, 10, 10], [0, 0, 10]]]}
    huge = {"word": "box", "key_id": "4", "drawing": [[[0, 1e308, 5], [0, 1, 2]]]}
    f.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"word": "box", "key_id": "2"}),
                            json.dumps({"word": "box", "key_id": "3", "drawing": [[[0, 1], [0]]]}),
                            json.dumps(huge)]) + "\n")
    skipped, report = Counter(), []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow on the way
        drawings = list(read_ndjson(f, skipped, report))
    assert [d.key_id for d in drawings] == ["1"]
    assert report == [f"{f}:2: invalid JSON", f"{f}:3: no 'drawing' field",
                      f"{f}:4: stroke 0: x, y (and t) differ in length",
                      f"{f}:5: stroke 0 has a coordinate of 1e+308 (at most 1e+06)"]


def test_build_dedups_splits_per_class_and_is_reproducible(shared, tmp_path):
    words = ["cat", "bicycle", "sheep"]
    inputs = [shared / f"data/quickdraw/{kind}/{w}.ndjson" for kind in ("simplified", "raw") for w in words]
    r1 = build_npz(inputs, tmp_path / "a.npz", seed=3)
    r2 = build_npz(inputs, tmp_path / "b.npz", seed=3)
    assert r1.duplicates > 0 and r1.classes == 3 and r2 == r1
    a, b = load_npz(tmp_path / "a.npz"), load_npz(tmp_path / "b.npz")
    np.testing.assert_array_equal(a["test_key_ids"], b["test_key_ids"])
    keys = np.concatenate([a[f"{s}_key_ids"] for s in ("train", "valid", "test")])
    assert len(keys) == len(set(keys)) == r1.drawings - r1.duplicates
    assert list(a["class_names"]) == sorted(words)
    for split in ("train", "valid", "test"):
        assert set(a[f"{split}_labels"]) == {0, 1, 2}  # every class in every split
    ds = load_dataset(tmp_path / "a.npz", quiet=True)
    assert set(ds["test"].label_names()) == set(words)
    timed = [t for t in a["train_times"] if len(t)]
    assert timed and all(len(t) == len(s) for t, s in zip(a["train_times"], a["train"]) if len(t))


def test_build_is_atomic_on_failure(shared, tmp_path, monkeypatch):
    import latentlab.io.npz as npz

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(npz.np.lib.format, "write_array", boom)  # interrupted while writing the first member
    with pytest.raises(KeyboardInterrupt):
        build_npz([shared / "data/quickdraw/simplified/cat.ndjson"], tmp_path / "out.npz")
    assert list(tmp_path.iterdir()) == []


def test_cli_build_reports_and_errors(shared, tmp_path):
    bad = tmp_path / "bad.ndjson"
    bad.write_text("{oops\n")
    out = tmp_path / "x.npz"
    res = subprocess.run([sys.executable, "-m", "latentlab", "data", "build",
                          str(shared / "data/quickdraw/simplified/cat.ndjson"), str(bad), "-o", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "skipped 1 records: 1 x invalid JSON" in res.stdout and f"{bad}:1: invalid JSON" in res.stdout
    assert out.is_file()
    res = subprocess.run([sys.executable, "-m", "latentlab", "data", "build", str(bad), "-o",
                          str(tmp_path / "x2.npz")], capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "no usable drawings" in res.stderr


def test_expand_inputs_rejects_missing(tmp_path):
    with pytest.raises(LatentlabError, match="no such file or folder"):
        build_npz([tmp_path / "nope.ndjson"], tmp_path / "o.npz")


def test_drawing_conversion_finds_how_sketches_were_made(quickdraw_mini_npz, sheep):
    mini = drawing_conversion(load_dataset(quickdraw_mini_npz, quiet=True)["test"].sketches)
    assert mini["first_point"] == "offset" and mini["side"] == 255 and mini["rdp_epsilon"] >= 1.0
    ours = drawing_conversion(sheep["test"].sketches)  # magenta's lines_to_strokes: the first point is the origin
    assert ours["first_point"] == "origin" and 200 < ours["side"] < 280 and ours["rdp_epsilon"] < 1.0


def test_a_model_s_classes_in_one_command_and_what_encoding_leaves_out(shared, tmp_path, monkeypatch, capsys):
    """`data quickdraw --classes-of latentlab/quickdraw28`, offline, builds the drawings `build_classes_npz` builds,
    says which are too long for the model, and the store and its explorer say how many were left out."""
    from latentlab.cli.main import main
    from latentlab.io.npz import load_npz
    from latentlab.io.quickdraw import build_classes_npz
    from latentlab.model.layout import read_info
    from latentlab.model.runtime import SketchRNN
    from latentlab.explorer.pagedata import left_out
    from latentlab.store import LatentStore, encode_to_store
    from helpers import MODELS, QUICKDRAW

    monkeypatch.setenv("LATENTLAB_MIRROR", "http://127.0.0.1:9")  # no network: the offline copy
    monkeypatch.setenv("LATENTLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LATENTLAB_SHARED", str(shared))
    assert main(["data", "quickdraw", "--classes-of", "latentlab/quickdraw28", "-o", str(tmp_path / "qd.npz")]) == 0
    out = capsys.readouterr().out
    assert "30 drawings longer than max_seq_len 96 (encoding leaves them out): ambulance 2," in out
    build_classes_npz(QUICKDRAW, read_info(MODELS / "quickdraw28")["classes"], tmp_path / "demo.npz")
    mine, demo = load_npz(tmp_path / "qd.npz"), load_npz(tmp_path / "demo.npz")
    assert len(mine["test"]) == len(demo["test"]) == 759
    assert all(np.array_equal(a, b) for a, b in zip(mine["test"], demo["test"]))
    assert np.array_equal(mine["test_labels"], demo["test_labels"])
    assert main(["data", "quickdraw", "cat", "--kind", "raw", "--fractions", "0.8,0.1,0.1", "-o",
                 str(tmp_path / "cat.npz")]) == 0
    assert "split sizes: train" in capsys.readouterr().out
    store = LatentStore(encode_to_store(SketchRNN.load("latentlab/quickdraw28"), [tmp_path / "qd.npz"],
                                        tmp_path / "z.h5", splits=["test"], progress=False))
    assert len(store) == 729 and store.provenance["left_out"] == [30] and store.provenance["max_seq_len"] == 96
    assert left_out(store) == "30 left out (over max_seq_len 96)"  # what the explorer's status line says

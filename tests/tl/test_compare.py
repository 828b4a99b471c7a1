"""Model against model on the same sketches: linear CKA, shared neighbours and class naming, with the sanity
checks of the measures (a space against itself, against a rotation of itself) and the refusals."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from latentlab import tl
from latentlab.cli.main import main
from latentlab.errors import LatentlabError
from latentlab.store import LatentStore, encode_to_store


def _copy(store, path):
    shutil.copy(store.path, path)
    return LatentStore(path)


def test_a_store_against_itself_and_a_rotated_copy_of_itself_is_1(planted, tmp_path):
    store = planted[0]
    same = tl.compare(store, store)
    assert same["linear_cka"] == pytest.approx(1.0) and same["mutual_knn10"] == 1.0
    assert same["separation_a"] == same["separation_b"] and same["rows"] == len(store)
    rotated = _copy(store, tmp_path / "rotated.h5")
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(128, 128)))
    rotated.write("obsm/mu", (store.vectors("mu") @ q * 3.0).astype(np.float32))  # rotated and scaled
    turned = tl.compare(store, rotated)
    assert turned["linear_cka"] == pytest.approx(1.0, abs=1e-5) and turned["mutual_knn10"] >= 0.99
    shuffled = _copy(store, tmp_path / "shuffled.h5")
    shuffled.write("obsm/mu", store.vectors("mu")[np.random.default_rng(1).permutation(len(store))])
    assert tl.compare(store, shuffled)["linear_cka"] < 0.2  # the same vectors on the wrong sketches


def test_stores_of_other_sketches_are_refused(planted, sheep_model, tmp_path, capsys):
    from helpers.sketchfiles import npz

    other = encode_to_store(sheep_model, [npz(tmp_path / "few.npz", planted[0].sketches(range(5)))],
                            tmp_path / "few.h5", splits=["test"], progress=False)
    assert main(["compare", str(planted[0].path), str(other)]) == 2
    err = capsys.readouterr().err
    assert "hold different" in err and len(err.strip().splitlines()) == 1
    moved = _copy(planted[0], tmp_path / "moved.h5")
    with moved.edit("move a point") as e:  # the same record, other points
        e.dataset("strokes/points")[0, 0] += 7
    with pytest.raises(LatentlabError, match="row 0 .* hold different points"):
        tl.compare(planted[0], moved)


def test_quickdraw28_against_quickdraw_mini_on_the_real_drawings(planted, mini_model, tmp_path, capsys):
    store = planted[0]
    mini = encode_to_store(mini_model, [store.path.with_suffix(".npz")], tmp_path / "mini.h5", splits=["test"],
                           progress=False)
    assert main(["compare", str(store.path), str(mini), "-o", str(tmp_path / "maps.png")]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    print(result)
    assert result["rows"] == len(store) - result["only_a"] and 0.1 < result["linear_cka"] < 0.9
    assert result["separation_a"] > result["separation_b"] + 0.15  # quickdraw28 was trained to name its classes
    assert (tmp_path / "maps.png").stat().st_size > 20_000

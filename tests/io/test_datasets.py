import io
import pickle
import time
import zipfile

import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.io.datasets import load_dataset
from latentlab.train.batches import augment, length_buckets
from latentlab.io.npz import load_npz


def test_aaron_sheep_splits(sheep):
    assert {k: len(v) for k, v in sheep.splits.items()} == {"train": 7400, "valid": 300, "test": 300}
    assert sheep.max_seq_len == 250
    assert all(s.dtype == np.float32 and s.shape[1] == 3 for s in sheep["test"].sketches)


def test_drops_long_sketches_and_reports(capsys, shared):
    ds = load_dataset(shared / "data/sketchrnn/aaron_sheep.npz", max_seq_len=100)
    out = capsys.readouterr().out
    test = ds["test"]
    assert test.dropped > 0 and f"dropped {test.dropped} of 300" in out
    assert max(test.lengths) <= 100
    assert len(test) + test.dropped == 300
    # the index still points into the file's own split
    raw = load_npz(shared / "data/sketchrnn/aaron_sheep.npz")["test"]
    np.testing.assert_array_equal(raw[test.index[5]], test.sketches[5])


class _Evil:
    def __reduce__(self):
        return (exec, ("open('PWNED_MARKER', 'w').write('x')",))


def _write_npz(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as z:
        for name, blob in members.items():
            z.writestr(name + ".npy", blob)


def _npy(array) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=True)
    return buf.getvalue()


def test_malicious_pickle_is_refused_and_runs_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    evil = header.getvalue() + pickle.dumps(_Evil(), protocol=2)
    path = tmp_path / "evil.npz"
    _write_npz(path, {"train": evil, "valid": evil, "test": evil})
    with pytest.raises(LatentlabError, match=r"evil\.npz \[(train|valid|test)\]: unsafe.*builtin_*s?\.exec"):
        load_dataset(path)
    assert not (tmp_path / "PWNED_MARKER").exists()
    # sanity: numpy's own loader with pickles enabled *would* run it
    np.load(path, allow_pickle=True)["train"]
    assert (tmp_path / "PWNED_MARKER").exists()


def _objects(*sketches):
    out = np.empty(len(sketches), dtype=object)
    out[:] = list(sketches)
    return out


GOOD = np.array([[1, 2, 0], [3, 4, 1]], np.int16)


@pytest.mark.parametrize("bad, message", [
    (np.array([[1.0, np.nan, 0]], np.float32), r"\[test\]\[1\]: contains NaN"),
    (np.zeros((0, 3), np.int16), r"\[test\]\[1\]: empty sketch"),
    (np.zeros((4, 2), np.int16), r"\[test\]\[1\]: expected shape \(n, 3\)"),
    (np.array([["a", "b", "c"]]), r"\[test\]\[1\]: expected a numeric dtype"),
])
def test_malformed_sketches_name_file_key_and_record(tmp_path, bad, message):
    path = tmp_path / "bad.npz"
    np.savez(path, train=_objects(GOOD), valid=_objects(GOOD), test=_objects(GOOD, bad))
    with pytest.raises(LatentlabError, match=r"bad\.npz " + message):
        load_dataset(path)


def test_missing_split_and_non_npz(tmp_path):
    path = tmp_path / "nosplit.npz"
    np.savez(path, train=_objects(GOOD), test=_objects(GOOD))
    with pytest.raises(LatentlabError, match=r"nosplit\.npz: missing split\(s\) valid"):
        load_dataset(path)
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(LatentlabError, match="not an .npz file"):
        load_dataset(text)
    with pytest.raises(LatentlabError, match="no such file"):
        load_dataset(tmp_path / "absent.npz")


def test_augment_merges_points_like_magenta(sheep):
    rng = np.random.default_rng(0)
    sketch = sheep["train"].sketches[0]
    same = augment(sketch, rng, 0.0, 0.0)
    np.testing.assert_array_equal(same, sketch)
    dropped = augment(sketch, rng, 0.0, 0.5)
    assert len(dropped) < len(sketch)
    # merging keeps the drawing: total offset and the pen lifts are unchanged
    np.testing.assert_allclose(dropped[:, :2].sum(0), sketch[:, :2].sum(0), rtol=1e-5)
    assert dropped[:, 2].sum() == sketch[:, 2].sum()


def test_length_buckets_cover_each_sketch_once_per_epoch(sheep):
    lengths = sheep["train"].lengths
    gen = length_buckets(lengths, 100, 10, np.random.default_rng(0))
    batches = [next(gen) for _ in range(74)]
    seen = np.concatenate(batches)
    assert len(np.unique(seen)) == len(seen) == 7400
    spread = np.mean([lengths[b].max() - lengths[b].min() for b in batches])
    assert spread < 40  # random batches of 100 span ~200 points


def test_one_sketch_referenced_a_million_times_is_refused_in_one_line_at_once(tmp_path, capsys):
    from latentlab.cli.main import main

    sketch = np.tile(GOOD, (50, 1))
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, train=_objects(*[sketch] * 10 ** 6), valid=_objects(GOOD), test=_objects(GOOD))
    assert path.stat().st_size < 3_000_000
    t0 = time.perf_counter()
    with pytest.raises(LatentlabError, match=r"bomb\.npz \[train\]: its arrays expand to 600,000,000 bytes"):
        load_dataset(path)
    assert time.perf_counter() - t0 < 10
    assert main(["encode", "latentlab/aaron_sheep", str(path), "-o", str(tmp_path / "z.h5")]) == 2
    err = capsys.readouterr().err
    assert "referenced many times" in err and len(err.strip().splitlines()) == 1
    assert time.perf_counter() - t0 < 20 and not (tmp_path / "z.h5").exists()

"""Property-based fuzzing of what users bring: damaged stores, option values, names.

Every run ends in exit 0 with a valid result, or exit 2 with one line that names the file or the option --
never a traceback -- and what the user gave stays as it was.  Seeded (``derandomize``), so a run is the same
every time; the inputs that once failed are kept as ``@example``s.
"""
from __future__ import annotations

import shutil

import h5py
import pytest
import numpy as np
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from latentlab.cli import main
from latentlab.io.digest import file_sha256
from latentlab.store import LatentStore

from helpers import SHEEP

pytestmark = pytest.mark.slow

FUZZ = dict(derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
INTS = ["0", "-1", "1", "3", "2147483648", "9" * 30, "nan", "inf", "1e300", "abc", "", "1.5", " 7"]
FLOATS = ["0", "-0.0", "-1", "1e-300", "0.5", "10", "10.5", "1e300", "nan", "inf", "-inf", "abc", ""]


def run(argv: list[str], capsys) -> tuple[int, str]:
    """Exit status and stderr of one command; any exception but a clean exit fails the test (a traceback)."""
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse: a usage error
        rc = exc.code
    return rc, capsys.readouterr().err


def assert_clean_refusal(err: str, *names: str) -> None:
    lines = err.strip().splitlines()
    assert "Traceback" not in err and lines, err
    if lines[0].startswith("usage:"):  # argparse: the usage, then one line naming the option
        assert "error: argument" in lines[-1] and any(n in lines[-1] for n in names), err
    else:
        assert len(lines) == 1 and lines[0].startswith("latentlab: error:"), err
        assert any(n in lines[0] for n in names), err


# ---- damaged stores --------------------------------------------------------------------------------------

def _replace(f: h5py.File, key: str, value) -> None:
    del f[key]
    f[key] = value


def mutate(f: h5py.File, key: str, kind: str, value: float) -> None:
    """One damage of dataset ``key`` (or of a root attribute, ``kind == "attr"``)."""
    ds = f[key]
    data = np.atleast_1d(np.asarray(ds[()]))  # a scalar (a provenance value, a parameter) as one row
    if kind == "value" and data.size:
        flat = data.reshape(-1).copy()
        if data.dtype.kind in "OSU":  # text (a provenance value): the number as text
            flat[len(flat) // 2] = str(value).encode()
        else:
            flat[len(flat) // 2] = value if data.dtype.kind == "f" else (int(value) if np.isfinite(value) else -1)
        ds[...] = flat.reshape(ds.shape)
    elif kind == "short":
        _replace(f, key, data[:-1])
    elif kind == "long":
        _replace(f, key, np.concatenate([data, data[-1:]]) if data.ndim and len(data) else data)
    elif kind == "columns" and data.ndim:
        _replace(f, key, data[:, :1] if data.ndim == 2 else data[:, None])
    elif kind == "strings":
        _replace(f, key, np.array(["x"] * (len(data) if data.ndim else 1), dtype=object).astype("S"))
    elif kind == "delete":
        del f[key]
    elif kind == "empty":
        _replace(f, key, np.zeros(0, data.dtype))


def _datasets(path) -> list[str]:
    found: list[str] = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Dataset) else None)
    return sorted(found)


def _attr_damage(f: h5py.File, name: str, value) -> None:
    del f[f"uns/latentlab/{name}"]
    f[f"uns/latentlab/{name}"] = value


STORE_COMMANDS = {
    "report": lambda p, out: ["report", str(p), "--basis", "pca", "-o", str(out / "r.html")],
    "neighbours of a row": lambda p, out: ["neighbors", str(p), "--query", "0", "-k", "3"],
    "project": lambda p, out: ["project", str(p), "--method", "pca", "--n-components", "2"],
    "interpolate": lambda p, out: ["interpolate", str(p), "0", "1", "--steps", "3", "--greedy", "-o",
                                   str(out / "s.png")],
}
READ_ONLY = {"report", "neighbours of a row", "interpolate"}


@settings(max_examples=40, **FUZZ)
@given(data=st.data())
@example(data=None)  # the families that once passed the open-time check and crashed a reader
def test_a_damaged_store_is_refused_in_one_line_or_read_correctly(full_store, tmp_path_factory, capsys, data):
    keys = _datasets(full_store)
    with h5py.File(full_store, "r") as f:
        attrs = sorted(f["uns/latentlab"])
    if data is None:
        cases = [("obsm/X_pca", "value", np.nan), ("obsm/X_pca", "columns", 0), ("obs/Lr", "short", 0),
                 ("uns/knn/indices", "value", 10_000.0), ("uns/decoded/greedy/points", "delete", 0)]
        attr_case = ("model_dir", np.int64(3))
    else:
        cases = [(data.draw(st.sampled_from(keys), "key"),
                  data.draw(st.sampled_from(["value", "short", "long", "columns", "strings", "delete", "empty"])),
                  data.draw(st.sampled_from([np.nan, np.inf, -np.inf, 1e38, -1.0, 300.0, 2.0 ** 40])))]
        attr_case = (data.draw(st.sampled_from(attrs)), data.draw(st.sampled_from(
            [np.int64(3), "[1, 2", np.array([1.0, 2.0]), "", "{}", np.float64(np.nan)])))
    for damage in cases + [("attr",) + attr_case]:
        out = tmp_path_factory.mktemp("fuzz")
        path = out / "z.h5"
        shutil.copy(full_store, path)
        with h5py.File(path, "r+") as f:
            _attr_damage(f, *damage[1:]) if damage[0] == "attr" else mutate(f, *damage)
        for name, argv in STORE_COMMANDS.items():
            before = file_sha256(path)
            rc, err = run(argv(path, out), capsys)
            assert rc in (0, 2), (damage, name, rc, err)
            if rc == 2:
                assert_clean_refusal(err, str(path))
                assert file_sha256(path) == before, (damage, name)
            else:
                LatentStore(path).close()  # what it wrote (or left) still opens
                if name in READ_ONLY:
                    assert file_sha256(path) == before, (damage, name)


# ---- option values ---------------------------------------------------------------------------------------

def _commands(store, out) -> dict[str, tuple[list[str], list[str]]]:
    """Per command: its argv with ``{}`` where the fuzzed option's value goes, and the value pool."""
    s = str(store)
    return {
        "project --n-components": (["project", s, "--method", "pca", "--n-components", "{}"], INTS),
        "neighbors -k": (["neighbors", s, "--query", "0", "-k", "{}"], INTS),
        "neighbors --query": (["neighbors", s, "--query", "{}"], INTS),
        "report --max-points": (["report", s, "--basis", "pca", "--max-points", "{}", "-o", str(out / "r.html")],
                                INTS),
        "report --n-neighbors": (["report", s, "--basis", "pca", "--n-neighbors", "{}", "-o", str(out / "r.html")],
                               INTS),
        "report --seed": (["report", s, "--basis", "pca", "--seed", "{}", "-o", str(out / "r.html")], INTS),
        "interpolate --steps": (["interpolate", s, "0", "1", "--greedy", "--steps", "{}", "-o",
                                 str(out / "s.png")], INTS),
        "interpolate j": (["interpolate", s, "0", "{}", "--greedy", "--steps", "3", "-o", str(out / "s.png")],
                          INTS),
        "interpolate --temperature": (["interpolate", s, "0", "1", "--steps", "3", "--temperature", "{}", "-o",
                                       str(out / "s.png")], FLOATS),
        "decode --temperature": (["decode", s, "--temperature", "{}"], FLOATS),
        "sample -n": (["sample", "latentlab/aaron_sheep", "-n", "{}", "-o", str(out / "g.png")], INTS),
        "sample --temperature": (["sample", "latentlab/aaron_sheep", "-n", "2", "--temperature", "{}", "-o",
                                  str(out / "g.png")], FLOATS),
    }


@settings(max_examples=60, **FUZZ)
@given(data=st.data())
@example(data=("interpolate --steps", "9" * 30))
@example(data=("interpolate --temperature", "1e300"))
@example(data=("decode --temperature", "inf"))
@example(data=("report --n-neighbors", "2147483648"))
def test_every_option_value_is_used_or_refused_in_one_line(full_store, tmp_path_factory, capsys, data):
    out = tmp_path_factory.mktemp("opts")
    store = out / "z.h5"
    shutil.copy(full_store, store)
    commands = _commands(store, out)
    if isinstance(data, tuple):
        name, value = data
    else:
        name = data.draw(st.sampled_from(sorted(commands)), "option")
        value = data.draw(st.sampled_from(commands[name][1]), "value")
    template, _ = commands[name]
    before = file_sha256(store)
    rc, err = run([value if a == "{}" else a for a in template], capsys)
    assert rc in (0, 2), (name, value, rc, err)
    option = name.split()[-1]
    if rc == 2:
        assert_clean_refusal(err, option, str(store), value)
        assert file_sha256(store) == before
    else:
        LatentStore(store).close()


# ---- names -----------------------------------------------------------------------------------------------

NAMES = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=80) | st.sampled_from(
    ["a/b", "..", "x.y", "nul\x00", "tab\t", "é", "x" * 65, "-lead", "ok_name-1"])


@settings(max_examples=40, **FUZZ)
@given(key=NAMES)
@example(key="a/b")
def test_a_key_name_is_used_as_given_or_refused_before_any_work(full_store, tmp_path_factory, capsys, key):
    out = tmp_path_factory.mktemp("keys")
    store = out / "z.h5"
    shutil.copy(full_store, store)
    before = file_sha256(store)
    rc, err = run(["project", str(store), "--method", "pca", "--n-components", "2", "--key-added", key], capsys)
    assert rc in (0, 2), (key, rc, err)
    if rc == 2:
        assert_clean_refusal(err, "key_added", "--key-added")
        assert file_sha256(store) == before
    else:
        with LatentStore(store) as s:
            assert s.has(f"obsm/X_{key}") or s.has(f"obsm/{key}")


@settings(max_examples=25, **FUZZ)
@given(names=st.lists(NAMES, min_size=1, max_size=3))
@example(names=["sh\x00eep"])
def test_class_names_are_stored_as_given_or_refused_before_any_work(sheep_model, tmp_path_factory, capsys, names):
    from latentlab.io.npz import load_npz, save_npz

    out = tmp_path_factory.mktemp("names")
    raw = load_npz(SHEEP)
    arrays = {split: raw[split][:6] for split in ("train", "valid", "test")}
    arrays.update(test_labels=np.arange(6, dtype=np.int32) % len(names), class_names=np.array(names))
    data = save_npz(out / "in.npz", arrays)
    rc, err = run(["encode", "latentlab/aaron_sheep", str(data), "-o", str(out / "z.h5")], capsys)
    assert rc in (0, 2), (names, rc, err)
    if rc == 2:
        assert_clean_refusal(err, str(data))
        assert not (out / "z.h5").exists() and not (out / "z.h5.parts").exists()
    else:
        with LatentStore(out / "z.h5") as s:  # as numpy gave them back (a trailing NUL is not kept)
            assert set(s.class_names) == {str(c) for c in np.array(names)[np.arange(6) % len(names)]}

"""The tiled explorer's folder is the tool's own: a folder it did not write is refused untouched, one writer at a
time, and a rewrite killed at any point leaves the explorer it replaces whole (or the new one, once swapped in)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from latentlab.cli.main import main
from latentlab.lock import store_lock
from latentlab.explorer.tiled import MARKER, write_tiled

CLI = [sys.executable, "-m", "latentlab"]
QUIET = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # the same system calls in every run: no .pyc written


def _tree(folder) -> dict:
    """Every file under ``folder`` (dotfiles included) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_latentlab_did_not_write_is_refused_and_left_as_it_was(store, tmp_path, capsys, monkeypatch):
    mine = tmp_path / "mine"
    for name, text in (("index.html", "<p>my page</p>"), ("rows/notes.txt", "notes"), ("search/data.csv", "a,b"),
                       ("model.bin", "weights"), ("tiles_photos/cat.jpg", "jpeg")):
        (mine / name).parent.mkdir(parents=True, exist_ok=True)
        (mine / name).write_text(text)
    before = _tree(mine)
    assert main(["report", str(store.path), "-o", str(mine), "--tile-capacity", "64"]) == 2
    err = capsys.readouterr().err
    assert f"{mine}: a folder latentlab did not write" in err and len(err.strip().splitlines()) == 1
    assert _tree(mine) == before and sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    (tmp_path / "file").write_text("x")
    assert main(["report", str(store.path), "-o", str(tmp_path / "file"), "--tile-capacity", "64"]) == 2
    assert "not a folder" in capsys.readouterr().err
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")  # the folder a shell stands in is never swapped away
    for folder in (".", str(tmp_path)):
        assert main(["report", str(store.path), "-o", folder, "--tile-capacity", "64"]) == 2
        assert "holds the current folder" in capsys.readouterr().err
    assert not any((tmp_path / "here").iterdir())


def test_an_explorer_is_rewritten_whole_with_its_marker_and_nothing_left_beside_it(store, tmp_path):
    out = write_tiled(store, tmp_path / "ex", capacity=64)
    marker = json.loads((out / MARKER).read_text())
    assert marker["written_by"] == "latentlab" and marker["rows"] == len(store) and len(marker["store_sha256"]) == 64
    first = _tree(out)
    write_tiled(store, out, capacity=128)
    second = _tree(out)
    assert set(first) != set(second)  # other tiles: none of the first write's is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex"]  # no staging folder, no lock file
    (tmp_path / "empty").mkdir()
    assert (write_tiled(store, tmp_path / "empty", capacity=64) / MARKER).is_file()


def test_a_second_writer_refuses_in_one_line(store, tmp_path, capsys):
    out = write_tiled(store, tmp_path / "ex", capacity=64)
    before = _tree(out)
    with store_lock(out, wait=False, what="report"):  # another `latentlab report` writing this folder
        assert main(["report", str(store.path), "-o", str(out), "--tile-capacity", "128"]) == 2
    err = capsys.readouterr().err
    assert "is being written by `latentlab report`" in err and len(err.strip().splitlines()) == 1
    assert _tree(out) == before


def _syscalls(argv: list[str], log) -> list[str]:
    res = subprocess.run(["strace", "-qq", "-o", str(log), "-e", "trace=write,renameat2,unlinkat", *argv],
                         capture_output=True, text=True, env=QUIET)
    assert res.returncode == 0, res.stderr[-2000:]
    return [line.split("(", 1)[0] for line in log.read_text().splitlines() if "(" in line]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt-get install strace)")
def test_sigkill_at_any_point_of_a_rewrite_leaves_one_whole_explorer(store, tmp_path):
    """SIGKILL at chosen system calls of `report -o` over an existing explorer (strace's fault injection, on the
    main thread, which writes the folder): before the swap the old explorer is there byte for byte, after it the
    new one; the next run completes."""
    out = tmp_path / "ex"
    argv = [*CLI, "report", str(store.path), "-o", str(out), "--tile-capacity", "128"]
    write_tiled(store, out, capacity=64)
    calls = _syscalls(argv, tmp_path / "trace")  # a clean rewrite, for the order of its calls
    new = {k: v for k, v in _tree(out).items() if k not in ("index.html", MARKER)}
    swap = calls.index("renameat2") if "renameat2" in calls else len(calls)
    writes = [i for i, c in enumerate(calls) if c == "write" and i < swap]
    points = sorted({writes[0], writes[len(writes) // 2], writes[-1], swap, swap + 1,
                     next(i for i in range(swap + 1, len(calls)) if calls[i] == "unlinkat")})
    for point in points:
        write_tiled(store, out, capacity=64)
        old = _tree(out)
        name = calls[point]
        when = calls[:point + 1].count(name)
        res = subprocess.run(["strace", "-qq", "-o", "/dev/null", "-e", f"trace={name}",
                              "-e", f"inject={name}:signal=SIGKILL:when={when}", *argv], capture_output=True, env=QUIET)
        assert res.returncode != 0, point
        now = _tree(out)
        if point <= swap:  # renameat2 itself is killed on entry: not swapped
            assert now == old, f"killed at {name} #{when} before the swap: the old explorer changed"
        else:
            assert {k: v for k, v in now.items() if k not in ("index.html", MARKER)} == new, point
    assert subprocess.run(argv, capture_output=True).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex", "trace"]

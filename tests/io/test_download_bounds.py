"""Downloads are bounded and verified: a server that sends too much, too slowly or nothing at all costs one line
and exit 2, at most the cap on disk, little memory, and leaves nothing behind; a cached file is re-checked on
every use."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from latentlab.io.digest import file_sha256
from latentlab.io.cache import record_path
from latentlab.io.download import DownloadError, catalog, download
from latentlab.model.zoo import model_path
from helpers.mirror import host_path

GEN = "sketchrnn-js/bird.gen"
# Runs one command and says its peak resident memory (VmHWM, kB: this process's own, not its parent's before exec)
# on its last line of stderr.
MEASURED = ("import re, sys\nfrom latentlab.cli.main import main\nrc = main(sys.argv[1:])\n"
            "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]\n"
            "print('maxrss', peak, file=sys.stderr)\nsys.exit(rc)")


def _url(key: str, **kw) -> str:
    return catalog()["urls"][key].format(**kw)


@pytest.fixture(scope="module")
def tree(tmp_path_factory, shared):
    """A mirror tree holding bird.gen.json (the offline copy of the published file)."""
    root = tmp_path_factory.mktemp("mirror")
    target = root / host_path(_url("sketchrnn-js", name="bird.gen")).lstrip("/")
    target.parent.mkdir(parents=True)
    shutil.copy(shared / "models/sketch-rnn-js/bird.gen.json", target)
    return root


def _files(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _cli(*argv: str, timeout: float = 120) -> tuple[int, str, int, float]:
    """(exit code, stderr without the memory line, peak memory in MB, seconds) of ``latentlab ARGV``."""
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", MEASURED, *argv], capture_output=True, text=True, timeout=timeout)
    *lines, last = res.stderr.strip().splitlines()
    assert last.startswith("maxrss"), res.stderr[-2000:]
    return res.returncode, "\n".join(lines), int(last.split()[1]) // 1024, time.perf_counter() - t0


@pytest.mark.parametrize("fault, message", [("endless", "sent more than the 2,997,382 bytes this file may have"),
                                            ("huge", "announces 2,147,483,648 bytes")])
def test_a_body_past_the_cap_is_abandoned_in_one_line(server, tmp_path, fault, message):
    server.faults[host_path(_url("sketchrnn-js", name="bird.gen"))] = fault
    code, err, mb, seconds = _cli("models", "fetch", GEN)
    assert code == 2 and message in err and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert seconds < 90 and mb < 500, (seconds, mb)
    assert _files(tmp_path / "cache") == []  # nothing kept, no temporary file left


def test_a_trickle_and_a_stall_are_abandoned_without_retries(server, tmp_path):
    path = host_path(_url("sketchrnn-js", name="bird.gen"))
    server.faults[path] = "trickle"
    server.server.slow_s = 0.05  # 20 bytes/s: never silent for `timeout`, far below 1 kB/s
    t0 = time.perf_counter()
    with pytest.raises(DownloadError, match=r"slower than 1,024 bytes/s over [12] s"):
        download(_url("sketchrnn-js", name="bird.gen"), tmp_path / "cache/bird.gen.json", timeout=1, progress=False)
    assert time.perf_counter() - t0 < 5
    server.faults[path] = "stall"
    t0 = time.perf_counter()
    with pytest.raises(DownloadError, match="timed out"):
        download(_url("sketchrnn-js", name="bird.gen"), tmp_path / "cache/bird.gen.json", timeout=1, progress=False)
    assert time.perf_counter() - t0 < 3 and server.hits[path] == 2  # one attempt each: no retry of a stall
    assert _files(tmp_path / "cache") == []


@pytest.mark.slow
def test_a_stall_with_the_default_timeout_ends_within_90_s(server, tmp_path):
    server.faults[host_path(_url("sketchrnn-js", name="bird.gen"))] = "stall"
    code, err, mb, seconds = _cli("models", "fetch", GEN)
    assert code == 2 and "timed out" in err and len(err.splitlines()) == 1, err
    assert 29 < seconds < 90 and _files(tmp_path / "cache") == []


def test_sigterm_during_a_download_leaves_nothing_and_a_killed_one_is_cleaned_next_time(server, tmp_path):
    server.faults[host_path(_url("sketchrnn-js", name="bird.gen"))] = "trickle"
    server.server.slow_s = 0.2
    proc = subprocess.Popen([sys.executable, "-m", "latentlab", "models", "fetch", GEN], stderr=subprocess.PIPE,
                            text=True)
    folder = tmp_path / "cache/models/sketchrnn-js"
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".download") for p in folder.glob(".*")):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 130 and "interrupted" in proc.stderr.read()
    assert [p.name for p in folder.iterdir()] == []  # its temporary file and lock are gone
    (folder / ".bird.gen.json.4242.download").write_bytes(b"[")  # as a SIGKILL leaves it
    server.faults.clear()
    assert model_path(GEN) == folder / "bird.gen.json"
    assert sorted(p.name for p in folder.iterdir()) == [".bird.gen.json.sha256.json", "bird.gen.json"]


def test_plain_http_is_refused():
    with pytest.raises(DownloadError, match="https only"):
        download("http://example.org/x.json", "/nonexistent/x.json")
    urls = catalog()["urls"]
    assert all(u.startswith("https://") for u in urls.values()) and set(catalog()["limits"]) == set(urls)


def test_a_cached_file_changed_later_is_detected_and_fetched_again(server, tmp_path, shared, capfd):
    url_path = host_path(_url("sketchrnn-js", name="bird.gen"))
    path = model_path(GEN)
    published = file_sha256(shared / "models/sketch-rnn-js/bird.gen.json")
    assert json.loads(record_path(path).read_text())["bird.gen.json"]["sha256"] == published
    with open(path, "r+b") as fh:  # truncated (a full disk, a copy cut short)
        fh.truncate(1000)
    assert model_path(GEN) == path and file_sha256(path) == published and server.hits[url_path] == 2
    assert "bird.gen.json is 1,000 bytes" in capfd.readouterr().err
    path.unlink()
    (tmp_path / "note.txt").write_text("not a model")
    os.symlink(tmp_path / "note.txt", path)  # a link planted in the cache
    assert model_path(GEN) == path and not path.is_symlink() and file_sha256(path) == published
    assert server.hits[url_path] == 3
    path.write_bytes(path.read_bytes().replace(b'"bird"', b'"bard"'))  # same size, other bytes
    assert model_path(GEN) == path and file_sha256(path) == published and server.hits[url_path] == 4


@pytest.mark.skipif(shutil.which("chattr") is None, reason="chattr (e2fsprogs) is not installed")
def test_a_cache_that_cannot_be_written_serves_what_it_holds(server, tmp_path, monkeypatch):
    path = model_path(GEN)
    folder = path.parent
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable folders")
    try:  # not even root can create a lock file in it now
        with pytest.raises(OSError):
            (folder / "probe").write_text("x")
        monkeypatch.setenv("LATENTLAB_MIRROR", "http://127.0.0.1:9")
        assert model_path(GEN) == path
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def _bomb(path, size: int) -> None:
    """A magenta-style zip whose checkpoint member inflates to ``size`` bytes of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("aaron_sheep/lstm/model_config.json", "{}")
        with z.open("aaron_sheep/lstm/vector-1.data-00000-of-00001", "w", force_zip64=True) as member:
            for _ in range(size >> 20):
                member.write(bytes(1 << 20))


@pytest.mark.parametrize("size, why", [(300 << 20, "would inflate to 314,572,800 bytes"),
                                       (20 << 20, "would inflate to 20,971,520 bytes")])
def test_a_zip_bomb_is_refused_unread_and_not_cached(server, tree, tmp_path, size, why):
    archive = tree / host_path(_url("magenta")).lstrip("/")
    archive.parent.mkdir(parents=True, exist_ok=True)
    _bomb(archive, size)
    try:
        code, err, mb, seconds = _cli("models", "fetch", "magenta/aaron_sheep/lstm")
    finally:
        archive.unlink()
    assert code == 2 and why in err and "times its compressed size" in err and len(err.splitlines()) == 1, err
    assert mb < 500 and seconds < 90
    assert _files(tmp_path / "cache") == []

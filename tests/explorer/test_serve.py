"""`latentlab serve` serves the explorer's folder and nothing else: no file outside it, no listing, no dotfile,
no foreign Host, no traceback, and a bounded number of threads."""
from __future__ import annotations

import http.client
import os
import socket
import threading
import time

import pytest

from helpers.tiled import served


@pytest.fixture
def folder(tmp_path):
    """A served folder with a page, a subfolder, staging files, and links planted inside and out."""
    root = tmp_path / "ex"
    (root / "tiles" / "0").mkdir(parents=True)
    (root / "index.html").write_text("<p>explorer</p>")
    (root / "tiles" / "0" / "0-0.bin").write_bytes(b"\x01\x02")
    (root / ".parts").mkdir()
    (root / ".parts" / "plan.json").write_text('{"store": "/home/someone/secret.h5"}')
    (root / ".latentlab-explorer.json").write_text("{}")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the page")
    os.symlink(secret, root / "leak")
    os.symlink("/", root / "rootlink")
    os.symlink(root / "tiles", root / "alias")  # a link that stays inside is served
    os.symlink(root / ".parts" / "plan.json", root / "plan")  # a link into a dotfile is not
    return root


def _get(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    port = int(url.rsplit(":", 1)[1].strip("/"))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=bool(host), skip_accept_encoding=True)
    if host:
        conn.putheader("Host", host)
    conn.endheaders()
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, body


def test_only_files_inside_the_folder_are_served(folder):
    with served(folder) as url:
        assert _get(url, "/") == (200, b"<p>explorer</p>")
        assert _get(url, "/tiles/0/0-0.bin") == (200, b"\x01\x02")
        assert _get(url, "/alias/0/0-0.bin") == (200, b"\x01\x02")
        for path in ("/leak", "/rootlink/", "/rootlink/etc/passwd", "/plan", "/.parts/plan.json", "/.parts/",
                     "/.latentlab-explorer.json", "/%2e%2e/secret.txt", "/tiles/../../secret.txt", "/tiles/",
                     "/tiles/0/", "/nothing.bin"):
            status, body = _get(url, path)
            assert status == 404, path
            assert b"not for the page" not in body and b"secret.h5" not in body and b"0-0.bin" not in body


def test_a_request_for_another_host_is_refused(folder):
    with served(folder) as url:
        port = url.rsplit(":", 1)[1].strip("/")
        assert _get(url, "/", host=f"attacker.example:{port}")[0] == 421
        assert _get(url, "/", host="127.0.0.1.attacker.example")[0] == 421
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
            assert _get(url, "/", host=host)[0] == 200, host


def test_a_nul_in_the_path_is_a_bad_request_with_no_traceback(folder, capfd):
    with served(folder) as url:
        assert _get(url, "/index.html%00.png")[0] == 400
        assert _get(url, "/%ff%fe")[0] == 400
        assert _get(url, "/")[0] == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err


def test_idle_connections_do_not_hold_a_thread_each_and_are_closed(folder, monkeypatch):
    monkeypatch.setattr("latentlab.explorer.serve._Handler.timeout", 1.0)
    before = threading.active_count()
    with served(folder) as url:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        idle = []
        for _ in range(2000):  # half-sent requests, as a slow client (or an attack) leaves them
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            idle.append(s)
        deadline = time.monotonic() + 30
        while threading.active_count() - before < 24 and time.monotonic() < deadline:
            time.sleep(0.01)  # until the pool is busy with them
        assert 24 <= threading.active_count() - before <= 40  # the pool's 32 workers and the server's own thread
        idle[0].settimeout(30)
        assert idle[0].recv(100) == b""  # the server closed the first one after its idle timeout
        for s in idle:
            s.close()
        deadline = time.monotonic() + 60
        while _get(url, "/")[0] != 200:  # served again once the closed connections are drained
            assert time.monotonic() < deadline

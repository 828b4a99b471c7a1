"""A loopback HTTP server laid out like the public hosts (``/<host>/<path>``), with misbehaviours on request.

Files are served from a folder; ``server.faults[path]`` makes one path misbehave: ``"404"``, ``"truncate"``
(announces the whole length, sends half, closes), ``"slow"`` (waits ``slow_s`` before answering), ``"endless"``
(a body with no length that never ends), ``"huge"`` (announces 2 GB and sends zeros), ``"trickle"`` (one byte
every ``slow_s``) or ``"stall"`` (one byte, then nothing).  A misbehaving answer stops by itself after
``FAULT_S`` seconds or when the client goes.  Every request is counted in ``server.hits``.  It listens on
127.0.0.1 on a free port and stops with its context.
"""
from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from pathlib import Path

FAULT_S = 120.0  # the longest a misbehaving answer goes on


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server = self.server
        path = self.path.split("?")[0]
        server.hits[path] += 1
        fault = server.faults.get(path)
        if fault == "404":
            self.send_error(404)
            return
        if fault == "slow":
            time.sleep(server.slow_s)
        if fault == "truncate":
            body = (Path(server.root) / path.lstrip("/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if fault in ("endless", "huge", "trickle", "stall"):
            self._misbehave(fault)
            return
        super().do_GET()

    def _misbehave(self, fault: str) -> None:
        self.send_response(200)
        if fault == "huge":
            self.send_header("Content-Length", str(2 << 30))
        elif fault in ("trickle", "stall"):
            self.send_header("Content-Length", "1000")
        self.end_headers()
        self.close_connection = True
        block = b"\0" * (1 << 16) if fault in ("endless", "huge") else b"["
        end = time.monotonic() + FAULT_S
        try:
            while time.monotonic() < end:
                self.wfile.write(block)
                self.wfile.flush()
                if fault == "trickle":
                    time.sleep(self.server.slow_s)
                elif fault == "stall":
                    time.sleep(FAULT_S)
        except OSError:  # the client gave up
            pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that gives up mid-answer (what the downloader does to a stall or a trickle) is expected here:
        no traceback on the test's stderr, which the tests read."""


class Mirror:
    """``with Mirror(root) as m: m.url`` -- a server of ``root`` on 127.0.0.1."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def __enter__(self) -> "Mirror":
        root = str(self.root)

        class Handler(_Handler):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, directory=root, **kwargs)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.root = root
        self.server.faults = {}
        self.server.hits = Counter()
        self.server.slow_s = 3.0
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def faults(self) -> dict:
        return self.server.faults

    @property
    def hits(self) -> Counter:
        return self.server.hits

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def host_path(url: str) -> str:
    """The path a public URL has on the mirror (``https://host/p`` -> ``/host/p``)."""
    return "/" + url.split("://", 1)[1]

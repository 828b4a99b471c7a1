"""A static web server for a tiled explorer (or any folder), on the loopback address only.

It serves what a static host promises and nothing more: regular files whose real path lies inside the folder
(a symbolic link that leads out is refused), no listing of folders (a folder answers with its ``index.html``),
no dotfiles or staging files (``.parts/``, the explorer's marker), and only requests addressed to this machine
by name (``Host: 127.0.0.1``, ``localhost`` or ``[::1]``; any other Host gets 421, as Jupyter Server does
against DNS rebinding).  A fixed pool of threads answers, each connection with an idle timeout, and a request
that cannot be answered gets its status code, never a traceback.
"""
from __future__ import annotations

import functools
import os
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from latentlab.errors import LatentlabError

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css",
         ".json": "application/json", ".bin": "application/octet-stream", ".png": "image/png"}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
WORKERS = 32  # threads answering requests; further connections wait for one
IDLE_TIMEOUT = 10.0  # seconds a connection may send nothing before it is closed


def _host_name(header: str | None) -> str | None:
    """The host of a ``Host`` header without its port (``[::1]:8000`` -> ``[::1]``), lower case."""
    if header is None:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        return header[:header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def inside(root: Path, path: str) -> Path | None:
    """The real path of ``path`` (``/``-separated, relative to ``root``, a real path) when it lies inside ``root``
    and names no dotfile; None otherwise. What a served folder (this server, or the notebook's widget) may read.

    Parameters
    ----------
    root
        The folder served, as a real path.
    path
        The path asked for, e.g. ``tiles/0/0-0.bin`` or ``/rows/3.bin``.
    """
    names = [n for n in path.split("/") if n]
    if any(n.startswith(".") or "\\" in n for n in names):
        return None
    try:
        real = Path(os.path.realpath(root.joinpath(*names)))
        inner = real.relative_to(root)
    except (ValueError, OSError):
        return None
    return None if any(n.startswith(".") for n in inner.parts) else real


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    timeout = IDLE_TIMEOUT

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        if self.server.verbose:
            super().log_message(format, *args)

    def list_directory(self, path):  # never: a folder is its index.html or nothing
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_head(self):
        """The file the request names, opened, with its headers sent; None (and an error sent) otherwise."""
        host = _host_name(self.headers.get("Host"))
        if host is not None and host not in LOCAL_HOSTS:
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "this server answers to 127.0.0.1 and localhost only")
            return None
        try:
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path, errors="strict")
        except (UnicodeDecodeError, ValueError):
            path = "\0"
        if "\0" in path or not path.startswith("/"):
            self.send_error(HTTPStatus.BAD_REQUEST, "bad path")
            return None
        target = inside(self.server.root, path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", urllib.parse.quote(path) + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            target = inside(self.server.root, path + "index.html")
        if target is None or not target.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        try:
            fh = open(target, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(target)))
        self.send_header("Content-Length", str(os.fstat(fh.fileno()).st_size))
        self.end_headers()
        return fh

class _Server(ThreadingHTTPServer):
    """http.server's threading server with a bounded pool of threads and one-line errors."""

    request_queue_size = 128  # connections the kernel holds until accepted (a page fetches many tiles at once)

    def __init__(self, address, handler, *, root: Path, verbose: bool) -> None:
        super().__init__(address, handler)
        self.root = root
        self.verbose = verbose
        self.pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="latentlab-serve")

    def process_request(self, request, client_address) -> None:
        self.pool.submit(self.process_request_thread, request, client_address)

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if self.verbose and not isinstance(exc, (ConnectionError, TimeoutError)):
            print(f"latentlab serve: request from {client_address[0]} failed: {type(exc).__name__}: {exc}",
                  file=sys.stderr)

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)


def serve(folder: str | os.PathLike, *, port: int = 8000, verbose: bool = False,
          background: bool = False) -> ThreadingHTTPServer:
    """Serve ``folder`` at ``http://127.0.0.1:<port>/`` (port 0: any free one; ``server.server_port`` says which).

    Parameters
    ----------
    folder
        The folder (e.g. ``latentlab report store.h5 -o explorer/``'s).
    port
        The port.
    verbose
        Log each request.
    background
        Serve from a daemon thread and return (``server.shutdown()`` stops it); else serve until interrupted.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise LatentlabError(f"{folder}: not a folder (serve the folder that `latentlab report -o FOLDER` wrote)")
    root = Path(os.path.realpath(folder))
    try:
        server = _Server(("127.0.0.1", port), functools.partial(_Handler, directory=str(root)), root=root,
                         verbose=verbose)
    except OSError as exc:
        raise LatentlabError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); try another --port") from None
    if background:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return server

"""A static web server for a tiled explorer (or any folder), on the loopback address only."""
from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from latentlab.errors import LatentlabError

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css",
         ".json": "application/json", ".bin": "application/octet-stream", ".png": "image/png"}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        if self.server.verbose:
            super().log_message(format, *args)


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
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Handler, directory=str(folder)))
    except OSError as exc:
        raise LatentlabError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); try another --port") from None
    server.verbose = verbose
    if background:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return server

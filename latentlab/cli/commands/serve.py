"""``latentlab serve``: a tiled explorer (or any folder) on a web server at 127.0.0.1."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    s = sub.add_parser("serve", help="serve a tiled explorer folder at http://127.0.0.1:PORT/",
                       description="A static web server for the folder that `latentlab report STORE -o FOLDER` "
                                   "writes, listening on 127.0.0.1 only (this machine). Open the URL it prints; "
                                   "Ctrl-C stops it. Any other static host serves the folder as well.")
    s.add_argument("folder", help="the tiled explorer's folder")
    s.add_argument("--port", type=o.between(0, 65535), default=8000, help="port (0: any free one)")
    s.add_argument("--verbose", action="store_true", help="log every request")
    s.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Serve until Ctrl-C."""
    from latentlab.explorer.serve import serve

    import threading

    server = serve(a.folder, port=a.port, verbose=a.verbose, background=True)
    print(f"serving {a.folder} at http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()

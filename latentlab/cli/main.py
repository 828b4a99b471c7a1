"""``latentlab`` command line: a thin layer over the Python API, one module a command (``cli/commands``).

Every command reports bad input as one line (file, record, reason) and exits 2;
no traceback unless ``LATENTLAB_DEBUG=1``.
"""
from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading

from latentlab.cli.commands import COMMANDS
from latentlab.cli.options import Parser
from latentlab.errors import LatentlabError


def build_parser() -> argparse.ArgumentParser:
    """The ``latentlab`` parser, a subcommand per module of :mod:`latentlab.cli.commands`."""
    p = Parser(
        prog="latentlab",
        description="Explore the latent space of SketchRNN models: data, training, encoding, figures.",
        epilog="Data flows: sketch files -> model -> HDF5 store -> analysis -> figures and reports. "
               "Run `latentlab COMMAND --help` for each command's options.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"latentlab.cli.commands.{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit code (2: a user error, said
    in one line)."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is printed escaped, never a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()  # signals are set there only
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None  # `kill`: as Ctrl-C
    try:
        args.func(args)
    except LatentlabError as exc:
        if os.environ.get("LATENTLAB_DEBUG"):
            raise
        print(f"latentlab: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a read-only folder, a missing permission: the file and the reason
        if os.environ.get("LATENTLAB_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"latentlab: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("latentlab: interrupted", file=sys.stderr)
        return 130
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _terminated(signum, frame) -> None:
    """SIGTERM raises KeyboardInterrupt, so that what a command was writing is removed on the way out."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())

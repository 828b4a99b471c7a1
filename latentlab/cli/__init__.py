"""The ``latentlab`` command line (``main``) and ``make demo`` (``demo``): a thin layer over the Python API."""
from latentlab.cli.main import build_parser, main

__all__ = ["build_parser", "main"]

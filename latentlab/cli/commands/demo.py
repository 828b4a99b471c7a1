"""``latentlab demo``: the main job end to end on the default model and data."""
from __future__ import annotations

import argparse
from pathlib import Path




def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    m = sub.add_parser("demo", help="the main job end to end on the default model and data")
    m.add_argument("--out", default="out/demo", help="output folder")
    m.add_argument("--shared", help="offline data root (default ../shared)")
    m.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Run the demo end to end."""
    from latentlab.demo import run_demo

    run_demo(Path(a.out), shared=a.shared)

"""``latentlab draw``: render sketches of a dataset split to a PNG grid."""
from __future__ import annotations

import argparse

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.errors import LatentlabError


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    d = sub.add_parser("draw", help="render sketches of a dataset split to a PNG grid")
    d.add_argument("data", help="magenta-format .npz")
    o.add_split(d)
    d.add_argument("-n", type=o.between(1, 10_000), default=32, help="number of sketches")
    d.add_argument("--start", type=o.between(0, o.MAX_COUNT), default=0, help="first index")
    d.add_argument("--cols", type=o.between(1, 1000), default=8, help="grid columns")
    d.add_argument("-o", "--output", required=True, help="output .png")
    d.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Render a page of a dataset's sketches."""
    from latentlab.io.datasets import load_dataset
    from latentlab.pl.draw import grid, save_png

    output_path(a.output, (".png",), "page of sketches")
    split = load_dataset(a.data, quiet=True)[a.split]
    if not 0 <= a.start < len(split):
        raise LatentlabError(f"{a.data} [{a.split}]: --start {a.start} out of range (0..{len(split) - 1})")
    idx = list(range(a.start, min(len(split), a.start + a.n)))
    names = split.label_names()
    captions = [f"{i} {names[i]}".strip() for i in idx]
    save_png(grid([split.sketches[i] for i in idx], captions, ncols=a.cols), a.output)
    print(f"wrote {a.output}")

"""``latentlab traverse``: a row's sketch decoded along a direction of the space."""
from __future__ import annotations

import argparse

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.tl import traverse


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    t = sub.add_parser("traverse", help="decode a row's sketch along a direction: a principal component, a latent "
                                        "dimension, or from one class towards another",
                       description="What a direction of the space means: the row's mu moved along it and decoded "
                                   "into a strip. pcK: the K-th principal component of mu; dim:K: latent dimension "
                                   "K (both from -extent to +extent standard deviations of the data along it); "
                                   "class:A->B: class B's mean mu less class A's (from the row to extent times it).")
    t.add_argument("store", help="latent store .h5")
    t.add_argument("row", type=o.between(0, o.MAX_COUNT), help="the row whose sketch is moved")
    t.add_argument("--direction", default=o.default(traverse, "direction"), help="pcK, dim:K or class:A->B")
    t.add_argument("--steps", type=o.between(2, 64), default=o.default(traverse, "steps"), help="points decoded")
    t.add_argument("--extent", type=o.number_in(0.01, 10), default=o.default(traverse, "extent"),
                   help="how far: standard deviations (pc, dim) or class differences (class)")
    o.add_store_model(t)
    o.add_decoding(t, greedy=False)
    t.add_argument("-o", "--output", required=True, help="strip .png")
    t.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Decode the traversal into a strip."""
    from latentlab.pl.draw import grid, save_png

    output_path(a.output, (".png",), "strip")
    store = o.open_store(a.store)
    t, sketches = traverse(store, a.row, direction=a.direction, steps=a.steps, extent=a.extent,
                           model=store.model(a.model), temperature=a.temperature, random_state=a.seed,
                           softmax_temperature=a.softmax_temperature)
    unit = "" if a.direction.startswith("class:") else " sd"
    save_png(grid(sketches, [f"{x:+.2f}{unit}" for x in t], ncols=len(sketches),
                  title=f"row {a.row} along {a.direction}"), a.output)
    print(f"wrote {a.output} (row {a.row} along {a.direction}, {a.steps} steps)")

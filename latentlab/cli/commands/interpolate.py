"""``latentlab interpolate``: decode a lerp/slerp path between two sketches into a strip."""
from __future__ import annotations

import argparse
from pathlib import Path

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.errors import LatentlabError
from latentlab.model import load_model
from latentlab.tl import INTERPOLATIONS, MAX_STRIP, strip


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    ip = sub.add_parser("interpolate", help="decode a lerp/slerp path between two sketches into a strip")
    ip.add_argument("store", nargs="?", help="latent store")
    ip.add_argument("i", nargs="?", type=o.between(0, o.MAX_COUNT), help="first row")
    ip.add_argument("j", nargs="?", type=o.between(0, o.MAX_COUNT), help="second row")
    ip.add_argument("--sketch-a", help="or: a sketch file to start from")
    ip.add_argument("--sketch-b", help="and one to end at")
    ip.add_argument("--model", help="model name or folder (default: the store's, or the bundled sheep)")
    ip.add_argument("--steps", type=o.between(2, MAX_STRIP), default=o.default(strip, "steps"),
                    help=f"points on the path, endpoints included (at most {MAX_STRIP})")
    ip.add_argument("--method", choices=tuple(INTERPOLATIONS), default=o.default(strip, "method"),
                    help="straight line, or great circle (keeps the norm of a Gaussian latent)")
    o.add_decoding(ip)
    ip.add_argument("-o", "--output", required=True, help="strip .png or .svg")
    ip.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Decode a path between two rows or two sketch files into a strip."""
    from latentlab.io.datasets import read_sketch
    from latentlab.pl.draw import grid, save_png, save_strip_svg
    from latentlab.tl import rows_mu

    output_path(a.output, (".png", ".svg"), "strip")
    if a.sketch_a and a.sketch_b:
        model = load_model(a.model)
        ends = model.encode([read_sketch(a.sketch_a), read_sketch(a.sketch_b)]).mu
    elif a.i is not None and a.j is not None and a.store:
        store = o.open_store(a.store)
        model = store.model(a.model)
        ends = rows_mu(store, [a.i, a.j])
    else:
        raise LatentlabError("give STORE I J, or --sketch-a A --sketch-b B")
    t, sketches = strip(model, ends[0], ends[1], steps=a.steps, method=a.method, temperature=a.temperature,
                        greedy=a.greedy, random_state=a.seed, softmax_temperature=a.softmax_temperature)
    out = Path(a.output)
    if out.suffix == ".svg":
        save_strip_svg(sketches, out)
    else:
        save_png(grid(sketches, [f"t={x:.2f}" for x in t], ncols=len(sketches)), out)
    print(f"wrote {out} ({a.method}, {a.steps} steps, tau {a.temperature:g})")

"""``latentlab reconstruct``: the notebook's figures: temperature grid (.png) or animation (.gif/.html)."""
from __future__ import annotations

import argparse

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.errors import LatentlabError
from latentlab.model import load_model


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    r = sub.add_parser("reconstruct", help="the notebook's figures: temperature grid (.png) or animation (.gif/.html)")
    r.add_argument("data", help="magenta-format .npz")
    r.add_argument("--model", help="model name or folder (default latentlab/aaron_sheep)")
    o.add_split(r)
    r.add_argument("--index", type=o.between(0, o.MAX_COUNT), nargs="+", default=[0, 1, 2, 3, 4], help="sketch indices")
    r.add_argument("--temperatures", type=o.temperature_list, default=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
                   metavar="T1,T2,...", help="grid columns (default: 0.1,0.2,...,0.9)")
    r.add_argument("--temperature", type=o.temperature, default=0.1, help="for the animation")
    o.add_softmax_temperature(r)
    r.add_argument("--seed", type=o.seed, default=0, help="seed of z and of the sampling")
    r.add_argument("-o", "--output", required=True, help=".png grid, or .gif/.html animation")
    r.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Draw the notebook's temperature grid or side-by-side animation."""
    from latentlab.io.datasets import load_dataset
    from latentlab.pl.draw import save_animation, save_png
    from latentlab.pl.figures import side_by_side, temperature_grid

    output_path(a.output, (".png", ".gif", ".html"), "temperature grid (.png) or animation")
    model = load_model(a.model, data=a.data)
    split = load_dataset(a.data, max_seq_len=model.hps.max_seq_len, quiet=True)[a.split]
    for i in a.index:
        if not 0 <= i < len(split):
            raise LatentlabError(f"{a.data} [{a.split}]: index {i} out of range (0..{len(split) - 1})")
    sketches = [split.sketches[i] for i in a.index]
    if a.output.endswith((".gif", ".html")):
        save_animation(side_by_side(model, sketches[0], a.temperature, a.seed, a.softmax_temperature), a.output)
    else:
        temps = a.temperatures
        save_png(temperature_grid(model, sketches, temps, a.seed, a.softmax_temperature), a.output)
    print(f"wrote {a.output}")

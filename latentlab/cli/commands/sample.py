"""``latentlab sample``: draw sketches from a model: a PNG grid or a magenta-format .npz."""
from __future__ import annotations

import argparse

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.model import load_model
from latentlab.model.sample import sample, save_samples_npz


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    sm = sub.add_parser("sample", help="draw sketches from a model: a PNG grid or a magenta-format .npz",
                        description="Unconditional (decoder-only) models sample from scratch; conditional ones "
                                    "decode z drawn from the prior N(0, I). The .npz holds the samples as the "
                                    "'test' split (empty train/valid) with the model's class as their label, "
                                    "ready for `latentlab encode`; `latentlab data generate` makes training sets.")
    sm.add_argument("model", help="model name (e.g. sketchrnn-js/bird.gen) or folder / .json")
    sm.add_argument("-n", type=o.between(1, 100_000), default=64, help="number of sketches")
    sm.add_argument("--temperature", type=o.temperature, default=o.default(sample, "temperature"),
                    help="sampling temperature tau")
    o.add_softmax_temperature(sm)
    sm.add_argument("--seed", type=o.seed, default=o.default(sample, "seed"),
                    help="sampling seed (and of z for conditional models)")
    sm.add_argument("--cols", type=o.between(1, 1000), default=8, help="grid columns")
    sm.add_argument("-o", "--output", required=True, help=".png grid, or .npz dataset")
    sm.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Sample sketches from a model into a grid or an ``.npz``."""
    from latentlab.pl.draw import grid, save_png

    out = output_path(a.output, (".png", ".npz"), "sample grid (.png) or dataset (.npz)")
    model = load_model(a.model)
    sketches = sample(model, a.n, temperature=a.temperature, softmax_temperature=a.softmax_temperature,
                      seed=a.seed)
    if out.suffix == ".npz":
        save_samples_npz(model, sketches, out, seed=a.seed, temperature=a.temperature)
    else:
        title = f"{a.model}: {a.n} samples, tau {a.temperature:g}, seed {a.seed}"
        save_png(grid(sketches, [str(i) for i in range(len(sketches))], ncols=a.cols, title=title), out)
    print(f"wrote {out}")

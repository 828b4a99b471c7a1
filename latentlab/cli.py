"""``latentlab`` command line: a thin layer over the Python API.

Every command reports bad input as one line (file, record, reason) and exits 2;
no traceback unless ``LATENTLAB_DEBUG=1``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from latentlab.errors import LatentlabError

MODELS_DIR = Path(__file__).resolve().parents[1] / "data" / "models"
DEFAULT_MODEL = MODELS_DIR / "aaron_sheep"


def _model(path: str | None, data: str | None = None):
    from latentlab.datasets import load_dataset
    from latentlab.model import SketchRNN, read_info

    model_dir = Path(path) if path else DEFAULT_MODEL
    if model_dir.suffix == ".json":
        from latentlab.jsmodel import load_js_model

        return load_js_model(model_dir)
    factor = None
    if data and "scale_factor" not in read_info(model_dir):
        factor = load_dataset(data, quiet=True).scale_factor
    return SketchRNN.load(model_dir, scale_factor=factor)


def cmd_data_build(a: argparse.Namespace) -> None:
    from latentlab.quickdraw import build_npz

    report = build_npz(a.inputs, a.output, seed=a.seed, progress=None)
    print(report.summary())
    print(f"wrote {a.output}")


def cmd_data_fetch(a: argparse.Namespace) -> None:
    from latentlab.download import fetch

    print(fetch(a.name, cache=a.cache, shared=a.shared))


def cmd_draw(a: argparse.Namespace) -> None:
    from latentlab.datasets import load_dataset
    from latentlab.draw import grid, save_png

    split = load_dataset(a.data, quiet=True)[a.split]
    idx = list(range(a.start, min(len(split), a.start + a.n)))
    names = split.label_names()
    captions = [f"{i} {names[i]}".strip() for i in idx]
    save_png(grid([split.sketches[i] for i in idx], captions, ncols=a.cols), a.output)
    print(f"wrote {a.output}")


def cmd_train(a: argparse.Namespace) -> None:
    from latentlab.config import parse_hparams

    hps = parse_hparams(a.hparams)
    if a.engine == "magenta":
        from latentlab.magenta_train import train_magenta

        train_magenta(a.data, a.out, hps, steps=a.steps, init_from=a.init_from)
    else:
        from latentlab.train import train

        train(a.data, a.out, hps, steps=a.steps, save_every=a.save_every, seed=a.seed, init_from=a.init_from)


def cmd_export(a: argparse.Namespace) -> None:
    if a.output.endswith(".json"):
        from latentlab.jsmodel import export_js_model

        print(f"wrote {export_js_model(_model(a.train_dir), a.output)}")
        return
    from latentlab.export import export_model

    print(f"wrote {export_model(a.train_dir, a.output)}")


def cmd_evaluate(a: argparse.Namespace) -> None:
    import numpy as np

    from latentlab.datasets import load_dataset

    model = _model(a.model, a.data)
    split = load_dataset(a.data, max_seq_len=model.hps.max_seq_len, quiet=True)[a.split]
    t0 = time.time()
    ll = model.log_likelihood(split.sketches, seed=a.seed)
    result = {"Lr": float(np.mean(ll["Lr"])), "Lkl": float(np.mean(ll["Lkl"])), "n": len(split),
              "dropped": split.dropped, "seed": a.seed}
    print(f"{a.data} [{a.split}]: Lr {result['Lr']:.4f}  Lkl {result['Lkl']:.4f}  n {len(split)} "
          f"({split.dropped} longer than max_seq_len dropped) in {time.time() - t0:.1f}s")
    print(json.dumps(result))


def cmd_reconstruct(a: argparse.Namespace) -> None:
    from latentlab.datasets import load_dataset
    from latentlab.draw import save_animation, save_png
    from latentlab.figures import side_by_side, temperature_grid

    model = _model(a.model, a.data)
    split = load_dataset(a.data, max_seq_len=model.hps.max_seq_len, quiet=True)[a.split]
    for i in a.index:
        if not 0 <= i < len(split):
            raise LatentlabError(f"{a.data} [{a.split}]: index {i} out of range (0..{len(split) - 1})")
    sketches = [split.sketches[i] for i in a.index]
    if a.output.endswith((".gif", ".html")):
        save_animation(side_by_side(model, sketches[0], a.temperature, a.seed), a.output)
    else:
        temps = [float(t) for t in a.temperatures.split(",")]
        save_png(temperature_grid(model, sketches, temps, a.seed), a.output)
    print(f"wrote {a.output}")


def cmd_demo(a: argparse.Namespace) -> None:
    from latentlab.demo import run_demo

    run_demo(Path(a.out), shared=a.shared)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="latentlab",
        description="Explore the latent space of SketchRNN models: data, training, encoding, figures.",
        epilog="Data flows: sketch files -> model -> HDF5 store -> analysis -> figures and reports. "
               "Run `latentlab COMMAND --help` for each command's options.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data = sub.add_parser("data", help="build or fetch sketch datasets").add_subparsers(dest="data_cmd", required=True)
    b = data.add_parser("build", help="Quick, Draw! ndjson files/folders -> magenta-format .npz",
                        description="Convert Quick, Draw! ndjson (simplified or raw) to stroke-3 (align, scale to "
                                    "255, RDP epsilon 2.0) and write a train/valid/test .npz split per class by a "
                                    "seeded shuffle; raw drawings keep their point times. Atomic: no half-written file.")
    b.add_argument("inputs", nargs="+", help="ndjson files or folders of them")
    b.add_argument("-o", "--output", required=True, help="output .npz")
    b.add_argument("--seed", type=int, default=0, help="split seed (recorded in the file)")
    b.set_defaults(func=cmd_data_build)
    f = data.add_parser("fetch", help="download a dataset (falls back to ../shared when offline)")
    f.add_argument("name", help="sketchrnn/<name> or quickdraw/<raw|simplified>/<word>")
    f.add_argument("--cache", help="cache folder (default data/cache)")
    f.add_argument("--shared", help="offline copy root (default ../shared)")
    f.set_defaults(func=cmd_data_fetch)

    d = sub.add_parser("draw", help="render sketches of a dataset split to a PNG grid")
    d.add_argument("data", help="magenta-format .npz")
    d.add_argument("--split", default="test", choices=("train", "valid", "test"))
    d.add_argument("-n", type=int, default=32, help="number of sketches")
    d.add_argument("--start", type=int, default=0, help="first index")
    d.add_argument("--cols", type=int, default=8)
    d.add_argument("-o", "--output", required=True, help="output .png")
    d.set_defaults(func=cmd_draw)

    t = sub.add_parser("train", help="train a SketchRNN (resumable) in magenta's checkpoint format",
                       description="Train until --steps, resuming from the newest checkpoint in --out. "
                                   "--engine fast (default) is latentlab's compiled, length-bucketed trainer with "
                                   "magenta's loss; --engine magenta runs magenta's own trainer.")
    t.add_argument("data", help="magenta-format .npz")
    t.add_argument("--out", required=True, help="training folder (checkpoints with optimizer state)")
    t.add_argument("--hparams", default="", help="magenta-style overrides, e.g. 'dec_rnn_size=256,z_size=64'")
    t.add_argument("--steps", type=int, default=10000, help="train until this global step")
    t.add_argument("--save-every", type=int, default=None, help="checkpoint interval (default hparams.save_every)")
    t.add_argument("--engine", choices=("fast", "magenta"), default="fast")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--init-from", help="warm-start weights from this model folder when --out has no checkpoint")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("export", help="write a weights-only model folder, or a sketch-rnn-js .json",
                       description="OUTPUT a folder: weights-only copy of the newest checkpoint (no optimizer "
                                   "slots). OUTPUT.json: the sketch-rnn-js / magenta-js format (decoder-only for "
                                   "unconditional models, the 17-array VAE layout for conditional ones).")
    e.add_argument("train_dir", help="training or model folder")
    e.add_argument("-o", "--output", required=True, help="folder, or .json for magenta-js")
    e.set_defaults(func=cmd_export)

    v = sub.add_parser("evaluate", help="Lr and Lkl of a split (magenta's definitions); last line is JSON")
    v.add_argument("model", help="model folder")
    v.add_argument("data", help="magenta-format .npz")
    v.add_argument("--split", default="test", choices=("train", "valid", "test"))
    v.add_argument("--seed", type=int, default=0, help="seed of the posterior samples z")
    v.set_defaults(func=cmd_evaluate)

    r = sub.add_parser("reconstruct", help="the notebook's figures: temperature grid (.png) or animation (.gif/.html)")
    r.add_argument("data", help="magenta-format .npz")
    r.add_argument("--model", help=f"model folder (default {DEFAULT_MODEL.relative_to(MODELS_DIR.parents[1])})")
    r.add_argument("--split", default="test", choices=("train", "valid", "test"))
    r.add_argument("--index", type=int, nargs="+", default=[0, 1, 2, 3, 4], help="sketch indices")
    r.add_argument("--temperatures", default="0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9")
    r.add_argument("--temperature", type=float, default=0.1, help="for the animation")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("-o", "--output", required=True, help=".png grid, or .gif/.html animation")
    r.set_defaults(func=cmd_reconstruct)

    m = sub.add_parser("demo", help="the main job end to end on the default model and data")
    m.add_argument("--out", default="out/demo")
    m.add_argument("--shared", help="offline data root (default ../shared)")
    m.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except LatentlabError as exc:
        if os.environ.get("LATENTLAB_DEBUG"):
            raise
        print(f"latentlab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("latentlab: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

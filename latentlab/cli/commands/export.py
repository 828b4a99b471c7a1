"""``latentlab export``: write a weights-only model folder, or a sketch-rnn-js .json."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o
from latentlab.errors import LatentlabError
from latentlab.train.export import export


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    e = sub.add_parser("export", help="write a weights-only model folder, or a sketch-rnn-js .json",
                       description="OUTPUT a folder: weights-only copy of the newest checkpoint (no optimizer "
                                   "slots). OUTPUT.json: the sketch-rnn-js / magenta-js format (decoder-only for "
                                   "unconditional models, the 17-array VAE layout for conditional ones).")
    e.add_argument("train_dir", help="training or model folder")
    e.add_argument("-o", "--output", required=True, help="folder, or .json for magenta-js")
    e.add_argument("--best", action="store_true",
                   help="export the lowest-validation-Lr checkpoint (the trainer's best/), not the newest")
    e.add_argument("--average", type=o.between(1, 1000), default=o.default(export, "average"), metavar="N",
                   help="export the mean of the newest N scheduled checkpoints' weights (train with --keep N or more); "
                        "late in training it often beats each of them")
    e.add_argument("--best-on", metavar="NPZ",
                   help="export the kept checkpoint whose mu sorts a selection part (a third of each class) of this "
                        "labelled .npz's test split best (10-NN); the card then measures the rest of it only")
    e.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Export a training folder as a model folder or a ``.json``."""
    if a.best_on:
        from latentlab.eval.selection import export_chosen

        if a.best or a.average > 1 or str(a.output).endswith(".json"):
            raise LatentlabError("--best-on writes a model folder and chooses the checkpoint itself: leave out "
                                 "--best, --average and a .json output")
        out, chosen = export_chosen(a.train_dir, a.output, a.best_on)
        for step, score in sorted(chosen["scores"].items()):
            print(f"step {step}: 10-NN of mu {score:.1%} on {chosen['selection']['n_selection']} selection sketches")
        print(f"wrote {out} (step {chosen['step']})")
        return
    print(f"wrote {export(a.train_dir, a.output, best=a.best, average=a.average)}")

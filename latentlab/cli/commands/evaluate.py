"""``latentlab evaluate``: Lr and Lkl of a split, and class separation of a labelled one; last ."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.errors import LatentlabError
from latentlab.model import load_model


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    v = sub.add_parser("evaluate", help="Lr and Lkl of a split, and class separation of a labelled one; last "
                                        "line is JSON",
                       description="Lr and Lkl (magenta's definitions) of a split, and how the encoder uses its "
                                   "latent dimensions (active units: Var[mu] over the split > 0.01; the KL of each "
                                   "dimension); for a split of several labelled classes also how well mu sorts "
                                   "them: 10-NN and 1-NN accuracy of mu (cosine, 5-fold), beside the same 10-NN on "
                                   "32x32 blurred raster pixels.")
    v.add_argument("model", help="model name or folder")
    v.add_argument("data", help="magenta-format .npz")
    o.add_split(v)
    v.add_argument("--seed", type=o.seed, default=0, help="seed of the posterior samples z")
    v.add_argument("--fit-on", metavar="NPZ", help="a labelled .npz (e.g. the generated training set): also score "
                                                   "a 10-NN classifier fit on the mu of its train split")
    v.add_argument("-o", "--output", help="a .png of the KL of each latent dimension, active units marked")
    v.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Print Lr, Lkl and class separation of a split; the last line is JSON."""
    from latentlab.io.datasets import load_dataset
    from latentlab.eval import evaluate

    if a.output:
        output_path(a.output, (".png",), "latent usage figure")
    model = load_model(a.model, data=a.data)
    split = load_dataset(a.data, max_seq_len=model.hps.max_seq_len, quiet=True)[a.split]
    if not len(split):
        raise LatentlabError(f"{a.data} [{a.split}]: no sketches to evaluate")
    fit_on = load_dataset(a.fit_on, max_seq_len=model.hps.max_seq_len, quiet=True)["train"] if a.fit_on else None
    t0 = time.time()
    result = evaluate(model, split, seed=a.seed, fit_on=fit_on)
    print(f"{a.data} [{a.split}]: Lr {result['Lr']:.4f}  Lkl {result['Lkl']:.4f}  n {len(split)} "
          f"({split.dropped} longer than max_seq_len dropped) in {time.time() - t0:.1f}s")
    latent = result.get("latent")
    if latent:
        kl = latent["kl_per_dim"]
        print(f"latent usage: {latent['active_units']} of {len(kl)} units active (Var[mu] > "
              f"{latent['active_threshold']:g}); KL {sum(kl):.2f} nats, {sum(k < 0.01 for k in kl)} dimensions under "
              "0.01 (collapsed)")
        if a.output:
            from latentlab.pl.draw import save_png
            from latentlab.pl.usage import latent_usage

            save_png(latent_usage(latent, title=f"{Path(a.data).name} [{a.split}]"), a.output)
            print(f"wrote {a.output}")
    sep = result.get("separation")
    if sep:
        print(f"class separation over {sep['n']} sketches of {sep['classes']} classes ({sep['folds']}-fold, cosine): "
              f"{sep['k']}-NN of mu {sep['knn_mu']:.1%}, 1-NN of mu {sep['nn1_mu']:.1%}, {sep['k']}-NN of 32x32 "
              f"raster pixels {sep['knn_raster']:.1%}, largest class {sep['chance']:.1%}"
              + (f"; {sep['k']}-NN fit on the mu of {a.fit_on}'s train split: {sep['transfer_mu']:.1%}"
                 if "transfer_mu" in sep else ""))
    print(json.dumps(result))

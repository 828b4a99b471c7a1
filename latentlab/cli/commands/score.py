"""``latentlab score``: per-sketch Lr and Lkl under the store's model, into obs/Lr and obs/Lkl."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    sc = sub.add_parser("score", help="per-sketch Lr and Lkl under the store's model, into obs/Lr and obs/Lkl",
                        description="The report colours and filters by Lr: high Lr marks the sketches the model "
                                    "explains worst.")
    sc.add_argument("store", help="latent store .h5")
    o.add_store_model(sc)
    sc.add_argument("--seed", type=o.seed, default=0, help="seed of the posterior samples z")
    sc.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    import numpy as np

    from latentlab.tl.decode import store_model
    from latentlab.tl.score import score

    store = o.open_store(a.store)
    lr = score(store, store_model(store, a.model), seed=a.seed)
    print(f"wrote obs/Lr and obs/Lkl ({len(lr)} sketches, mean Lr {np.mean(lr):.4f}) to {a.store}")

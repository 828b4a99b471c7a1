"""``latentlab score``: per-sketch Lr and Lkl under the store's model, into obs/Lr and obs/Lkl."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o
from latentlab.tl import score


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    sc = sub.add_parser("score", help="per-sketch Lr and Lkl under the store's model, into obs/Lr and obs/Lkl",
                        description="The report colours and filters by Lr: high Lr marks the sketches the model "
                                    "explains worst.")
    sc.add_argument("store", help="latent store .h5")
    o.add_store_model(sc)
    sc.add_argument("--seed", type=o.seed, default=o.default(score, "random_state"),
                    help="seed of the posterior samples z")
    sc.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Score every stored sketch under the store's model."""
    from latentlab import tl

    store = o.open_store(a.store)
    tl.score(store, store.model(a.model), random_state=a.seed)
    print(f"wrote obs/Lr and obs/Lkl ({len(store)} sketches, mean Lr {store.read('obs/Lr').mean():.4f}) to {a.store}")

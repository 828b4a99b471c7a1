"""``latentlab decode``: decode every stored vector once and keep the strokes (thumbnail cache)."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    dc = sub.add_parser("decode", help="decode every stored vector once and keep the strokes (thumbnail cache)")
    dc.add_argument("store", help="latent store .h5")
    dc.add_argument("--key-added", help="store as decoded/<key> (default: from the parameters, e.g. tau0.1_js, "
                                        "tau0.1_z_seed3), so that no decode replaces another made differently")
    o.add_decoding(dc)
    o.add_use_rep(dc)
    o.add_store_model(dc)
    dc.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Decode every stored vector and keep the strokes."""
    from latentlab import tl

    store = o.open_store(a.store)
    key = tl.decode(store, store.model(a.model), temperature=a.temperature, greedy=a.greedy, random_state=a.seed,
                    use_rep=a.use_rep, softmax_temperature=a.softmax_temperature, key_added=a.key_added)
    print(f"wrote {key} ({len(store)} sketches) to {a.store}")

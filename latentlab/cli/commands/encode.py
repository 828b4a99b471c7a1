"""``latentlab encode``: encode dataset splits into an HDF5 latent store (resumable)."""
from __future__ import annotations

import argparse

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.model import load_model
from latentlab.store.encode import encode_to_store
from latentlab.store.format import SUFFIXES as STORE_SUFFIXES


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    c = sub.add_parser("encode", help="encode dataset splits into an HDF5 latent store (resumable)",
                       description="Encode every sketch of the chosen splits into one HDF5 file: mu, sigma, z "
                                   "(seeded), per-sketch metadata and strokes, with provenance. Kill it and rerun "
                                   "the same command to resume; a store of another model or dataset is refused.")
    c.add_argument("model", help="model name (e.g. latentlab/quickdraw28, magenta/aaron_sheep/layer_norm) or folder")
    c.add_argument("data", nargs="+", help="magenta-format .npz file(s)")
    c.add_argument("--split", nargs="+", default=list(o.default(encode_to_store, "splits")), choices=o.SPLITS,
                   help="splits to encode")
    c.add_argument("-o", "--output", required=True, help="store .h5")
    c.add_argument("--seed", type=o.seed, default=o.default(encode_to_store, "seed"),
                   help="seed of the posterior samples z")
    c.add_argument("--block-size", type=o.between(1, 1_000_000), default=o.default(encode_to_store, "block_size"),
                   help="sketches per resumable block (the unit of work on a cluster)")
    o.add_cluster(c)
    c.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Encode dataset splits into a store (resumable)."""
    from latentlab.store import encode_to_store

    output_path(a.output, STORE_SUFFIXES, "latent store")
    model = load_model(a.model)
    with o.client(a) as client:
        out = encode_to_store(model, a.data, a.output, splits=a.split, seed=a.seed, block_size=a.block_size,
                              client=client)
    print(f"wrote {out}")

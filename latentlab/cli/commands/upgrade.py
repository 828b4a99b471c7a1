"""``latentlab upgrade``: bring a store of an earlier layout to the current one, in place."""
from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    up = sub.add_parser("upgrade", help="bring a store of an earlier layout to the current one, in place",
                        description="Layout 2 kept provenance and parameters as HDF5 attributes, which anndata "
                                    "drops; the current layout keeps them in uns (uns/latentlab, "
                                    "uns/<key>/params). Nothing is encoded or computed again; the store is "
                                    "replaced all-or-nothing.")
    up.add_argument("store", nargs="+", help="latent store .h5")
    up.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Upgrade each store given."""
    from latentlab.store import upgrade

    for path in a.store:
        print(f"{path}: {'upgraded' if upgrade(path) else 'already current'}")

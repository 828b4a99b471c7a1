"""``latentlab compare``: two models' spaces over the same sketches."""
from __future__ import annotations

import argparse
import json

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.tl import compare


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    c = sub.add_parser("compare", help="compare two models' spaces over the same sketches (CKA, shared neighbours)",
                       description="Two stores of the same sketches (the same data file encoded by two models; "
                                   "rows are matched by source and index, and their points must agree) compared "
                                   "as representations: linear CKA over every common row (1: the same space up to "
                                   "a rotation and a scale), the share of each sketch's nearest neighbours that "
                                   "both spaces agree on, and with labels how often each space's neighbours name "
                                   "the class. Prints the figures, then JSON on the last line.")
    c.add_argument("a", help="latent store .h5")
    c.add_argument("b", help="latent store .h5 of the same sketches")
    c.add_argument("-k", "--n-neighbors", type=o.between(1, 1000), default=o.default(compare, "n_neighbors"),
                   help="neighbours compared per sketch")
    o.add_use_rep(c)
    c.add_argument("--sample", type=o.between(10, 1_000_000), default=o.default(compare, "sample"),
                   help="sketches (seeded) whose neighbours and classes are measured")
    c.add_argument("--random-state", type=o.seed, default=o.default(compare, "random_state"), help="sample seed")
    c.add_argument("-o", "--output", help="the two maps side by side (.png): each PCA, the second rotated onto the "
                                          "first")
    c.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Compare, print, draw."""
    if a.output:
        output_path(a.output, (".png",), "comparison map")
    first, second = o.open_store(a.a), o.open_store(a.b)
    result = compare(first, second, use_rep=a.use_rep, n_neighbors=a.n_neighbors, sample=a.sample,
                     random_state=a.random_state)
    print(f"{result['rows']:,} sketches in common ({result['only_a']:,} only in {a.a}, {result['only_b']:,} only "
          f"in {a.b})")
    print(f"linear CKA {result['linear_cka']:.4f}; {a.n_neighbors} nearest shared "
          f"{result[f'mutual_knn{a.n_neighbors}']:.1%}")
    if "separation_a" in result:
        print(f"neighbours name the class: {result['separation_a']:.1%} in {a.a}, {result['separation_b']:.1%} in "
              f"{a.b}")
    if a.output:
        from latentlab.pl.compare import compare_maps
        from latentlab.pl.draw import save_png

        save_png(compare_maps(first, second, use_rep=a.use_rep, random_state=a.random_state), a.output)
        print(f"wrote {a.output}")
    print(json.dumps(result))

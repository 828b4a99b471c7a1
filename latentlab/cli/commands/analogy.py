"""``latentlab analogy``: latent arithmetic as in the paper: decode mu[a] - mu[b] + mu[c]."""
from __future__ import annotations

import argparse

from latentlab.atomic import output_path
from latentlab.cli import options as o


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    an = sub.add_parser("analogy", help="latent arithmetic as in the paper: decode mu[a] - mu[b] + mu[c]")
    an.add_argument("store", help="latent store .h5")
    for row in "abc":
        an.add_argument(row, type=o.between(0, o.MAX_COUNT), help=f"row {row} of the store")
    o.add_store_model(an)
    o.add_decoding(an, greedy=False)
    an.add_argument("-o", "--output", required=True, help="figure .png: a, b, c and the result")
    an.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Decode ``mu[a] - mu[b] + mu[c]`` of three rows and draw them with the result."""
    from latentlab.pl.draw import grid, save_png
    from latentlab.tl import decode_analogy

    output_path(a.output, (".png",), "figure")
    store = o.open_store(a.store)
    rows = [a.a, a.b, a.c]
    result = decode_analogy(store, *rows, model=store.model(a.model) if a.model else None,
                            temperature=a.temperature, random_state=a.seed, softmax_temperature=a.softmax_temperature)
    labels = store.label_names()
    captions = [f"a: #{a.a} {labels[a.a]}", f"- b: #{a.b} {labels[a.b]}", f"+ c: #{a.c} {labels[a.c]}", "= a - b + c"]
    save_png(grid(store.sketches(rows) + [result], captions, ncols=4), a.output)
    print(f"wrote {a.output}")

"""``latentlab neighbors``: nearest neighbours: of every sketch (stored), of a row, or of a file."""
from __future__ import annotations

import argparse
from pathlib import Path

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.tl import AUTO_EXACT_MAX, NEIGHBOR_METHODS, NEIGHBOR_METRICS, neighbors


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    nb = sub.add_parser("neighbors", help="nearest neighbours: of every sketch (stored), of a row, or of a file",
                        description="Without --query or --sketch: each sketch's k nearest others, stored as "
                                    "uns/knn (the report draws them) and as scanpy's graphs (obsp/distances, "
                                    "obsp/connectivities, uns/neighbors: `latentlab cluster` and scanpy's "
                                    "tl.leiden, tl.paga and tl.umap read them). With --query ROW or --sketch FILE: "
                                    "that sketch's neighbours, printed and optionally drawn.")
    nb.add_argument("store", help="latent store .h5")
    nb.add_argument("--query", type=o.between(0, o.MAX_COUNT), default=None, help="row of the store")
    nb.add_argument("--sketch", help="a sketch file (.npy, .json, .ndjson) to encode and query instead")
    nb.add_argument("-k", "--n-neighbors", type=o.between(1, 10_000), default=o.default(neighbors, "n_neighbors"),
                    help="number of neighbours")
    nb.add_argument("--metric", choices=NEIGHBOR_METRICS, default=o.default(neighbors, "metric"), help="distance")
    nb.add_argument("--method", choices=NEIGHBOR_METHODS, default=o.default(neighbors, "method"),
                    help="exact (scikit-learn), approx (pynndescent, for large stores), or auto: exact up to "
                         f"{AUTO_EXACT_MAX:,} sketches")
    o.add_use_rep(nb)
    o.add_store_model(nb)
    nb.add_argument("-o", "--output", help="grid .png of the query and its neighbours")
    o.add_cluster(nb)
    nb.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Store every sketch's neighbours, or print (and draw) one sketch's."""
    from latentlab import tl
    from latentlab.io.datasets import read_sketch
    from latentlab.pl.draw import grid, save_png

    if a.output:
        output_path(a.output, (".png",), "neighbour grid")
    store = o.open_store(a.store)
    if a.query is None and not a.sketch:
        with o.client(a) as client:
            tl.neighbors(store, n_neighbors=a.n_neighbors, metric=a.metric, use_rep=a.use_rep, method=a.method,
                         client=client)
        print(f"wrote uns/knn ({a.n_neighbors} nearest of each of {len(store)} sketches, {a.metric} on "
              f"{a.use_rep}) and scanpy's neighbour graphs (obsp/distances, obsp/connectivities) to {a.store}")
        return
    sketch = read_sketch(a.sketch) if a.sketch else None
    dist, rows = tl.neighbors_of(store, row=a.query, sketch=sketch, n_neighbors=a.n_neighbors, metric=a.metric,
                                 method=a.method, use_rep=a.use_rep, model=a.model)
    query_sketch = sketch if sketch is not None else store.sketches([a.query])[0]
    labels = store.label_names()
    for rank, (i, d) in enumerate(zip(rows, dist)):
        print(f"{rank + 1:3d}. #{i} {labels[i]} distance {d:.4f}")
    if a.output:
        caption = f"query {Path(a.sketch).name}" if a.sketch else f"query #{a.query} {labels[a.query]}"
        sketches = [query_sketch] + store.sketches(rows)
        captions = [caption] + [f"#{i} {labels[i]} d={d:.3g}" for i, d in zip(rows, dist)]
        save_png(grid(sketches, captions, ncols=min(6, len(sketches))), a.output)
        print(f"wrote {a.output}")

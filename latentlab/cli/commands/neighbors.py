"""``latentlab neighbors``: nearest neighbours: of every sketch (stored), of a row, or of a file."""
from __future__ import annotations

import argparse
from pathlib import Path

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.tl.neighbors import AUTO_EXACT_MAX
from latentlab.tl.neighbors import METHODS as NN_METHODS
from latentlab.tl.neighbors import METRICS


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    nb = sub.add_parser("neighbors", help="nearest neighbours: of every sketch (stored), of a row, or of a file",
                        description="Without --query or --sketch: each sketch's k nearest others, stored as "
                                    "uns/knn (the report draws them). With --query ROW or --sketch FILE: that "
                                    "sketch's neighbours, printed and optionally drawn.")
    nb.add_argument("store", help="latent store .h5")
    nb.add_argument("--query", type=o.between(0, o.MAX_COUNT), default=None, help="row of the store")
    nb.add_argument("--sketch", help="a sketch file (.npy, .json, .ndjson) to encode and query instead")
    nb.add_argument("-k", type=o.between(1, 10_000), default=10, help="number of neighbours")
    nb.add_argument("--metric", choices=METRICS, default="cosine", help="distance")
    nb.add_argument("--method", choices=NN_METHODS, default="auto",
                    help="exact (scikit-learn), approx (pynndescent, for large stores), or auto: exact up to "
                         f"{AUTO_EXACT_MAX:,} sketches")
    o.add_use_rep(nb)
    o.add_store_model(nb)
    nb.add_argument("-o", "--output", help="grid .png of the query and its neighbours")
    o.add_cluster(nb)
    nb.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    from latentlab.io.datasets import read_sketch
    from latentlab.pl.draw import grid, save_png
    from latentlab.tl import neighbors
    from latentlab.tl.project import vectors

    if a.output:
        output_path(a.output, (".png",), "neighbour grid")
    store = o.open_store(a.store)
    if a.query is None and not a.sketch:
        with o.client(a) as client:
            idx = neighbors.neighbors(store, n_neighbors=a.k, metric=a.metric, use_rep=a.use_rep, method=a.method,
                                      client=client)
        print(f"wrote uns/knn ({idx.shape[1]} nearest of each of {len(idx)} sketches, {a.metric} on "
              f"{a.use_rep}) to {a.store}")
        return
    index = neighbors.NeighborIndex(metric=a.metric, method=a.method).fit(vectors(store, a.use_rep))
    labels = store.label_names()
    if a.sketch:
        from latentlab.tl.decode import store_model  # the model (and TensorFlow) only for a sketch to encode

        query_sketch = read_sketch(a.sketch)
        dist, idx = index.kneighbors(store_model(store, a.model).encode([query_sketch]).mu, a.k)
        caption = f"query {Path(a.sketch).name}"
    else:
        dist, idx = neighbors.of_row(index, a.query, a.k, where=str(a.store))
        query_sketch = store.sketches([a.query])[0]
        caption = f"query #{a.query} {labels[a.query]}"
    rows = idx[0].tolist()
    for rank, (i, d) in enumerate(zip(rows, dist[0])):
        print(f"{rank + 1:3d}. #{i} {labels[i]} distance {d:.4f}")
    if a.output:
        sketches = [query_sketch] + store.sketches(rows)
        captions = [caption] + [f"#{i} {labels[i]} d={d:.3g}" for i, d in zip(rows, dist[0])]
        save_png(grid(sketches, captions, ncols=min(6, len(sketches))), a.output)
        print(f"wrote {a.output}")

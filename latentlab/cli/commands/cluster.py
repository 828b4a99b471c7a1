"""``latentlab cluster``: Leiden clusters of the neighbour graph, with a summary and a gallery."""
from __future__ import annotations

import argparse
import json

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.tl import leiden


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    c = sub.add_parser("cluster", help="Leiden clusters of the neighbour graph: obs/leiden, a summary, a gallery",
                       description="Leiden communities of the graph `latentlab neighbors` stores (scanpy's "
                                   "tl.leiden, igraph's implementation), written as obs/leiden (\"0\" the largest) "
                                   "with a summary under uns/leiden: each cluster's size, medoid sketch, exemplars, "
                                   "and where the store has labels its majority class and purity. The explorer "
                                   "colours and filters by it and labels the clusters on the map. Prints a line a "
                                   "cluster, then the summary as JSON on the last line.")
    c.add_argument("store", help="latent store .h5 (run `latentlab neighbors STORE` first)")
    c.add_argument("--resolution", type=o.number_in(1e-3, 100), default=o.default(leiden, "resolution"),
                   help="higher: more, smaller clusters")
    c.add_argument("--random-state", type=o.seed, default=o.default(leiden, "random_state"),
                   help="seed of the partition (recorded in uns/leiden/params)")
    c.add_argument("--key-added", default=o.default(leiden, "key_added"), help="obs column and uns group written")
    c.add_argument("-o", "--output", help="the gallery: a .png with a row per cluster (medoid, then exemplars)")
    c.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Cluster, print the summary, draw the gallery."""
    if a.output:
        output_path(a.output, (".png",), "cluster gallery")
    store = o.open_store(a.store)
    summary = leiden(store, resolution=a.resolution, random_state=a.random_state, key_added=a.key_added)
    for c in summary["clusters"]:
        label = f"  {c['majority']} {c['purity']:.0%}" if c.get("majority") else ""
        print(f"{a.key_added} {c['cluster']:>3}: {c['size']:6,} sketches, medoid row {c['medoid']}{label}")
    if a.output:
        from latentlab.pl.clusters import clusters
        from latentlab.pl.draw import save_png

        save_png(clusters(store, key=a.key_added), a.output)
        print(f"wrote {a.output}")
    print(json.dumps(summary))

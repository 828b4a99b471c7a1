"""``latentlab project``: PCA or UMAP of a store's vectors, written back into it."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o
from latentlab.tl.project import METHODS as PROJECTIONS


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    pr = sub.add_parser("project", help="PCA or UMAP of a store's vectors, written back into it")
    pr.add_argument("store", help="latent store .h5 (from `latentlab encode`)")
    pr.add_argument("--method", choices=tuple(PROJECTIONS), default="umap",
                    help="projection (stored as obsm/X_<method>)")
    o.add_use_rep(pr)
    pr.add_argument("--seed", type=o.seed, default=0, help="UMAP's random_state (recorded)")
    pr.add_argument("--n-components", type=o.between(1, 10_000), default=50, help="PCA")
    pr.add_argument("--n-neighbors", type=o.between(2, 10_000), default=15, help="UMAP")
    pr.add_argument("--min-dist", type=o.unit, default=0.1, help="UMAP")
    pr.add_argument("--metric", default="euclidean", help="UMAP")
    pr.add_argument("--key-added", help="store as obsm/X_<key> (default: the method), keeping earlier projections")
    pr.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                    help="PCA: fit and write a block of rows at a time (default: above 1,000,000 rows)")
    pr.add_argument("--sample-size", type=o.between(2, o.MAX_COUNT), metavar="N",
                    help="UMAP: fit on N rows drawn with --seed, transform the others (on the cluster if given)")
    o.add_cluster(pr)
    pr.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    from latentlab.tl import project

    store = o.open_store(a.store)
    kwargs = {"use_rep": a.use_rep, "seed": a.seed, "key_added": a.key_added or a.method}
    with o.client(a) as client:
        if a.method == "umap":
            kwargs.update(n_neighbors=a.n_neighbors, min_dist=a.min_dist, metric=a.metric,
                          sample_size=a.sample_size, client=client)
        else:
            kwargs.update(n_components=a.n_components, stream=a.stream)
        project.METHODS[a.method](store, **kwargs)
    print(f"wrote obsm/X_{kwargs['key_added']} {store.shape('obsm/X_' + kwargs['key_added'])} to {a.store}")
    if a.method == "pca":
        ratio = store.read(f"uns/{kwargs['key_added']}/variance_ratio")
        print("explained variance: " + ", ".join(f"PC{i + 1} {r:.3f}" for i, r in enumerate(ratio[:5]))
              + f"; first 10 together {ratio[:10].sum():.3f}")

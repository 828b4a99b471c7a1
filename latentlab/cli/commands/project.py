"""``latentlab project``: PCA or UMAP of a store's vectors, written back into it."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o
from latentlab.store.keys import PROJECTION_PREFIX, projection_keys
from latentlab.tl import PROJECTIONS, pca, umap


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    pr = sub.add_parser("project", help="PCA or UMAP of a store's vectors, written back into it")
    pr.add_argument("store", help="latent store .h5 (from `latentlab encode`)")
    pr.add_argument("--method", choices=tuple(PROJECTIONS), default="umap",
                    help=f"projection (stored as obsm/{PROJECTION_PREFIX}<method>, its parameters in "
                         "uns/<method>/params)")
    o.add_use_rep(pr)
    pr.add_argument("--seed", type=o.seed, default=o.default(umap, "random_state"),
                    help="UMAP's random_state (recorded)")
    pr.add_argument("--n-components", type=o.between(1, 10_000), default=o.default(pca, "n_components"), help="PCA")
    pr.add_argument("--n-neighbors", type=o.between(2, 10_000), default=o.default(umap, "n_neighbors"), help="UMAP")
    pr.add_argument("--min-dist", type=o.unit, default=o.default(umap, "min_dist"), help="UMAP")
    pr.add_argument("--metric", default=o.default(umap, "metric"), help="UMAP")
    pr.add_argument("--key-added", help="store as obsm/<key> and uns/<key> (default: "
                                         f"{PROJECTION_PREFIX}<method> and <method>), keeping earlier projections")
    pr.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                    help="PCA: fit and write a block of rows at a time (default: above 1,000,000 rows)")
    pr.add_argument("--sample-size", type=o.between(2, o.MAX_COUNT), metavar="N",
                    help="UMAP: fit on N rows drawn with --seed, transform the others (on the cluster if given)")
    o.add_cluster(pr)
    pr.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Project the stored vectors and write the result back."""

    store = o.open_store(a.store)
    kwargs = {"use_rep": a.use_rep, "random_state": a.seed, "key_added": a.key_added}
    with o.client(a) as client:
        if a.method == "umap":
            kwargs.update(n_neighbors=a.n_neighbors, min_dist=a.min_dist, metric=a.metric,
                          sample_size=a.sample_size, client=client)
        else:
            kwargs.update(n_components=a.n_components, stream=a.stream)
        PROJECTIONS[a.method](store, **kwargs)
    basis, uns = projection_keys(a.method, a.key_added)
    print(f"wrote obsm/{basis} {store.shape('obsm/' + basis)} to {a.store}")
    if a.method == "pca":
        ratio = store.read(f"uns/{uns}/variance_ratio")
        print("explained variance: " + ", ".join(f"PC{i + 1} {r:.3f}" for i, r in enumerate(ratio[:5]))
              + f"; first 10 together {ratio[:10].sum():.3f}")

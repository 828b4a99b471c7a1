"""``latentlab report``: the explorer: one offline HTML page of the map, sketches drawn in it."""
from __future__ import annotations

import argparse

from pathlib import Path

from latentlab.atomic import output_path
from latentlab.errors import LatentlabValueError
from latentlab.cli import options as o
from latentlab.explorer.inpage import PRECISIONS
from latentlab.explorer.report import MAX_POINTS, write_report
from latentlab.explorer.report import SUFFIXES as REPORT_SUFFIXES
from latentlab.explorer.tiled import write_tiled


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    rp = sub.add_parser("report", help="the explorer: one offline HTML page of the map, or a tiled folder",
                        description="-o x.html writes one self-contained HTML file: the projection as a map of every "
                                    f"point (up to {MAX_POINTS:,}; above, a seeded sample) with representative "
                                    "sketches drawn on it, an inspector drawing the hovered sketch beside its "
                                    "decode, neighbours on click, a grid of box/lasso selections, class search, "
                                    "colour and filters. -o FOLDER/ writes the same explorer tiled, for any number "
                                    "of rows: a page and a quadtree of tiles it loads as you zoom and pan "
                                    "(resumable; --workers/--cluster write it in parallel), served by `latentlab "
                                    "serve FOLDER` or any static host (a page opened from a file cannot fetch its "
                                    "tiles).")
    rp.add_argument("store", help="latent store .h5 with a projection (`latentlab project`)")
    rp.add_argument("--basis", default=o.default(write_report, "basis"), metavar="KEY",
                    help="projection shown first: umap, pca or any obsm key (the page offers every 2-D projection); "
                         "tiled: KEY,KEY... for several, each with its own tiles, switched in the page")
    rp.add_argument("--decoded", help="show only this decoded group beside the originals, e.g. tau0.1_js; 'none' "
                                      "for none (default: every cached decode, the newest first)")
    rp.add_argument("--color-by", default=o.default(write_report, "color_by"), metavar="COLUMN",
                    help="class or any numeric or categorical obs column (length, Lr from `latentlab score`, a "
                         "scanpy leiden...); auto: class when the store has several, else length")
    rp.add_argument("--n-neighbors", type=o.between(1, 10_000), metavar="K",
                    help="store each sketch's K nearest (cosine on mu) first, unless stored already")
    rp.add_argument("--max-points", type=o.between(1, o.MAX_COUNT), default=o.default(write_report, "max_points"),
                    help="above this, show a seeded random sample (the page says so)")
    rp.add_argument("--seed", type=o.seed, default=o.default(write_report, "seed"), help="seed of that sample")
    rp.add_argument("--title", help="page title (default: store name, projection and number of points)")
    rp.add_argument("--with-model", action="store_true",
                    help="embed the model (int8, about 2.5 MB for the bundled sheep) and the shown sketches' mu: "
                         "draw to search and interpolate inside the page, no server (tiled: model.bin and every "
                         "row's mu in search/, about 130 bytes a row)")
    o.add_store_model(rp)
    rp.add_argument("--model-precision", choices=PRECISIONS, default=o.default(write_report, "model_precision"),
                    help="weights in the page: int8 (per-row scales) or float32 (exact, four times the size)")
    rp.add_argument("--tile-capacity", type=o.between(64, 1 << 20), default=o.default(write_tiled, "capacity"),
                    metavar="N", help="tiled explorer: rows each tile adds to the view")
    o.add_cluster(rp)
    rp.add_argument("-o", "--output", required=True, help="report .html, or a folder for the tiled explorer")
    rp.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Write the explorer: the single file, or the tiled folder."""
    if not a.output.lower().endswith(REPORT_SUFFIXES):
        return tiled(a)
    if a.cluster or a.workers:
        raise LatentlabValueError("--cluster/--workers write the tiled explorer: give -o a folder")
    output_path(a.output, REPORT_SUFFIXES, "report")
    out = write_report(o.open_store(a.store), a.output, basis=a.basis, decoded=a.decoded, color_by=a.color_by,
                       title=a.title, max_points=a.max_points, seed=a.seed, n_neighbors=a.n_neighbors,
                       with_model=a.with_model, model=a.model, model_precision=a.model_precision)
    print(f"wrote {out}")


def tiled(a: argparse.Namespace) -> None:
    """Write the tiled explorer into the folder ``a.output``."""
    if Path(a.output).suffix:
        raise LatentlabValueError(f"{a.output}: a report is written as .html, or as a folder (a name without "
                                  "a suffix) for the tiled explorer")
    with o.client(a) as client:
        out = write_tiled(o.open_store(a.store), a.output, basis=a.basis.split(","), decoded=a.decoded,
                          color_by=a.color_by, title=a.title, capacity=a.tile_capacity, seed=a.seed,
                          n_neighbors=a.n_neighbors, with_model=a.with_model, model=a.model,
                          model_precision=a.model_precision, client=client)
    print(f"wrote {out}/ : run `latentlab serve {out}` and open the address it prints (or put it on any static host)")

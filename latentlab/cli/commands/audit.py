"""``latentlab audit``: mislabelled, out-of-domain and near-duplicate sketches, with cleanlab's names."""
from __future__ import annotations

import argparse
import json

from latentlab.cli import options as o
from latentlab.tl import audit


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    a = sub.add_parser("audit", help="find mislabelled, out-of-domain and near-duplicate sketches",
                       description="Scores every row as cleanlab's Datalab does (a score in 0..1, low: more likely "
                                   "an issue, and a flag): label_score, is_label_issue and predicted_label (a "
                                   "classifier on mu, out of fold; needs two classes or more), outlier_score and "
                                   "is_outlier_issue (the encoder's posterior spread and, after `latentlab score`, "
                                   "the reconstruction loss a point), near_duplicate_score, is_near_duplicate_issue "
                                   "and near_duplicate_set (from the stored neighbours). Written as obs columns: "
                                   "the explorer colours and filters by them. Prints the worst rows of each kind, "
                                   "then the summary as JSON on the last line.")
    a.add_argument("store", help="latent store .h5 (run `latentlab neighbors STORE` first; `latentlab score STORE` "
                                 "too for the outlier score to weigh Lr)")
    a.add_argument("--near-duplicate-threshold", type=o.number_in(1e-6, 0.999999),
                   default=o.default(audit, "near_duplicate_threshold"),
                   help="near duplicates are closer than this times the median nearest-neighbour distance")
    a.add_argument("--outlier-z", type=o.number_in(0.5, 100), default=o.default(audit, "outlier_z"),
                   help="flag rows whose combined robust z-score passes this")
    a.add_argument("--random-state", type=o.seed, default=o.default(audit, "random_state"),
                   help="seed of the label classifier's folds (recorded in uns/audit/params)")
    a.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Audit the store and print what it found."""
    store = o.open_store(a.store)
    summary = audit(store, near_duplicate_threshold=a.near_duplicate_threshold, outlier_z=a.outlier_z,
                    random_state=a.random_state)
    for kind in ("label", "outlier", "near_duplicate"):
        if kind not in summary:
            print(f"{kind} issues: not judged (the store has fewer than two labelled classes)")
            continue
        found = summary[kind]
        worst = ", ".join(f"#{w['row']}" + (f" {w['given']}->{w['suggested']}" if "given" in w else "")
                          for w in found["worst"][:5])
        print(f"{kind} issues: {found['issues']:,} flagged; lowest scores: {worst}")
    print(json.dumps(summary))

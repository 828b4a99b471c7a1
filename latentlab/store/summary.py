"""A store as a notebook shows it (``LatentStore._repr_html_``): its rows, model, keys and projections, and the
next useful step."""
from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from latentlab.store.format import LatentStore

# (key the step makes, what to run): the first one the store lacks is suggested
STEPS = (("obsm/X_umap", "tl.umap(store)  # a map of the space"),
         ("uns/knn", "tl.neighbors(store)  # each sketch's nearest, and scanpy's graphs"),
         ("obs/leiden", "tl.leiden(store)  # clusters, with a summary"),
         ("obs/outlier_score", "tl.audit(store)  # mislabelled, out-of-domain and repeated sketches"),
         ("uns/decoded", "tl.decode(store, temperature=0.1)  # thumbnails of the decodes"))


def next_step(store: "LatentStore") -> str | None:
    """The first of :data:`STEPS` the store has not had, or None."""
    return next((step for key, step in STEPS if not store.has(key)), None)


def html_summary(store: "LatentStore") -> str:
    """An HTML table of what ``store`` holds.

    Parameters
    ----------
    store
        The latent store.
    """
    p = store.provenance
    labels = store.read("obs/label")
    rows = [("rows", f"{len(store):,} sketches, {len(set(labels[labels >= 0].tolist()))} classes"
                     + (f" ({sum(p.get('left_out') or []):,} longer than max_seq_len left out)"
                        if sum(p.get("left_out") or []) else "")),
            ("model", f"{Path(str(p.get('model_dir', ''))).name} (step {p.get('model_step')}, z "
                      f"{store.shape('obsm/mu')[1]})"),
            ("sources", ", ".join(store.sources)),
            ("projections", ", ".join(k for k in store.keys("obsm") if k not in ("mu", "sigma", "z")) or "none"),
            ("obs", ", ".join(k for k in store.keys("obs") if not k.startswith("_"))),
            ("results", ", ".join(k for k in store.keys("uns") if k not in ("latentlab", "strokes")) or "none")]
    step = next_step(store)
    if step:
        rows.append(("next", f"<code>{html.escape(step)}</code>"))
    body = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{k}</th><td style='text-align:left'>"
                   f"{v if k == 'next' else html.escape(v)}</td></tr>" for k, v in rows)
    return f"<div><b>LatentStore</b> <code>{html.escape(str(store.path))}</code><table>{body}</table></div>"

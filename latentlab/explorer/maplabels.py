"""What the explorers show of the analysis: labels on the map, as datamapplot places them (for each category of a
colour column, the classes or Leiden clusters, its name at the heart of its points with the sketch found there
beside it; drawn for the column the map is coloured by), and the audit's worst rows with their sketches.  The
manifest carries them (``labels``, ``issues``)."""
from __future__ import annotations

import numpy as np

from latentlab.io.strokes import to_polylines
from latentlab.store import LatentStore

MAX_CATEGORIES = 64  # a column with more categories is not labelled (too many to read)
MIN_SHARE = 0.005  # a category with fewer rows than this share of the store (and fewer than 5) gets no label
THUMB = 100  # thumbnails travel as integer polylines in a THUMB-square box


def _thumbnail(sketch: np.ndarray, points: int = 80) -> list[list[int]]:
    """A sketch as the page's polylines (flat ``[x0, y0, x1, y1...]``), at most ``points`` points, in a box of
    :data:`THUMB`."""
    lines = to_polylines(sketch)
    if not lines:
        return []
    every = max(1, -(-sum(len(line) for line in lines) // points))
    lines = [line[::every] if len(line) > every else line for line in lines]
    allp = np.concatenate(lines)
    lo, extent = allp.min(0), max(float(np.ptp(allp, axis=0).max()), 1e-6)
    return [np.rint((line - lo) / extent * THUMB).astype(int).ravel().tolist() for line in lines]


def _texts(store: LatentStore, column: str, categories: list[str]) -> list[str]:
    """Each category's label: its name; a clustering's also names its majority class (``3: rabbit``)."""
    if store.has(f"uns/{column}/majority"):
        names, majority = store.class_names, store.read(f"uns/{column}/majority")
        return [f"{c}: {names[m]}" if i < len(majority) and (m := int(majority[i])) >= 0 else c
                for i, c in enumerate(categories)]
    return list(categories)


def map_labels(store: LatentStore, columns: list[dict], bases: list[str]) -> dict[str, list[dict]]:
    """For each categorical colour column of 2 to :data:`MAX_CATEGORIES` categories, a label per category:
    ``code``, ``text``, ``size``, ``at`` (per projection, the data position of the member nearest the median of
    its members), ``row`` (that member) and ``thumb`` (its sketch), largest category first.

    Parameters
    ----------
    store
        The latent store.
    columns
        The page's colour columns (:func:`latentlab.explorer.pagedata.column_meta`).
    bases
        The projections (obsm keys) the page maps.
    """
    n = len(store)
    floor = max(5, int(MIN_SHARE * n))
    xy = {b: store.read(f"obsm/{b}")[:, :2].astype(np.float64) for b in bases}
    out = {}
    for col in columns:
        if col["kind"] != "categorical" or not 2 <= len(col["categories"]) <= MAX_CATEGORIES:
            continue
        codes = store.read(f"obs/{col['column']}")
        counts = np.bincount(codes[codes >= 0], minlength=len(col["categories"]))
        texts = _texts(store, col["column"], col["categories"])
        labels = []
        for code in np.argsort(-counts, kind="stable"):
            if counts[code] < floor:
                break
            members = np.flatnonzero(codes == code)
            at, rows = {}, []
            for b in bases:
                pts = xy[b][members]
                row = int(members[np.argmin(((pts - np.median(pts, axis=0)) ** 2).sum(1))])
                at[b] = [float(v) for v in xy[b][row]]
                rows.append(row)
            labels.append({"code": int(code), "text": texts[code], "size": int(counts[code]), "at": at,
                           "row": rows[0]})
        if labels:
            for label, sketch in zip(labels, store.sketches([lab["row"] for lab in labels])):
                label["thumb"] = _thumbnail(sketch)
            out[col["name"]] = labels
    return out


def issue_view(store: LatentStore) -> dict | None:
    """The audit's summary (:func:`latentlab.tl.audit_summary`) with a thumbnail of each worst row, or None for a
    store not audited.

    Parameters
    ----------
    store
        The latent store.
    """
    from latentlab.tl import audit_summary

    if not store.has("obs/outlier_score"):
        return None
    summary = audit_summary(store)
    worst = [w for kind in ("label", "outlier", "near_duplicate") if kind in summary for w in summary[kind]["worst"]]
    for w, sketch in zip(worst, store.sketches([w["row"] for w in worst])):
        w["thumb"] = _thumbnail(sketch)
    return summary

"""What the explorer page shows of a store: its 2-D projections in ``obsm``, the obs columns it colours and filters
by (with their palettes), the cached decodes, the stored neighbours, the model it runs and the provenance.  The
tiled writer (:mod:`latentlab.explorer.tiled`) puts them in its manifest and tiles; every string is escaped when
the page is written.
"""
from __future__ import annotations

import colorsys
import json
import os
from typing import TYPE_CHECKING

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.store.format import PROVENANCE, LatentStore
from latentlab.store.keys import is_default_projection, maker, obsm_key, uns_key

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN

MAX_POINTS = 200_000  # above this the single file shows a seeded random sample and says so
NEIGHBORS_KEY = "knn"  # not scanpy's "neighbors", whose uns entry its own tools read
LATENT_OBSM = ("mu", "sigma", "z", "presig")  # the vectors themselves, not projections
OWN_OBS = ("_index", "index", "label", "source")  # shown as the row, class and split, not as colours
BUILT_IN = {"length": "length", "Lr": "lr"}  # obs columns -> the page's array names (the rest: "obs:<name>")


def palette(n: int) -> list[str]:
    """``n`` distinct colours, evenly spaced in hue (enough for hundreds of classes).

    Parameters
    ----------
    n
        How many.
    """
    out = []
    for i in range(max(n, 1)):
        r, g, b = colorsys.hsv_to_rgb((i * 0.618034) % 1.0, 0.75, 0.85 - 0.25 * (i % 3) / 2)
        out.append(f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}")
    return out


def resolve_decoded(store: LatentStore, decoded: str | None) -> list[str]:
    """The decoded groups to show, the first shown first: ``decoded`` as ``tau0.1_js`` or ``decoded/tau0.1_js``
    (that one only), ``"none"`` for none, or by default every cached decode, the newest (last written) first.

    Parameters
    ----------
    store
        The latent store.
    decoded
        A decoded group's name, ``"none"``, or None.
    """
    cached = store.keys("decoded")
    if decoded == "none":
        return []
    if decoded is None:
        written = {k: str(store.params(f"decoded/{k}").get("written", "")) for k in cached}
        return ["decoded/" + k for k in sorted(cached, key=lambda k: (written[k], k), reverse=True)]
    name = decoded.removeprefix("decoded/")
    if name not in cached:
        have = ", ".join(cached) or "none"
        raise LatentlabValueError(f"{store.path}: no decoded group {name!r} (cached: {have}); "
                                  f"run `{maker('uns/decoded', str(store.path))[0]}` to make one")
    return [f"decoded/{name}"]


def projections(store: LatentStore, basis: str) -> list[str]:
    """The obsm keys the page can map, ``basis`` first: every 2-D-or-wider float array but the latent vectors.

    Parameters
    ----------
    store
        The latent store.
    basis
        The first: an obsm key (``X_umap``, a ``key_added``) or a scanpy basis name (``umap`` for ``X_umap``).
    """
    keys = [k for k in store.keys("obsm") if k not in LATENT_OBSM and len(store.shape(f"obsm/{k}")) == 2
            and store.shape(f"obsm/{k}")[1] >= 2]
    first = obsm_key(basis, keys)
    if first not in keys:
        if is_default_projection(first):
            store.shape(f"obsm/{first}")  # says which command makes it
        raise LatentlabValueError(f"{store.path}: no projection {basis!r} in obsm (have: {', '.join(keys) or 'none'}); "
                                  f"`latentlab project` makes them")
    return [first] + [k for k in keys if k != first]


def _obs_column(store: LatentStore, name: str) -> tuple[str, np.ndarray, list[str] | None] | None:
    """(kind, values, categories) of an obs column the page can colour by, or None (text, nullable...)."""
    key = f"obs/{name}"
    if store.has(f"{key}/codes") and store.has(f"{key}/categories"):
        return "categorical", store.read(key), store.strings(f"{key}/categories")
    try:
        values = store.read(key) if len(store.shape(key)) == 1 else None
    except AttributeError:  # another group (a nullable column's values and mask)
        return None
    ok = values is not None and values.dtype.kind in "iufb"
    return ("numeric", values.astype(np.float32), None) if ok else None


def column_meta(store: LatentStore) -> list[dict]:
    """Every obs column the page can colour and filter by: ``class`` (``obs/label``) first, then the numeric and
    categorical columns (a scanpy ``leiden``, ``length``, ``Lr``...), each with its page array's name, its kind,
    and its categories and palette or whether it holds only integers (over every row).

    ``source`` (``file.npz:split``, the file's name without its folder) is one when the store has several: the page
    filters splits by it.

    Parameters
    ----------
    store
        The latent store.
    """
    classes = store.class_names
    meta = [{"name": "class", "column": "label", "array": "label", "kind": "categorical", "categories": classes,
             "palette": palette(len(classes))}]
    if len(store.sources) > 1:
        short = [os.path.basename(s) for s in store.sources]  # "file.npz:split", unless two files share a name
        names = short if len(set(short)) == len(short) else store.sources
        meta.append({"name": "source", "column": "source", "array": "source", "kind": "categorical",
                     "categories": names, "palette": palette(len(names))})
    for name in sorted(store.keys("obs"), key=lambda k: (k not in BUILT_IN, k)):
        got = None if name in OWN_OBS else _obs_column(store, name)
        if got is None:
            continue
        kind, values, cats = got
        col = {"name": name, "column": name, "array": BUILT_IN.get(name, f"obs:{name}"), "kind": kind}
        if kind == "numeric":
            col["integer"] = bool(np.all(np.isfinite(values)) and np.all(values == np.round(values)))
        else:
            col.update(categories=cats, palette=palette(len(cats)))
        meta.append(col)
    return meta


def column_arrays(store: LatentStore, meta: list[dict], rows: np.ndarray | slice) -> dict[str, np.ndarray]:
    """The page arrays of :func:`column_meta`'s columns for ``rows``: a slice reads only those rows (a block of
    the tiled explorer), an index array reads each column whole and picks them.

    Parameters
    ----------
    store
        The latent store.
    meta
        :func:`column_meta`'s columns.
    rows
        The shown rows.
    """
    arrays = {}
    for col in meta:
        key = f"obs/{col['column']}"
        values = store.read(key)[rows] if isinstance(rows, np.ndarray) else store.read(key, rows)
        if col["kind"] == "numeric":
            arrays[col["array"]] = values.astype(np.float32)
        else:
            arrays[col["array"]] = values.astype(np.int16 if len(col["categories"]) < 32000 else np.int32)
    if "length" in arrays:
        arrays["length"] = np.minimum(arrays["length"], 65535).astype(np.uint16)
    return arrays


def color_column(store: LatentStore, cols: list[dict], color_by: str, labels: np.ndarray) -> str:
    """The column the map is coloured by first: ``color_by``, or for ``"auto"`` the class when ``labels`` hold
    several, else the length; a name the store lacks fails, saying what it has (or which command makes ``Lr``).

    Parameters
    ----------
    store
        The latent store.
    cols
        :func:`column_meta`'s columns.
    color_by
        A column's name, or ``"auto"``.
    labels
        The shown rows' class codes.
    """
    if color_by == "auto":
        return "class" if len(set(np.unique(labels).tolist()) - {-1}) > 1 else "length"
    if color_by not in [c["name"] for c in cols]:
        if color_by == "Lr":
            store.shape("obs/Lr")  # says which command makes it
        raise LatentlabValueError(f"{store.path}: color_by must be 'auto' or an obs column of the store "
                                  f"({', '.join(c['name'] for c in cols)}), got {color_by!r}")
    return color_by


def ensure_neighbors(store: LatentStore, n_neighbors: int | None) -> None:
    """Store each sketch's ``n_neighbors`` nearest (:func:`latentlab.tl.neighbors`, cosine on mu) unless that many
    are stored already; None: leave the store as it is.

    Parameters
    ----------
    store
        The latent store.
    n_neighbors
        Neighbours a sketch, or None.
    """
    if n_neighbors and store.params(NEIGHBORS_KEY).get("n_neighbors") != n_neighbors:
        from latentlab.tl import neighbors

        neighbors(store, n_neighbors=n_neighbors, key_added=NEIGHBORS_KEY)


def page_model_of(store: LatentStore, model) -> "SketchRNN":
    """``model`` loaded: a folder or name (checked against the store's provenance), a loaded model as it is, or
    None: the model that encoded the store.

    Parameters
    ----------
    store
        The latent store.
    model
        A model name or folder, a loaded model, or None.
    """
    return store.model(model) if model is None or isinstance(model, (str, os.PathLike)) else model


def page_model(store: LatentStore, model: "SketchRNN", *, precision: str, rows: np.ndarray, seed: int = 0
               ) -> tuple[dict, dict[str, np.ndarray]]:
    """The model a page runs: ``(meta, tensors)`` of :func:`latentlab.explorer.inpage.model_arrays`, with the
    drawing settings under which a drawing made in the page looks like the store's sketches (measured on up to
    400 of ``rows``, seeded); no tensors when the page cannot run the model (``meta["unsupported"]`` says why).

    Parameters
    ----------
    store
        The latent store.
    model
        The loaded model (:func:`page_model_of`).
    precision
        ``"int8"`` or ``"float32"``.
    rows
        The rows the page shows.
    seed
        Seed of the measured sample.
    """
    from latentlab.io.quickdraw import drawing_conversion
    from latentlab.explorer.inpage import model_arrays

    meta, tensors = model_arrays(model, precision=precision)
    if tensors:
        sample = np.random.default_rng(seed).choice(rows, min(400, len(rows)), replace=False)
        meta["drawing"] = drawing_conversion(store.sketches(np.sort(sample).tolist()))
    return meta, tensors


def provenance_rows(store: LatentStore, bases: list[str], decodes: list[str]) -> list[list[str]]:
    """The store's provenance as [name, value] rows for a page's About tab: how it was made, its sources, and the
    parameters of the projections ``bases`` and of the ``decodes`` shown.

    Parameters
    ----------
    store
        The store.
    bases
        The projections' obsm keys.
    decodes
        The decoded groups' keys (``decoded/...``).
    """
    p = store.provenance
    rows = [[k, str(p[k])] for k in PROVENANCE + ("created",) if k in p and k not in ("sources", "dataset_sha256")]
    shas = p.get("dataset_sha256") or []
    for k, source in enumerate(store.sources):
        rows.append([f"source {k}", f"{source}  sha256 {shas[k] if k < len(shas) else '?'}"])
    rows += [[f"obsm/{b}", json.dumps(store.params(uns_key(b)))] for b in bases]
    rows += [[d, json.dumps(store.params(d))] for d in decodes]
    if store.has(f"uns/{NEIGHBORS_KEY}/indices"):
        rows.append([f"uns/{NEIGHBORS_KEY}", json.dumps(store.params(NEIGHBORS_KEY))])
    return rows


def left_out(store: LatentStore) -> str:
    """What encoding left out of the data, for the page to say ("" when nothing was)."""
    dropped = sum(store.provenance.get("left_out") or [])
    return f"{dropped:,} left out (over max_seq_len {store.provenance.get('max_seq_len')})" if dropped else ""

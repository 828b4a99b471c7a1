"""Upgrade a store of layout 2 (parameters and provenance as HDF5 attributes, which anndata drops) to the
current layout (provenance in ``uns/latentlab``, each result's parameters in ``uns/<key>/params``), in place and
all-or-nothing.  The data are not touched: no sketch is encoded, projected or decoded again."""
from __future__ import annotations

import json
import os
from pathlib import Path

import h5py
import numpy as np

from latentlab.errors import LatentlabError
from latentlab.store.check import LAYOUT_VERSION
from latentlab.store.editor import StoreEditor, edited
from latentlab.store.keys import layout2_uns_key, uns_key
from latentlab.store.params import write_dict


def upgrade(path: str | os.PathLike) -> bool:
    """Bring the store at ``path`` to the current layout.

    Parameters
    ----------
    path
        A store written by latentlab with layout 2 (or already current).

    Returns
    -------
    Whether the store was changed (False: it was current already).
    """
    path = Path(path)
    try:
        with h5py.File(path, "r") as f:
            current = "uns/latentlab" in f
            version = f.attrs.get("layout_version")
            version = version.item() if isinstance(version, np.generic) else version
    except OSError as exc:
        raise LatentlabError(f"{path}: not a readable HDF5 latent store ({exc})") from None
    if current:
        return False
    if version != 2:
        raise LatentlabError(f"{path}: layout {version} cannot be upgraded (only layout 2); encode it again")
    with edited(path, "upgrade") as e:
        _upgrade(e)
    return True


def _attrs(obj: h5py.HLObject) -> dict:
    """Layout 2's parameters of ``obj``: JSON text for lists and dicts, an empty string for None."""
    out = {}
    for k, v in obj.attrs.items():
        if k.startswith("encoding-") or k in ("_index", "column-order", "ordered"):
            continue
        v = v.decode() if isinstance(v, bytes) else v
        if isinstance(v, str) and v[:1] in "[{":
            v = json.loads(v)
        elif isinstance(v, (np.generic, np.ndarray)):
            v = v.item() if np.size(v) == 1 else v.tolist()
        out[k] = None if v == "" else v
        del obj.attrs[k]
    return out


def _upgrade(e: StoreEditor) -> None:
    f = e.f
    provenance = _attrs(f)
    provenance["layout_version"] = LAYOUT_VERSION
    write_dict(f["uns"], "latentlab", provenance)
    for key in list(f["obsm"]):
        params = _attrs(f[f"obsm/{key}"])
        if not params:
            continue
        target = uns_key(key)
        old = layout2_uns_key(key)
        if target != old and old in f["uns"] and "indices" not in f[f"uns/{old}"]:
            f.move(f"uns/{old}", f"uns/{target}")
        e.params(target, params)
    score = {}
    for column in ("Lr", "Lkl"):
        if column in f["obs"]:
            score = _attrs(f[f"obs/{column}"]) or score
    if score:
        e.params("score", score)
    for group in list(f["uns"]):
        if isinstance(f[f"uns/{group}"], h5py.Group) and "indices" in f[f"uns/{group}"]:
            e.params(group, _attrs(f[f"uns/{group}"]))
    for group in list(f["uns/decoded"]) if "uns/decoded" in f else []:
        e.params(f"decoded/{group}", _attrs(f[f"uns/decoded/{group}"]))
    for obj in _all(f):  # whatever else carried parameters (e.g. uns/pca/variance_ratio, a copy of obsm's)
        _attrs(obj)


def _all(f: h5py.File) -> list[h5py.HLObject]:
    found = []
    f.visititems(lambda name, obj: found.append(obj))
    return found

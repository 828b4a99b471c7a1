"""What a store must hold, checked when it is opened: its provenance attributes and the structure every reader
relies on (so a damaged store is refused in one line, not met by a reader's traceback)."""
from __future__ import annotations

import os

import h5py
import numpy as np

from latentlab.errors import LatentlabError
from latentlab.store.keys import is_projection
from latentlab.store.params import read_dict

LAYOUT_VERSION = 3  # 1: plain HDF5 groups; 2: AnnData, parameters as HDF5 attributes; 3: parameters in uns
NUMERIC_OBS = ("index", "length", "Lr", "Lkl")  # the obs columns latentlab reads as numbers
ATTR_TYPES = {"layout_version": int, "model_step": int, "seed": int, "block_size": int, "scale_factor": float,
              "model_dir": str, "config_hash": str, "weights_sha256": str, "split": str, "latentlab_version": str,
              "sources": list, "dataset_sha256": list, "created": str, "max_seq_len": int, "left_out": list}


def read_provenance(f: h5py.File, where: str) -> dict:
    """The provenance of an open store (``uns/latentlab``), each known value checked for its type; a file of
    another program or of an earlier layout is refused, saying what to do.

    Parameters
    ----------
    f
        The store, open.
    where
        Its path, for the errors.
    """
    if "uns/latentlab" not in f:
        version = f.attrs.get("layout_version")
        version = version.item() if isinstance(version, np.generic) else version
        if version is None:
            raise LatentlabError(f"{where}: has no latentlab provenance (uns/latentlab): not a latent store. "
                                 "Create one with `latentlab encode MODEL DATA -o STORE.h5`")
        if _is_a(version, int) and int(version) == 2:
            raise LatentlabError(f"{where}: a store of layout 2 (parameters as HDF5 attributes, which anndata "
                                 f"drops); upgrade it in place with `latentlab upgrade {where}`")
        raise LatentlabError(f"{where}: a store of an earlier latentlab (layout {str(version)[:20]}, now "
                             f"{LAYOUT_VERSION}: an AnnData .h5ad file); encode it again with `latentlab encode "
                             "MODEL DATA -o NEW.h5`")
    if not isinstance(f["uns/latentlab"], h5py.Group):
        raise LatentlabError(f"{where}: corrupt latent store: uns/latentlab is not a group")
    out = read_dict(f["uns/latentlab"], where)
    for key, kind in ATTR_TYPES.items():
        if key in out and not _is_a(out[key], kind):
            raise LatentlabError(f"{where}: provenance {key} is {str(out[key])[:60]!r}, not a {kind.__name__}")
    if "left_out" in out and not all(_is_a(n, int) and n >= 0 for n in out["left_out"]):
        raise LatentlabError(f"{where}: provenance left_out is {str(out['left_out'])[:60]!r}, not counts of sketches")
    if "layout_version" not in out or int(out["layout_version"]) != LAYOUT_VERSION:
        raise LatentlabError(f"{where}: layout {out.get('layout_version')} is not this latentlab's "
                             f"({LAYOUT_VERSION}); use the latentlab that wrote it")
    return out


def read_attrs(path: str | os.PathLike) -> dict:
    """:func:`read_provenance` of the store at ``path``."""
    try:
        with h5py.File(path, "r") as f:
            return read_provenance(f, str(path))
    except OSError as exc:
        raise LatentlabError(f"{path}: not a readable HDF5 latent store ({exc})") from None


def _is_a(value, kind: type) -> bool:
    """Whether an attribute holds a ``kind``: a float that is whole counts as an int, a bool as neither."""
    if kind in (int, float):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return number and (kind is float or float(value).is_integer())
    return isinstance(value, kind)


def check_store(f: h5py.File, where: str) -> None:
    """The structure every store has, checked in one pass over its small arrays: the keys are there, every
    per-sketch array has a row for each sketch, codes point into their categories, offsets into their points.

    Parameters
    ----------
    f
        The store, open.
    where
        Its path, for the errors.
    """
    for key in ("obs/length", "obs/label/codes", "obs/label/categories", "obs/source/codes", "obs/source/categories",
                "obsm/mu", "uns/strokes/points", "uns/strokes/offsets"):
        if key not in f or not isinstance(f[key], h5py.Dataset):
            _fail(where, f"no '{key}'")
    if f["obs/length"].ndim != 1:
        _fail(where, "obs/length is not a column")
    n = f["obs/length"].shape[0]
    _check_obs(f, where, n)
    _check_obsm(f, where, n)
    _check_neighbors(f, where, n)
    groups = ["uns/strokes"] + ([f"uns/decoded/{k}" for k in f["uns/decoded"]] if "uns/decoded" in f else [])
    for group in groups:
        _check_sketches(f, where, group, n)


def _fail(where: str, reason: str):
    raise LatentlabError(f"{where}: corrupt latent store: {reason}")


def _check_obs(f: h5py.File, where: str, n: int) -> None:
    for key, kind in (("obs/length", "iu"), ("obs/label/codes", "iu"), ("obs/source/codes", "iu")):
        if f[key].shape != (n,) or f[key].dtype.kind not in kind:
            _fail(where, f"{key} is {f[key].dtype} {f[key].shape}, not {n} integers")
    for key in f["obs"]:
        obj = f[f"obs/{key}"]
        if isinstance(obj, h5py.Group):  # categorical (codes) or nullable (values, mask) columns
            obj = next((obj[k] for k in ("codes", "values") if isinstance(obj.get(k), h5py.Dataset)), None)
            if obj is None:
                continue
        if obj.shape[:1] != (n,):
            _fail(where, f"obs/{key} does not have a value for each of the {n} sketches")
        if key in NUMERIC_OBS and obj.dtype.kind not in "iuf":
            _fail(where, f"obs/{key} is {obj.dtype}, not numbers")
    for key in ("obs/label", "obs/source"):
        codes, m = f[f"{key}/codes"][:], f[f"{key}/categories"].shape[0]
        if len(codes) and (codes.min() < -1 or codes.max() >= m):
            _fail(where, f"{key} codes outside its {m} categories")


def _check_obsm(f: h5py.File, where: str, n: int) -> None:
    for key in f["obsm"]:
        ds = f[f"obsm/{key}"]
        if not isinstance(ds, h5py.Dataset) or ds.ndim != 2 or ds.shape[0] != n or ds.dtype.kind != "f":
            _fail(where, f"obsm/{key} is not a float array of {n} rows")
        if is_projection(key) and (ds.shape[1] < 2 or not np.isfinite(ds[:, :2]).all()):
            _fail(where, f"obsm/{key} is not a projection (two finite coordinates a row)")


def _check_neighbors(f: h5py.File, where: str, n: int) -> None:
    for group in [k for k in f["uns"] if isinstance(f[f"uns/{k}"], h5py.Group) and "indices" in f[f"uns/{k}"]]:
        idx = f[f"uns/{group}/indices"]
        if idx.ndim != 2 or idx.shape[0] != n or idx.dtype.kind not in "iu" or \
                (idx.size and (idx[:].min() < 0 or idx[:].max() >= n)):
            _fail(where, f"uns/{group}/indices is not {n} rows of sketch indices (0..{n - 1})")


def _check_sketches(f: h5py.File, where: str, group: str, n: int) -> None:
    if not all(isinstance(f.get(f"{group}/{k}"), h5py.Dataset) for k in ("offsets", "points")):
        _fail(where, f"{group} has no offsets and points")
    offsets, points = f[f"{group}/offsets"], f[f"{group}/points"]
    if offsets.shape != (n + 1,) or offsets.dtype.kind not in "iu" or points.ndim != 2 or points.shape[1] != 3:
        _fail(where, f"{group} does not hold {n} stroke-3 sketches")
    o = offsets[:]
    if o[0] != 0 or o[-1] != points.shape[0] or (np.diff(o) < 0).any():
        _fail(where, f"{group}/offsets do not index its {points.shape[0]} points")
    if group == "uns/strokes" and not np.array_equal(np.diff(o), f["obs/length"][:]):
        _fail(where, "uns/strokes/offsets disagree with obs/length")

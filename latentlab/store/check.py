"""What a store must hold, checked when it is opened: its provenance attributes and the structure every reader
relies on (so a damaged store is refused in one line, not met by a reader's traceback)."""
from __future__ import annotations

import os

import h5py
import numpy as np

from latentlab.errors import LatentlabError
from latentlab.io.jsonfile import parse_json

ATTR_TYPES = {"layout_version": int, "model_step": int, "seed": int, "block_size": int, "scale_factor": float,
              "model_dir": str, "config_hash": str, "weights_sha256": str, "split": str, "latentlab_version": str,
              "sources": list, "dataset_sha256": list, "created": str}


def read_attrs(path: str | os.PathLike) -> dict:
    """The provenance attributes of a store, lists decoded from JSON; each known one checked for its type."""
    try:
        with h5py.File(path, "r") as f:
            return decode_attrs(f, str(path))
    except OSError as exc:
        raise LatentlabError(f"{path}: not a readable HDF5 latent store ({exc})") from None


def decode_attrs(f: h5py.File, where: str) -> dict:
    """:func:`read_attrs` of a file already open."""
    out = {}
    for k, v in f.attrs.items():
        if isinstance(v, str) and v.startswith("["):
            v = parse_json(v, f"{where} [attribute {k}]")
        out[k] = v.item() if isinstance(v, np.generic) or (isinstance(v, np.ndarray) and v.size == 1) else v
    for key, kind in ATTR_TYPES.items():
        if key in out and not _is_a(out[key], kind):
            raise LatentlabError(f"{where}: attribute {key} is {str(out[key])[:60]!r}, not a {kind.__name__}")
    return out


def _is_a(value, kind: type) -> bool:
    """Whether an attribute holds a ``kind``: a float that is whole counts as an int, a bool as neither."""
    if kind in (int, float):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return number and (kind is float or float(value).is_integer())
    return isinstance(value, kind)


def check_store(f: h5py.File, where: str) -> None:
    """The structure every store has, checked in one pass over its small arrays: the keys are there, every
    per-sketch array has a row for each sketch, codes point into their categories, offsets into their points."""
    def fail(reason: str):
        raise LatentlabError(f"{where}: corrupt latent store: {reason}")

    for key in ("obs/length", "obs/label/codes", "obs/label/categories", "obs/source/codes", "obs/source/categories",
                "obsm/mu", "uns/strokes/points", "uns/strokes/offsets"):
        if key not in f or not isinstance(f[key], h5py.Dataset):
            fail(f"no '{key}'")
    n = f["obs/length"].shape[0] if f["obs/length"].ndim == 1 else fail("obs/length is not a column")
    for key, kind in (("obs/length", "iu"), ("obs/label/codes", "iu"), ("obs/source/codes", "iu")):
        if f[key].shape != (n,) or f[key].dtype.kind not in kind:
            fail(f"{key} is {f[key].dtype} {f[key].shape}, not {n} integers")
    for key in f["obsm"]:
        ds = f[f"obsm/{key}"]
        if not isinstance(ds, h5py.Dataset) or ds.ndim != 2 or ds.shape[0] != n or ds.dtype.kind != "f":
            fail(f"obsm/{key} is not a float array of {n} rows")
        if key.startswith("X_") and (ds.shape[1] < 2 or not np.isfinite(ds[:, :2]).all()):
            fail(f"obsm/{key} is not a projection (two finite coordinates a row)")
    for key in f["obs"]:
        obj = f[f"obs/{key}"]
        if isinstance(obj, h5py.Group):  # categorical (codes) or nullable (values, mask) columns
            obj = next((obj[k] for k in ("codes", "values") if isinstance(obj.get(k), h5py.Dataset)), None)
            if obj is None:
                continue
        if obj.shape[:1] != (n,):
            fail(f"obs/{key} does not have a value for each of the {n} sketches")
    for group in [k for k in f["uns"] if isinstance(f[f"uns/{k}"], h5py.Group) and "indices" in f[f"uns/{k}"]]:
        idx = f[f"uns/{group}/indices"]
        if idx.ndim != 2 or idx.shape[0] != n or idx.dtype.kind not in "iu" or \
                (idx.size and (idx[:].min() < 0 or idx[:].max() >= n)):
            fail(f"uns/{group}/indices is not {n} rows of sketch indices (0..{n - 1})")
    for key, categories in (("obs/label", "obs/label/categories"), ("obs/source", "obs/source/categories")):
        codes, m = f[f"{key}/codes"][:], f[categories].shape[0]
        if len(codes) and (codes.min() < -1 or codes.max() >= m):
            fail(f"{key} codes outside its {m} categories")
    groups = ["uns/strokes"] + ([f"uns/decoded/{k}" for k in f["uns/decoded"]] if "uns/decoded" in f else [])
    for group in groups:
        if not all(isinstance(f.get(f"{group}/{k}"), h5py.Dataset) for k in ("offsets", "points")):
            fail(f"{group} has no offsets and points")
        offsets, points = f[f"{group}/offsets"], f[f"{group}/points"]
        if offsets.shape != (n + 1,) or offsets.dtype.kind not in "iu" or points.ndim != 2 or points.shape[1] != 3:
            fail(f"{group} does not hold {n} stroke-3 sketches")
        o = offsets[:]
        if o[0] != 0 or o[-1] != points.shape[0] or (np.diff(o) < 0).any():
            fail(f"{group}/offsets do not index its {points.shape[0]} points")
        if group == "uns/strokes" and not np.array_equal(np.diff(o), f["obs/length"][:]):
            fail("uns/strokes/offsets disagree with obs/length")

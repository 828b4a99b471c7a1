"""The latent store's on-disk format and read access (one HDF5 file per encoding run, anndata style).

Layout (``n`` sketches, ``d`` latent dimensions)::

    /                      attrs: provenance (see ``PROVENANCE``), ``layout_version``
    /obsm/mu, sigma, z     float32 (n, d)   posterior mean, std, and z = mu + sigma * eps(seed)
    /obsm/X_pca, X_umap    float32 (n, k)   projections (``latentlab project``); attrs: their parameters
    /obs/index             int64   position of each sketch in its source split
    /obs/source            int32   row of /uns/sources it came from
    /obs/label             int32   class (row of /uns/class_names), -1 when unknown
    /obs/length            int32   points in the sketch
    /strokes/points        float32 (sum of lengths, 3)   stroke-3 of every sketch, data units
    /strokes/offsets       int64 (n + 1)   sketch i is points[offsets[i]:offsets[i+1]]
    /decoded/<key>/points, offsets   decoded thumbnails (``latentlab decode``); attrs: temperature, greedy, seed
    /uns/sources           "file.npz:split" per source;  /uns/class_names;  /uns/pca/variance_ratio

Arrays are chunked along the sketch axis (``CHUNK_ROWS``) and gzip-compressed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

import h5py
import numpy as np

from latentlab.errors import LatentlabError

LAYOUT_VERSION = 1
PROVENANCE = ("model_dir", "model_step", "config_hash", "scale_factor", "sources", "dataset_sha256", "split",
              "seed", "block_size", "latentlab_version")
CHUNK_ROWS = 4096


def string_dataset(f: h5py.Group, name: str, values: Sequence[str]) -> None:
    f.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype())


def chunked_dataset(f: h5py.Group, name: str, shape: tuple[int, ...], dtype) -> h5py.Dataset:
    chunks = (max(1, min(shape[0], CHUNK_ROWS)),) + shape[1:]
    return f.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, compression="gzip",
                            compression_opts=4, shuffle=True)


def read_attrs(path: str | os.PathLike) -> dict:
    """The provenance attributes of a store, lists decoded from JSON."""
    try:
        with h5py.File(path, "r") as f:
            out = {}
            for k, v in f.attrs.items():
                if isinstance(v, str) and v.startswith("["):
                    v = json.loads(v)
                out[k] = v.item() if hasattr(v, "item") else v
            return out
    except OSError as exc:
        raise LatentlabError(f"{path}: not a readable HDF5 latent store ({exc})") from None


class LatentStore:
    """Read access to a store, plus atomic writes of derived results (projections, decodes)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            parts = self.path.with_name(self.path.name + ".parts")
            hint = (" An encoding run is unfinished; rerun the same `latentlab encode` to complete it."
                    if parts.exists() else " Create it with `latentlab encode MODEL DATA -o STORE.h5`.")
            raise LatentlabError(f"{self.path}: no such latent store.{hint}")
        self.attrs = read_attrs(self.path)

    def __len__(self) -> int:
        with h5py.File(self.path, "r") as f:
            return int(f["obs/length"].shape[0])

    def has(self, key: str) -> bool:
        with h5py.File(self.path, "r") as f:
            return key in f

    def keys(self, group: str) -> list[str]:
        """Names under ``group`` (e.g. the cached decodes under ``decoded``); empty when absent."""
        with h5py.File(self.path, "r") as f:
            return sorted(f[group].keys()) if group in f else []

    def read(self, key: str, rows=slice(None), hint: str | None = None) -> np.ndarray:
        """Array ``key`` (e.g. ``obsm/mu``); a missing derived key says which command makes it."""
        with h5py.File(self.path, "r") as f:
            if key not in f:
                raise LatentlabError(f"{self.path}: no '{key}' in this store" + (f"; run `{hint}` first" if hint else ""))
            return f[key][rows]

    def key_attrs(self, key: str) -> dict:
        """The parameters stored beside ``key``, as plain Python values."""
        with h5py.File(self.path, "r") as f:
            return {k: (json.loads(v) if isinstance(v, str) and v[:1] in "[{" else getattr(v, "item", lambda: v)())
                    for k, v in f[key].attrs.items()}

    def strings(self, key: str) -> list[str]:
        return [s.decode() if isinstance(s, bytes) else str(s) for s in self.read(key)]

    @property
    def class_names(self) -> list[str]:
        return self.strings("uns/class_names")

    def label_names(self) -> list[str]:
        names = self.class_names
        return [names[i] if i >= 0 else "" for i in self.read("obs/label")]

    def sketches(self, rows: Sequence[int] | None = None, key: str = "strokes") -> list[np.ndarray]:
        """Stroke-3 sketches (all, or ``rows``) from ``strokes`` or a ``decoded/<name>`` group."""
        with h5py.File(self.path, "r") as f:
            if f"{key}/offsets" not in f:
                raise LatentlabError(f"{self.path}: no '{key}' in this store; run `latentlab decode {self.path}` first")
            offsets = f[f"{key}/offsets"][:]
            points = f[f"{key}/points"]
            idx = range(len(offsets) - 1) if rows is None else rows
            if rows is None:
                allp = points[:]
                return [allp[offsets[i]:offsets[i + 1]] for i in idx]
            return [points[offsets[i]:offsets[i + 1]] for i in idx]

    def write(self, key: str, value: np.ndarray, attrs: dict | None = None, chunked: bool = True) -> None:
        """Write (or replace) ``key`` with its parameters as attributes: written under a temporary name, then moved."""
        with h5py.File(self.path, "r+") as f:
            tmp = f"{key}.__writing__"
            if tmp in f:
                del f[tmp]
            if chunked and value.ndim >= 1 and len(value):
                ds = chunked_dataset(f, tmp, value.shape, value.dtype)
                ds[...] = value
            else:
                ds = f.create_dataset(tmp, data=value)
            for k, v in (attrs or {}).items():
                ds.attrs[k] = json.dumps(v) if isinstance(v, (list, dict)) else v
            if key in f:
                del f[key]
            f.move(tmp, key)

    def write_group(self, group: str, arrays: dict[str, np.ndarray], attrs: dict) -> None:
        """Write (or replace) ``group`` holding ``arrays``, its parameters as attributes: built under a temporary
        name, then moved over the old one."""
        with h5py.File(self.path, "r+") as f:
            tmp = f"{group}.__writing__"
            if tmp in f:
                del f[tmp]
            g = f.create_group(tmp)
            for name, value in arrays.items():
                value = np.asarray(value)
                if value.ndim >= 1 and len(value):
                    chunked_dataset(g, name, value.shape, value.dtype)[...] = value
                else:
                    g.create_dataset(name, data=value)
            for k, v in attrs.items():
                g.attrs[k] = json.dumps(v) if isinstance(v, (list, dict)) else ("" if v is None else v)
            if group in f:
                del f[group]
            f.move(tmp, group)

    def write_sketches(self, group: str, sketches: Sequence[np.ndarray], attrs: dict) -> None:
        """Store variable-length sketches as ``group/points`` + ``group/offsets``, atomically per group."""
        lengths = np.array([len(s) for s in sketches], np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        points = np.concatenate([np.asarray(s, np.float32).reshape(-1, 3) for s in sketches]) if len(sketches) \
            else np.zeros((0, 3), np.float32)
        self.write_group(group, {"points": points, "offsets": offsets}, attrs)

"""The latent store: one HDF5 file per encoding run, vectors and metadata side by side (like anndata).

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

Arrays are chunked along the sketch axis and gzip-compressed.  Encoding is
resumable: each block of sketches lands atomically in ``<out>.parts/`` beside a
manifest of the run's provenance; the HDF5 file is assembled only when every
block exists, under a temporary name, then renamed.  Kill it at any point and
rerun: finished blocks are kept, and no reader ever sees a partial file.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import h5py
import numpy as np

from latentlab import __version__
from latentlab.atomic import atomic_path, write_text
from latentlab.errors import LatentlabError

LAYOUT_VERSION = 1
PROVENANCE = ("model_dir", "model_step", "config_hash", "scale_factor", "sources", "dataset_sha256", "split",
              "seed", "block_size", "latentlab_version")
CHUNK_ROWS = 4096


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="sketch", disable=not enabled, leave=False)


@dataclass
class Source:
    """Sketches of one split of one dataset file, as the store records them."""

    path: Path
    split: str
    sketches: list[np.ndarray]
    index: np.ndarray
    labels: np.ndarray | None
    class_names: list[str]
    sha256: str

    @property
    def name(self) -> str:
        return f"{self.path.name}:{self.split}"


def load_sources(paths: Sequence[str | os.PathLike], splits: Sequence[str], max_seq_len: int) -> list[Source]:
    from latentlab.datasets import load_dataset

    out = []
    for path in paths:
        ds = load_dataset(path, max_seq_len=max_seq_len, splits=tuple(splits))
        for split in splits:
            s = ds[split]
            out.append(Source(Path(path), split, s.sketches, s.index, s.labels, s.class_names, ds.sha256))
    return out


def _manifest(model, sources: list[Source], seed: int, block_size: int) -> dict:
    return {"model_dir": str(Path(model.model_dir).resolve()) if model.model_dir else "",
            "model_step": int(model.step or 0), "config_hash": model.hps.config_hash(),
            "scale_factor": float(model.scale_factor), "sources": [s.name for s in sources],
            "dataset_sha256": [s.sha256 for s in sources], "split": ",".join(sorted({s.split for s in sources})),
            "seed": int(seed), "block_size": int(block_size), "latentlab_version": __version__}


def _check_same_run(found: dict, wanted: dict, where: Path) -> None:
    keys = ("config_hash", "model_step", "dataset_sha256", "sources", "seed", "block_size", "scale_factor")
    diff = [k for k in keys if found.get(k) != wanted.get(k)]
    if diff:
        details = "; ".join(f"{k}: file has {found.get(k)!r}, this run {wanted.get(k)!r}" for k in diff)
        raise LatentlabError(f"{where} belongs to another encoding run ({details}). "
                             "Choose another output path or delete it.")


def encode_to_store(model, data: Sequence[str | os.PathLike], out: str | os.PathLike, splits: Sequence[str] = ("test",),
                    seed: int = 0, block_size: int = 1024, progress: bool = True) -> Path:
    """Encode every sketch of ``splits`` of each ``data`` file into the HDF5 store ``out`` (resumable).

    ``z`` of block ``b`` uses noise from ``seed`` and ``b`` only, so a resumed run
    gives bit-identical vectors.  A store or parts folder of another model,
    dataset, seed or block size is refused rather than mixed.
    """
    out = Path(out)
    sources = load_sources(data, splits, model.hps.max_seq_len)
    manifest = _manifest(model, sources, seed, block_size)
    if out.exists():
        _check_same_run(read_attrs(out), manifest, out)
        return out  # already complete for this very run
    parts = out.with_name(out.name + ".parts")
    parts.mkdir(parents=True, exist_ok=True)
    manifest_path = parts / "manifest.json"
    if manifest_path.exists():
        _check_same_run(json.loads(manifest_path.read_text()), manifest, parts)
    else:
        write_text(manifest_path, json.dumps(manifest, indent=1))
    flat = [(si, i) for si, s in enumerate(sources) for i in range(len(s.sketches))]
    if not flat:
        raise LatentlabError("nothing to encode: the selected splits are empty")
    blocks = range(0, len(flat), block_size)
    todo = [b for b in blocks if not _block_file(parts, b, block_size).exists()]
    bar = _progress(len(flat), f"encoding -> {out.name}", progress)
    bar.update(len(flat) - sum(min(block_size, len(flat) - b) for b in todo))
    for start in todo:
        rows = flat[start:start + block_size]
        enc = model.encode([sources[si].sketches[i] for si, i in rows], seed=[seed, start // block_size])
        with atomic_path(_block_file(parts, start, block_size)) as tmp:
            np.savez(tmp, mu=enc.mu, sigma=enc.sigma, z=enc.z)
        bar.update(len(rows))
    bar.close()
    _assemble(out, parts, sources, manifest, len(flat), block_size)
    shutil.rmtree(parts)
    return out


def _block_file(parts: Path, start: int, block_size: int) -> Path:
    return parts / f"block-{start // block_size:06d}.npz"


def _string_data(f: h5py.Group, name: str, values: Sequence[str]) -> None:
    f.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype())


def _assemble(out: Path, parts: Path, sources: list[Source], manifest: dict, n: int, block_size: int) -> None:
    classes = sorted({c for s in sources for c in s.class_names})
    lengths = np.array([len(x) for s in sources for x in s.sketches], np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    d = None
    with atomic_path(out) as tmp, h5py.File(tmp, "w") as f:
        f.attrs["layout_version"] = LAYOUT_VERSION
        f.attrs["created"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        for key, value in manifest.items():
            f.attrs[key] = json.dumps(value) if isinstance(value, list) else value
        for b in range(0, n, block_size):
            block = np.load(_block_file(parts, b, block_size))
            if d is None:
                d = block["mu"].shape[1]
                for name in ("mu", "sigma", "z"):
                    _chunked(f, f"obsm/{name}", (n, d), np.float32)
            for name in ("mu", "sigma", "z"):
                f[f"obsm/{name}"][b:b + len(block[name])] = block[name]
        obs = f.create_group("obs")
        obs.create_dataset("index", data=np.concatenate([s.index for s in sources]).astype(np.int64))
        obs.create_dataset("source", data=np.concatenate(
            [np.full(len(s.sketches), k, np.int32) for k, s in enumerate(sources)]))
        obs.create_dataset("label", data=np.concatenate([_labels(s, classes) for s in sources]))
        obs.create_dataset("length", data=lengths.astype(np.int32))
        points = _chunked(f, "strokes/points", (int(offsets[-1]), 3), np.float32)
        cursor = 0
        for s in sources:
            for x in s.sketches:
                points[cursor:cursor + len(x)] = x
                cursor += len(x)
        f.create_dataset("strokes/offsets", data=offsets)
        _string_data(f, "uns/sources", [str(s.path.resolve()) + ":" + s.split for s in sources])
        _string_data(f, "uns/class_names", classes)


def _labels(source: Source, classes: list[str]) -> np.ndarray:
    if source.labels is None or not source.class_names:
        return np.full(len(source.sketches), -1, np.int32)
    lookup = np.array([classes.index(c) for c in source.class_names], np.int32)
    return lookup[source.labels]


def _chunked(f: h5py.Group, name: str, shape: tuple[int, ...], dtype) -> h5py.Dataset:
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
                ds = _chunked(f, tmp, value.shape, value.dtype)
                ds[...] = value
            else:
                ds = f.create_dataset(tmp, data=value)
            for k, v in (attrs or {}).items():
                ds.attrs[k] = json.dumps(v) if isinstance(v, (list, dict)) else v
            if key in f:
                del f[key]
            f.move(tmp, key)

    def write_sketches(self, group: str, sketches: Sequence[np.ndarray], attrs: dict) -> None:
        """Store variable-length sketches as ``group/points`` + ``group/offsets``, atomically per group."""
        lengths = np.array([len(s) for s in sketches], np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        points = np.concatenate([np.asarray(s, np.float32).reshape(-1, 3) for s in sketches]) if len(sketches) \
            else np.zeros((0, 3), np.float32)
        with h5py.File(self.path, "r+") as f:
            tmp = f"{group}.__writing__"
            if tmp in f:
                del f[tmp]
            g = f.create_group(tmp)
            ds = _chunked(g, "points", points.shape, np.float32) if len(points) else g.create_dataset(
                "points", data=points)
            ds[...] = points
            g.create_dataset("offsets", data=offsets)
            for k, v in attrs.items():
                g.attrs[k] = v
            if group in f:
                del f[group]
            f.move(tmp, group)

"""Resumable batch encoding of dataset splits into a latent store.

Each block of sketches lands atomically in ``<out>.parts/`` beside a manifest
of the run's provenance; the HDF5 file is assembled only when every block
exists, under a temporary name, then renamed.  Kill it at any point and rerun:
finished blocks are kept, and no reader ever sees a partial file.
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
from latentlab.atomic import atomic_path, output_path, write_text
from latentlab.errors import LatentlabError
from latentlab.io.jsonfile import read_json
from latentlab.store.format import (DICT, SUFFIXES, array_dataset, categorical, chunked_dataset, encoding,
                                    init_anndata, read_attrs)
from latentlab.store.lock import store_lock


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
    from latentlab.io.datasets import load_dataset

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
            "weights_sha256": model.weights_sha256,
            "scale_factor": float(model.scale_factor), "sources": [s.name for s in sources],
            "dataset_sha256": [s.sha256 for s in sources], "split": ",".join(sorted({s.split for s in sources})),
            "seed": int(seed), "block_size": int(block_size), "latentlab_version": __version__}


def _check_same_run(found: dict, wanted: dict, where: Path) -> None:
    keys = ("config_hash", "weights_sha256", "model_step", "dataset_sha256", "sources", "seed", "block_size",
            "scale_factor")
    diff = [k for k in keys if found.get(k) != wanted.get(k)]
    if diff:
        if {"config_hash", "weights_sha256", "model_step"} & set(diff):
            diff.insert(0, "model_dir")  # name both models
        details = "; ".join(f"{k}: file has {found.get(k)!r}, this run {wanted.get(k)!r}" for k in diff)
        raise LatentlabError(f"{where} belongs to another encoding run ({details}). "
                             "Choose another output path or delete it.")


def encode_to_store(model, data: Sequence[str | os.PathLike], out: str | os.PathLike, *,
                    splits: Sequence[str] = ("test",), seed: int = 0, block_size: int = 1024,
                    progress: bool = True) -> Path:
    """Encode every sketch of ``splits`` of each ``data`` file into the store ``out`` (resumable).

    ``z`` of block ``b`` uses noise from ``seed`` and ``b`` only, so a resumed run gives
    bit-identical vectors.  A store or parts folder of another model, dataset, seed or
    block size is refused rather than mixed.

    Parameters
    ----------
    model
        The :class:`~latentlab.model.SketchRNN` that encodes.
    data
        Magenta-format ``.npz`` files.
    out
        The store to write (an AnnData ``.h5ad`` file; any name).
    splits
        Splits of each file to encode.
    seed
        Seed of the posterior samples z.
    block_size
        Sketches per resumable block.
    progress
        Show a progress bar.

    Returns
    -------
    The store's path.
    """
    out = output_path(out, SUFFIXES, "latent store")
    sources = load_sources(data, splits, model.hps.max_seq_len)
    manifest = _manifest(model, sources, seed, block_size)
    with store_lock(out, wait=False, what="encode"):  # a second encode of the same output says so at once
        return _encode(model, sources, manifest, out, seed, block_size, progress)


def _encode(model, sources: list[Source], manifest: dict, out: Path, seed: int, block_size: int,
            progress: bool) -> Path:
    if out.exists():
        _check_same_run(read_attrs(out), manifest, out)
        return out  # already complete for this very run
    parts = out.with_name(out.name + ".parts")
    parts.mkdir(parents=True, exist_ok=True)
    manifest_path = parts / "manifest.json"
    if manifest_path.exists():
        _check_same_run(read_json(manifest_path), manifest, parts)
    else:
        write_text(manifest_path, json.dumps(manifest, indent=1))
    flat = [(si, i) for si, s in enumerate(sources) for i in range(len(s.sketches))]
    if not flat:
        raise LatentlabError(f"nothing to encode: {', '.join(s.name for s in sources)} hold no sketches")
    blocks = range(0, len(flat), block_size)
    todo = [b for b in blocks if not _block_file(parts, b, block_size).exists()]
    with _progress(len(flat), f"encoding -> {out.name}", progress) as bar:  # closed (erased) on errors too
        bar.update(len(flat) - sum(min(block_size, len(flat) - b) for b in todo))
        for start in todo:
            rows = flat[start:start + block_size]
            enc = model.encode([sources[si].sketches[i] for si, i in rows], seed=[seed, start // block_size])
            with atomic_path(_block_file(parts, start, block_size)) as tmp:
                np.savez(tmp, mu=enc.mu, sigma=enc.sigma, z=enc.z)
            bar.update(len(rows))
    _assemble(out, parts, sources, manifest, len(flat), block_size)
    shutil.rmtree(parts)
    for orphan in out.parent.glob(f".{out.name}.*.part{out.suffix}"):  # a killed run's half-assembled file
        orphan.unlink(missing_ok=True)
    return out


def _block_file(parts: Path, start: int, block_size: int) -> Path:
    return parts / f"block-{start // block_size:06d}.npz"


def _assemble(out: Path, parts: Path, sources: list[Source], manifest: dict, n: int, block_size: int) -> None:
    classes = sorted({c for s in sources for c in s.class_names})
    lengths = np.array([len(x) for s in sources for x in s.sketches], np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    d = None
    with atomic_path(out) as tmp, h5py.File(tmp, "w") as f:
        obs = init_anndata(f, n, ["index", "source", "label", "length"])
        f.attrs["created"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        for key, value in manifest.items():
            f.attrs[key] = json.dumps(value) if isinstance(value, list) else value
        for b in range(0, n, block_size):
            block = np.load(_block_file(parts, b, block_size))
            if d is None:
                d = block["mu"].shape[1]
                for name in ("mu", "sigma", "z"):
                    chunked_dataset(f, f"obsm/{name}", (n, d), np.float32)
            for name in ("mu", "sigma", "z"):
                f[f"obsm/{name}"][b:b + len(block[name])] = block[name]
        array_dataset(obs, "index", np.concatenate([s.index for s in sources]).astype(np.int64))
        categorical(obs, "source", np.concatenate([np.full(len(s.sketches), k, np.int32) for k, s in enumerate(sources)]),
                    [str(s.path.resolve()) + ":" + s.split for s in sources])
        categorical(obs, "label", np.concatenate([_labels(s, classes) for s in sources]), classes)
        array_dataset(obs, "length", lengths.astype(np.int32))
        strokes = f["uns"].create_group("strokes")
        encoding(strokes, DICT)
        points = chunked_dataset(strokes, "points", (int(offsets[-1]), 3), np.float32)
        cursor = 0
        for s in sources:
            for x in s.sketches:
                points[cursor:cursor + len(x)] = x
                cursor += len(x)
        array_dataset(strokes, "offsets", offsets)


def _labels(source: Source, classes: list[str]) -> np.ndarray:
    if source.labels is None or not source.class_names:
        return np.full(len(source.sketches), -1, np.int32)
    lookup = np.array([classes.index(c) for c in source.class_names], np.int32)
    return lookup[source.labels]



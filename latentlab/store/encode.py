"""Resumable batch encoding of dataset splits into a latent store, in this process or on a Dask cluster.

Each block of sketches lands atomically in ``<out>.parts/`` beside a manifest
of the run's provenance; the HDF5 file is assembled only when every block
exists, under a temporary name, then renamed.  Kill it at any point and rerun:
finished blocks are kept, and no reader ever sees a partial file.

The block is the unit of work on a cluster too (``client=``): each worker builds
the model once from weights sent to it once, reads only the input files its
blocks come from (at most two held at a time), skips a block whose file exists
(so none is written twice when a lost worker's task is rerun) and writes it
atomically into the parts folder, which every worker must see.  ``z`` of block
``b`` depends only on the seed and ``b``, so the store is the same wherever a
block was encoded.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from latentlab import __version__
from latentlab.atomic import output_path, write_text
from latentlab.errors import LatentlabError
from latentlab.names import check_path
from latentlab.io.jsonfile import read_json
from latentlab.io.npz import save_npz
from latentlab.lock import store_lock
from latentlab.store.check import read_attrs
from latentlab.store.format import SUFFIXES, LatentStore

FILES_HELD = 2  # input files a process keeps loaded (the newest used)


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="sketch", disable=not enabled, leave=False)


_files: OrderedDict = OrderedDict()
_files_lock = threading.Lock()


def _file_splits(path: str, splits: tuple[str, ...], max_seq_len: int, quiet: bool = True):
    """The splits of one input file, loaded once per process while among the ``FILES_HELD`` newest used."""
    from latentlab.io.datasets import load_dataset

    key = (path, splits, max_seq_len)
    with _files_lock:
        if key in _files:
            _files.move_to_end(key)
            return _files[key]
    ds = load_dataset(path, max_seq_len=max_seq_len, splits=splits, quiet=quiet)
    with _files_lock:
        _files[key] = ds
        while len(_files) > FILES_HELD:
            _files.popitem(last=False)
    return ds


@dataclass
class Source:
    """One split of one dataset file as the store records it; its sketches are read when needed."""

    path: Path
    split: str
    splits: tuple[str, ...]
    max_seq_len: int
    index: np.ndarray
    labels: np.ndarray | None
    class_names: list[str]
    lengths: np.ndarray
    sha256: str
    left_out: int = 0  # sketches of the split longer than max_seq_len, not encoded

    @property
    def name(self) -> str:
        """``file.npz:split``."""
        return f"{self.path.name}:{self.split}"

    @property
    def sketches(self) -> list[np.ndarray]:
        """The split's sketches, read (once per process) when needed."""
        ds = _file_splits(str(self.path), self.splits, self.max_seq_len)
        if ds.sha256 != self.sha256:
            raise LatentlabError(f"{self.path} changed during the encoding run (sha256 {ds.sha256[:12]}..., "
                                 f"was {self.sha256[:12]}...)")
        return ds[self.split].sketches

    def ref(self) -> "Source":
        """This source without its per-sketch arrays: what a worker needs to read its sketches."""
        empty = np.zeros(0, np.int64)
        return Source(self.path, self.split, self.splits, self.max_seq_len, empty, None, [], empty, self.sha256)


def _once(keys: list, items: list, what: str) -> None:
    """Refuse an input given twice (its rows would be stored twice, and AnnData refuses repeated categories)."""
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise LatentlabError(f"{items[i]}: this {what} is given twice; give each once")


def _same_file(path: Path) -> tuple[int, int] | Path:
    """What makes two paths one file: device and inode where it exists."""
    try:
        st = path.stat()
        return st.st_dev, st.st_ino
    except OSError:
        return path


def load_sources(paths: Sequence[str | os.PathLike], splits: Sequence[str], max_seq_len: int) -> list[Source]:
    """Every split of every file, with what the store records of each; files are read one at a time.

    Dataset names (``quickdraw/sketchrnn/cat``) are fetched first.  When several files are encoded together,
    the sketches of a file without labels are labelled with its name (``cat.npz`` -> ``cat``): the layout of
    SketchRNN's Quick, Draw! data, one file per class.

    Parameters
    ----------
    paths
        Magenta-format ``.npz`` files or dataset names.
    splits
        Splits of each to encode.
    max_seq_len
        Longer sketches are left out (the model's limit).
    """
    from latentlab.io.download import fetch, is_dataset_name

    paths = [fetch(str(p)) if is_dataset_name(p) else Path(check_path(p)) for p in paths]
    _once([_same_file(p) for p in paths], paths, "file")
    _once(list(splits), list(splits), "split")
    out = []
    for path in paths:
        ds = _file_splits(str(path), tuple(splits), max_seq_len, quiet=False)
        for split in splits:
            s = ds[split]
            labels, class_names = s.labels, s.class_names
            if labels is None and len(paths) > 1:
                labels, class_names = np.zeros(len(s), np.int32), [path.stem]
            lengths = np.array([len(x) for x in s.sketches], np.int64)
            out.append(Source(path, split, tuple(splits), max_seq_len, s.index, labels, class_names,
                              lengths, ds.sha256, s.dropped))
    return out


def _manifest(model, sources: list[Source], seed: int, block_size: int) -> dict:
    return {"model_dir": str(Path(model.model_dir).resolve()) if model.model_dir else "",
            "model_step": int(model.step or 0), "config_hash": model.hps.config_hash(),
            "weights_sha256": model.weights_sha256,
            "scale_factor": float(model.scale_factor), "sources": [s.name for s in sources],
            "dataset_sha256": [s.sha256 for s in sources], "split": ",".join(sorted({s.split for s in sources})),
            "seed": int(seed), "block_size": int(block_size), "latentlab_version": __version__,
            "max_seq_len": int(model.hps.max_seq_len), "left_out": [int(s.left_out) for s in sources]}


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
                    progress: bool = True, client=None) -> Path:
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
    client
        A ``distributed.Client`` (see :func:`latentlab.distributed.connect`): its workers encode the blocks; the
        parts folder must be on a file system they all see.

    Returns
    -------
    The store's path.
    """
    out = output_path(out, SUFFIXES, "latent store")
    if not model.hps.conditional:
        raise LatentlabError(f"{model.model_dir}: an unconditional (decoder-only) model has no encoder, so it "
                             "cannot encode sketches; use a conditional one (e.g. sketchrnn-js/<class>.vae)")
    sources = load_sources(data, splits, model.hps.max_seq_len)
    manifest = _manifest(model, sources, seed, block_size)
    with store_lock(out, wait=False, what="encode"):  # a second encode of the same output says so at once
        return _encode(model, sources, manifest, out, seed, block_size, progress, client)


def _encode(model, sources: list[Source], manifest: dict, out: Path, seed: int, block_size: int,
            progress: bool, client) -> Path:
    if out.exists():
        _check_same_run(read_attrs(out), manifest, out)
        return out  # already complete for this very run
    parts = out.with_name(out.name + ".parts")
    parts.mkdir(parents=True, exist_ok=True)
    try:
        return _encode_parts(model, sources, manifest, out, parts, seed, block_size, progress, client)
    except (KeyboardInterrupt, OSError):
        raise  # the encoded blocks stay: the same command completes the run
    except BaseException:
        shutil.rmtree(parts, ignore_errors=True)  # rerunning would fail the same way: leave nothing behind
        raise


def _encode_parts(model, sources: list[Source], manifest: dict, out: Path, parts: Path, seed: int, block_size: int,
                  progress: bool, client) -> Path:
    manifest_path = parts / "manifest.json"
    if manifest_path.exists():
        _check_same_run(read_json(manifest_path), manifest, parts)
    else:
        write_text(manifest_path, json.dumps(manifest, indent=1))
    counts = [len(s.lengths) for s in sources]
    n = sum(counts)
    if not n:
        raise LatentlabError(f"nothing to encode: {', '.join(s.name for s in sources)} hold no sketches")
    todo = [b for b in range(0, n, block_size) if not _block_file(parts, b, block_size).exists()]
    job = _Job([s.ref() for s in sources], counts, str(parts), seed, block_size)
    with _progress(n, f"encoding -> {out.name}", progress) as bar:  # closed (erased) on errors too
        bar.update(n - sum(min(block_size, n - b) for b in todo))
        if client is None:
            for start in todo:
                bar.update(encode_block(model, job, start))
        else:
            _encode_on_cluster(client, model, job, todo, bar)
    _assemble(out, parts, sources, manifest, n, block_size)
    with _files_lock:
        _files.clear()  # the run's input files are not kept in memory after it
    shutil.rmtree(parts)
    for orphan in out.parent.glob(f".{out.name}.*.part{out.suffix}"):  # a killed run's half-assembled file
        orphan.unlink(missing_ok=True)
    return out


@dataclass
class _Job:
    """What encoding one block needs besides the model (small: it travels to every worker's task)."""

    sources: list[Source]
    counts: list[int]
    parts: str
    seed: int
    block_size: int


def encode_block(model, job: _Job, start: int) -> int:
    """Encode the block starting at flat row ``start`` into its part file, unless it is there; returns its rows.

    Parameters
    ----------
    model
        The model that encodes.
    job
        The run (sources, seed, parts folder, block size).
    start
        The block's first flat row.
    """
    target = _block_file(Path(job.parts), start, job.block_size)
    stop = min(start + job.block_size, sum(job.counts))
    if target.exists():  # written by an earlier attempt (a lost worker's, or a killed run's): never twice
        return stop - start
    bounds = np.concatenate([[0], np.cumsum(job.counts)])
    sketches = []
    for si, source in enumerate(job.sources):
        lo, hi = max(start, bounds[si]), min(stop, bounds[si + 1])
        if lo < hi:
            sketches += source.sketches[lo - bounds[si]:hi - bounds[si]]
    enc = model.encode(sketches, seed=[job.seed, start // job.block_size])
    save_npz(target, {"mu": enc.mu, "sigma": enc.sigma, "z": enc.z}, compress=False)
    return stop - start


def _encode_on_cluster(client, model, job: _Job, todo: list[int], bar) -> None:
    from latentlab.distributed import check_visible, map_blocks

    check_visible(client, Path(job.parts))
    # the model travels once to each worker (its weights, not a folder the workers may not have)
    spec = {"hps": model.hps, "weights": model.weights, "scale_factor": model.scale_factor, "step": model.step,
            "model_dir": model.model_dir, "sha256": model.weights_sha256}
    for _, rows in map_blocks(client, functools.partial(_encode_block_on_worker, job=job), spec, todo,
                              lambda start: start):
        bar.update(rows)


_worker_models: dict[str, object] = {}


def _encode_block_on_worker(spec: dict, start: int, job: _Job) -> int:
    """A block on a Dask worker, with the model this worker built once from ``spec``."""
    model = _worker_models.get(spec["sha256"])
    if model is None:
        from latentlab.model import tf_environment

        tf_environment()
        from latentlab.model.runtime import SketchRNN
        from latentlab.model.tfquiet import tf

        threads = _worker_threads()
        if threads:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        model = SketchRNN(spec["hps"], spec["weights"], spec["scale_factor"], spec["step"], spec["model_dir"])
        _worker_models.clear()
        _worker_models[spec["sha256"]] = model
    return encode_block(model, job, start)


def _worker_threads() -> int | None:
    try:
        from distributed import get_worker

        return int(get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        return None


def _block_file(parts: Path, start: int, block_size: int) -> Path:
    return parts / f"block-{start // block_size:06d}.npz"


def _assemble(out: Path, parts: Path, sources: list[Source], manifest: dict, n: int, block_size: int) -> None:
    classes = sorted({c for s in sources for c in s.class_names})
    lengths = np.concatenate([s.lengths for s in sources])
    d = int(np.load(_block_file(parts, 0, block_size))["mu"].shape[1])
    with LatentStore.create(out, d=d, lengths=lengths, index=np.concatenate([s.index for s in sources]),
                            source_codes=np.concatenate([np.full(len(s.lengths), k) for k, s in enumerate(sources)]),
                            sources=[str(s.path.resolve()) + ":" + s.split for s in sources],
                            label_codes=np.concatenate([_labels(s, classes) for s in sources]), classes=classes,
                            provenance={**manifest, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}) as e:
        for b in range(0, n, block_size):
            block = np.load(_block_file(parts, b, block_size))
            for name in ("mu", "sigma", "z"):
                e.dataset(f"obsm/{name}")[b:b + len(block[name])] = block[name]
        points, cursor = e.dataset("strokes/points"), 0
        for s in sources:  # a file at a time
            for x in s.sketches:
                points[cursor:cursor + len(x)] = x
                cursor += len(x)


def _labels(source: Source, classes: list[str]) -> np.ndarray:
    if source.labels is None or not source.class_names:
        return np.full(len(source.lengths), -1, np.int32)
    lookup = np.array([classes.index(c) for c in source.class_names], np.int32)
    return lookup[source.labels]

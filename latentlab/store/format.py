"""The latent store's on-disk format: an AnnData ``.h5ad`` file (h5py, AnnData's on-disk spec) with read access.

``anndata.read_h5ad(path)`` opens a store and scanpy runs on it
(``sc.pp.neighbors(adata, use_rep="mu")``); latentlab's own strokes and decodes
live under ``uns`` so that AnnData carries them along.  ``n`` sketches, ``d``
latent dimensions::

    /                          attrs: AnnData's encoding, provenance (``PROVENANCE``), ``layout_version``
    /obs                       dataframe: index (position in the source split), source and label
                               (categorical: file.npz:split, class name), length (points), Lr, Lkl (``tl.score``)
    /obsm/mu, sigma, z         float32 (n, d)   posterior mean, std, and z = mu + sigma * eps(seed)
    /obsm/X_pca, X_umap        float32 (n, k)   projections (``tl.project``); attrs: their parameters
    /uns/pca/variance_ratio    PCA's explained variance ratio;  /uns/knn/indices, distances  (``tl.neighbors``)
    /uns/strokes/points, offsets        float32 (P, 3), int64 (n + 1): sketch i is points[offsets[i]:offsets[i+1]]
    /uns/decoded/<key>/points, offsets  decoded sketches (``tl.decode``); attrs: temperature, seed, ...

Keys in the API leave out ``uns/`` for strokes and decodes (``sketches(key="decoded/tau0.1")``).
Arrays are chunked along the sketch axis (``CHUNK_ROWS``) and gzip-compressed.
"""
from __future__ import annotations

import json
import os
import shutil
import contextlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import h5py
import numpy as np

from latentlab.atomic import fsync_file
from latentlab.errors import LatentlabError
from latentlab.lock import store_lock
from latentlab.store.check import check_store, decode_attrs

LAYOUT_VERSION = 2  # 1: plain HDF5 groups; 2: AnnData's on-disk spec
PROVENANCE = ("model_dir", "model_step", "config_hash", "weights_sha256", "scale_factor", "sources", "dataset_sha256",
              "split", "seed", "block_size", "latentlab_version")
CHUNK_ROWS = 4096
SUFFIXES = (".h5", ".h5ad")  # what a store's file name ends in
OWN_GROUPS = ("strokes", "decoded")  # latentlab's, kept under uns/
DICT, ARRAY, STRINGS = ("dict", "0.1.0"), ("array", "0.2.0"), ("string-array", "0.2.0")
DATAFRAME, CATEGORICAL = ("dataframe", "0.2.0"), ("categorical", "0.2.0")


def h5_key(key: str) -> str:
    """Where a key of the API lives in the file (strokes and decodes under ``uns/``)."""
    return f"uns/{key}" if key.split("/")[0] in OWN_GROUPS else key


def encoding(obj: h5py.HLObject, spec: tuple[str, str]) -> None:
    obj.attrs["encoding-type"], obj.attrs["encoding-version"] = spec


def string_dataset(f: h5py.Group, name: str, values: Sequence[str]) -> h5py.Dataset:
    ds = f.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype())
    encoding(ds, STRINGS)
    return ds


def chunked_dataset(f: h5py.Group, name: str, shape: tuple[int, ...], dtype) -> h5py.Dataset:
    chunks = (max(1, min(shape[0], CHUNK_ROWS)),) + shape[1:]
    ds = f.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, compression="gzip", compression_opts=4,
                          shuffle=True)
    encoding(ds, ARRAY)
    return ds


def array_dataset(f: h5py.Group, name: str, value: np.ndarray) -> h5py.Dataset:
    """An array (chunked when it has rows), marked as AnnData marks arrays."""
    value = np.asarray(value)
    if value.ndim >= 1 and len(value):
        ds = chunked_dataset(f, name, value.shape, value.dtype)
        ds[...] = value
    else:
        ds = f.create_dataset(name, data=value)
        encoding(ds, ARRAY)
    return ds


def categorical(f: h5py.Group, name: str, codes: np.ndarray, categories: Sequence[str]) -> None:
    """A pandas categorical column: integer ``codes`` (-1: missing) into ``categories``."""
    g = f.create_group(name)
    encoding(g, CATEGORICAL)
    g.attrs["ordered"] = False
    array_dataset(g, "codes", codes)
    string_dataset(g, "categories", categories)


def dataframe(f: h5py.Group, name: str, n: int, columns: Sequence[str]) -> h5py.Group:
    """An AnnData dataframe group of ``n`` rows named "0".."n-1" (its columns are written by the caller)."""
    g = f.create_group(name)
    encoding(g, DATAFRAME)
    g.attrs["_index"] = "_index"
    g.attrs.create("column-order", np.array(list(columns), dtype=object), dtype=h5py.string_dtype())
    string_dataset(g, "_index", np.arange(n).astype(str).astype(object))
    return g


def init_anndata(f: h5py.File, n: int, obs_columns: Sequence[str]) -> h5py.Group:
    """The AnnData skeleton of an ``n``-row store without ``X`` (no variables); returns ``obs``."""
    encoding(f, ("anndata", "0.1.0"))
    f.attrs["layout_version"] = LAYOUT_VERSION
    obs = dataframe(f, "obs", n, obs_columns)
    dataframe(f, "var", 0, [])
    for name in ("obsm", "obsp", "varm", "varp", "layers", "uns"):
        encoding(f.create_group(name), DICT)
    return obs


def _mark_parents(f: h5py.File, key: str) -> None:
    """Groups made on the way to ``key`` (e.g. ``uns/pca``) become AnnData dicts; a new obs column is listed."""
    parts = key.split("/")
    for depth in range(1, len(parts)):
        g = f["/".join(parts[:depth])]
        if "encoding-type" not in g.attrs:
            encoding(g, DICT)
    if parts[0] == "obs" and len(parts) == 2:
        order = [c.decode() if isinstance(c, bytes) else str(c) for c in f["obs"].attrs.get("column-order", [])]
        if parts[1] not in order:
            f["obs"].attrs.create("column-order", np.array(order + [parts[1]], dtype=object),
                                  dtype=h5py.string_dtype())


class LatentStore:
    """Read access to a store, plus atomic writes of derived results (projections, decodes)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            parts = self.path.with_name(self.path.name + ".parts")
            hint = (" An encoding run is unfinished; rerun the same `latentlab encode` to complete it."
                    if parts.exists() else " Create it with `latentlab encode MODEL DATA -o STORE.h5`.")
            raise LatentlabError(f"{self.path}: no such latent store.{hint}")
        self._file: h5py.File | None = None
        try:
            self.attrs = decode_attrs(self._h5(), str(self.path))  # read from the version this object holds
            self._check_layout()
            check_store(self._h5(), str(self.path))
        except BaseException:
            self.close()
            raise

    def _check_layout(self) -> None:
        """Refuse a file without latentlab's provenance, or of an earlier layout, saying which."""
        if "layout_version" not in self.attrs:
            raise LatentlabError(f"{self.path}: has no latentlab provenance (layout_version, model, sources): "
                                 "written by another program, e.g. anndata's write_h5ad, which keeps the data "
                                 "but drops file attributes. Write it with latentlab, or copy the attributes back "
                                 "from the store it came from")
        if int(self.attrs["layout_version"]) < LAYOUT_VERSION:
            raise LatentlabError(f"{self.path}: a store of an earlier latentlab "
                                 f"(layout {self.attrs.get('layout_version')}"
                                 f", now {LAYOUT_VERSION}: an AnnData .h5ad file); encode it again with `latentlab "
                                 "encode MODEL DATA -o NEW.h5`")

    def _h5(self) -> h5py.File:
        """The store's file, opened once: a store replaced by another process's edit is not seen, so every
        read of this object comes from the version it opened (its own edits reopen it)."""
        if self._file is None or not self._file.id.valid:
            try:
                self._file = h5py.File(self.path, "r")
            except OSError as exc:
                raise LatentlabError(f"{self.path}: not a readable HDF5 latent store ({exc})") from None
        return self._file

    def close(self) -> None:
        """Close the open file (the next read opens the store's newest version)."""
        if self._file is not None and self._file.id.valid:
            self._file.close()
        self._file = None

    def __enter__(self) -> "LatentStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getstate__(self) -> dict:  # sent to a Dask worker: the path and attributes, not the open file
        return {**self.__dict__, "_file": None}

    def __len__(self) -> int:
        return int(self._h5()["obs/length"].shape[0])

    def has(self, key: str) -> bool:
        return h5_key(key) in self._h5()

    def keys(self, group: str) -> list[str]:
        """Names under ``group`` (e.g. the cached decodes under ``decoded``); empty when absent."""
        f = self._h5()
        return sorted(f[h5_key(group)].keys()) if h5_key(group) in f else []

    def read(self, key: str, rows=slice(None), hint: str | None = None) -> np.ndarray:
        """Array ``key`` (e.g. ``obsm/mu``; a categorical column gives its codes); a missing derived key says
        which command makes it."""
        f = self._h5()
        if h5_key(key) not in f:
            raise LatentlabError(f"{self.path}: no '{key}' in this store" + (f"; run `{hint}` first" if hint else ""))
        obj = f[h5_key(key)]
        if isinstance(obj, h5py.Group) and obj.attrs.get("encoding-type") == "categorical":
            obj = obj["codes"]
        return obj[rows]

    def shape(self, key: str) -> tuple[int, ...]:
        """The shape of array ``key``, without reading it."""
        f = self._h5()
        if h5_key(key) not in f:
            raise LatentlabError(f"{self.path}: no '{key}' in this store")
        return tuple(f[h5_key(key)].shape)

    def key_attrs(self, key: str) -> dict:
        """The parameters stored beside ``key``, as plain Python values (AnnData's encoding left out)."""
        f = self._h5()
        return {k: (json.loads(v) if isinstance(v, str) and v[:1] in "[{" else getattr(v, "item", lambda: v)())
                for k, v in f[h5_key(key)].attrs.items() if not k.startswith("encoding-")}

    def strings(self, key: str) -> list[str]:
        return [s.decode() if isinstance(s, bytes) else str(s) for s in self.read(key)]

    @property
    def class_names(self) -> list[str]:
        """The categories of ``obs/label`` (``obs/label`` holds codes into them, -1 for none)."""
        return self.strings("obs/label/categories")

    @property
    def sources(self) -> list[str]:
        """``file.npz:split`` of each source, the categories of ``obs/source``."""
        return self.strings("obs/source/categories")

    def label_names(self) -> list[str]:
        names = self.class_names
        return [names[i] if i >= 0 else "" for i in self.read("obs/label")]

    def sketches(self, rows: Sequence[int] | None = None, key: str = "strokes") -> list[np.ndarray]:
        """Stroke-3 sketches (all, or ``rows``) from ``strokes`` or a ``decoded/<name>`` group."""
        return [s for chunk in self.iter_sketches(rows, key) for s in chunk]

    def iter_sketches(self, rows: Sequence[int] | None = None, key: str = "strokes",
                      chunk: int = 4096) -> Iterator[list[np.ndarray]]:
        """The sketches of ``rows`` (default all) in order, ``chunk`` at a time: memory for one chunk's points.

        A chunk of nearby rows is one read; rows spread thinly over the store are read one by one."""
        f = self._h5()
        if f"{h5_key(key)}/offsets" not in f:
            raise LatentlabError(f"{self.path}: no '{key}' in this store; run `latentlab decode {self.path}` first")
        offsets = f[f"{h5_key(key)}/offsets"][:]
        points = f[f"{h5_key(key)}/points"]
        rows = np.arange(len(offsets) - 1) if rows is None else np.asarray(rows, np.int64).reshape(-1)
        for a in range(0, len(rows), chunk):
            part = rows[a:a + chunk]
            lo, hi = int(offsets[part.min()]), int(offsets[part.max() + 1])
            wanted = int((offsets[part + 1] - offsets[part]).sum())
            if hi - lo <= 4 * wanted + 65536:
                block = points[lo:hi]
                yield [block[offsets[i] - lo:offsets[i + 1] - lo] for i in part]
            else:
                yield [points[offsets[i]:offsets[i + 1]] for i in part]

    @contextmanager
    def edit(self, what: str = "edit") -> Iterator["StoreEditor"]:
        """Change the store all-or-nothing: the changes go into a copy, which then replaces the store.

        After an exception, a SIGKILL or a full disk at any moment the store is exactly as before (or, once
        the rename is done, holds every change of the block); readers that have it open keep reading the old
        file.  One writer at a time (``<store>.lock``); a second one waits.  The cost is one copy of the file.
        """
        target = self.path.resolve()  # a link to a store: its target is edited, the link stays
        tmp = target.with_name(f".{target.name}.{os.getpid()}.editing")
        with store_lock(target, wait=True, what=what):
            for stale in target.parent.glob(f".{target.name}.*.editing"):  # left by a killed writer
                stale.unlink(missing_ok=True)
            st = target.stat()
            if not st.st_mode & 0o222:
                raise LatentlabError(f"{self.path}: is read-only (mode {st.st_mode & 0o777:o}); make it writable to "
                                     "change it. The store is unchanged")
            try:
                # a new file only this user reads (never through a planted link), until it gets the store's mode
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                with open(fd, "wb") as out, open(target, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
                with h5py.File(tmp, "r+") as f:
                    yield StoreEditor(f)
                os.chmod(tmp, st.st_mode & 0o7777)  # the store's mode, and its owner where allowed
                if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                    with contextlib.suppress(PermissionError):
                        os.chown(tmp, st.st_uid, st.st_gid)
                fsync_file(tmp)
                os.replace(tmp, target)
                self.close()  # this object reads its own change from now on
            except OSError as exc:
                raise LatentlabError(f"{self.path}: could not write ({exc.strerror or exc}); the store is "
                                     "unchanged") from None
            finally:
                tmp.unlink(missing_ok=True)

    def write(self, key: str, value: np.ndarray, attrs: dict | None = None) -> None:
        """Write (or replace) array ``key`` with its parameters as attributes, all-or-nothing (see :meth:`edit`)."""
        with self.edit(f"write {key}") as e:
            e.write(key, value, attrs)

    def write_group(self, group: str, arrays: dict[str, np.ndarray], attrs: dict) -> None:
        """Write (or replace) ``group`` holding ``arrays``, its parameters as attributes, all-or-nothing."""
        with self.edit(f"write {group}") as e:
            e.write_group(group, arrays, attrs)

    def write_sketches(self, group: str, sketches: Sequence[np.ndarray], attrs: dict) -> None:
        """Store variable-length sketches as ``group/points`` + ``group/offsets``, atomically per group."""
        lengths = np.array([len(s) for s in sketches], np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        points = np.concatenate([np.asarray(s, np.float32).reshape(-1, 3) for s in sketches]) if len(sketches) \
            else np.zeros((0, 3), np.float32)
        self.write_group(group, {"points": points, "offsets": offsets}, attrs)


class StoreEditor:
    """Writes into an open copy of a store (from :meth:`LatentStore.edit`), each key replaced whole."""

    def __init__(self, f: h5py.File) -> None:
        self.f = f

    def write(self, key: str, value: np.ndarray, attrs: dict | None = None) -> None:
        """Array ``key`` with its parameters as attributes (``obs/<name>`` becomes a column of obs)."""
        key = h5_key(key)
        if key in self.f:
            del self.f[key]
        _set_attrs(array_dataset(self.f, key, value), attrs or {})
        _mark_parents(self.f, key)

    def create(self, key: str, shape: tuple[int, ...], dtype, attrs: dict | None = None) -> h5py.Dataset:
        """An empty chunked array ``key`` to fill a block of rows at a time (a result larger than memory)."""
        key = h5_key(key)
        if key in self.f:
            del self.f[key]
        ds = chunked_dataset(self.f, key, shape, dtype)
        _set_attrs(ds, attrs or {})
        _mark_parents(self.f, key)
        return ds

    def write_group(self, group: str, arrays: dict[str, np.ndarray], attrs: dict) -> None:
        """Group ``group`` holding ``arrays``, its parameters as attributes."""
        group = h5_key(group)
        if group in self.f:
            del self.f[group]
        g = self.f.create_group(group)
        encoding(g, DICT)
        for name, value in arrays.items():
            array_dataset(g, name, value)
        _set_attrs(g, attrs)
        _mark_parents(self.f, group)


def _set_attrs(obj: h5py.HLObject, attrs: dict) -> None:
    """Parameters as HDF5 attributes: lists and dicts as JSON, None as an empty string."""
    for k, v in attrs.items():
        obj.attrs[k] = json.dumps(v) if isinstance(v, (list, dict)) else ("" if v is None else v)

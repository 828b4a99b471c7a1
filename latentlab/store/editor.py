"""All-or-nothing edits of a store: in place with a redo journal (:mod:`latentlab.store.journal`), or, while
another process has the store open, in a copy that then replaces it."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import h5py
import numpy as np

from latentlab.atomic import fsync_file
from latentlab.errors import LatentlabError
from latentlab.lock import store_lock
from latentlab.store.h5ad import array_dataset, categorical, chunked_dataset, csr_matrix, mark_parents
from latentlab.store.journal import JournaledFile, recover
from latentlab.store.keys import h5_key
from latentlab.store.params import DICT, encoding, write_dict


EDITING: set[Path] = set()  # the stores this process is editing in place (their readers read the version before)


@contextmanager
def edited(path: Path, what: str) -> Iterator["StoreEditor"]:
    """Yield an editor of the store at ``path``; its changes take effect together when the block completes.

    After an exception, a SIGKILL or a full disk at any moment the store reads as before (or, once the commit
    began, holds every change of the block).  The edit is made in place (its cost is what it writes) unless
    another process has the store open (an HDF5 reader holds a shared lock on it): then in a copy that replaces
    the store, so that the reader goes on reading the version it opened.  One writer at a time
    (``<store>.lock``); a second one waits.

    Parameters
    ----------
    path
        The store.
    what
        The edit, named to a writer that waits for the lock.
    """
    target = path.resolve()  # a link to a store: its target is edited, the link stays
    with store_lock(target, wait=True, what=what):
        recover(target)
        for stale in target.parent.glob(f".{target.name}.*.editing"):  # left by a killed writer
            stale.unlink(missing_ok=True)
        st = target.stat()
        if not st.st_mode & 0o222:
            raise LatentlabError(f"{path}: is read-only (mode {st.st_mode & 0o777:o}); make it writable to "
                                 "change it. The store is unchanged")
        fd = os.open(target, os.O_RDWR | os.O_NOFOLLOW)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # no reader has it open, and none opens it meanwhile
        except BlockingIOError:
            os.close(fd)
            with _in_a_copy(path, target, st) as editor:
                yield editor
            return
        EDITING.add(target)
        try:
            with _in_place(path, target, fd) as editor:
                yield editor
        finally:
            EDITING.discard(target)
            os.close(fd)  # releases the flock


@contextmanager
def _in_place(path: Path, target: Path, fd: int) -> Iterator["StoreEditor"]:
    raw = None
    try:
        raw = JournaledFile(target, fd)
        with h5py.File(raw, "r+") as f:
            yield StoreEditor(f)
        raw.commit()
    except BaseException as exc:
        if raw is not None:
            raw.undo()
        if isinstance(exc, OSError):
            after = "the next open of the store finishes the edit" if raw is not None and raw.committed else \
                "the store is unchanged"
            raise LatentlabError(f"{path}: could not write ({exc.strerror or exc}); {after}") from None
        raise


@contextmanager
def _in_a_copy(path: Path, target: Path, st: os.stat_result) -> Iterator["StoreEditor"]:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.editing")
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
    except OSError as exc:
        raise LatentlabError(f"{path}: could not write ({exc.strerror or exc}); the store is unchanged") from None
    finally:
        tmp.unlink(missing_ok=True)


class StoreEditor:
    """Writes into an open copy of a store (from :meth:`LatentStore.edit`), each key replaced whole.

    Parameters
    ----------
    f
        The copy, open for writing.
    """

    def __init__(self, f: h5py.File) -> None:
        self.f = f

    def __len__(self) -> int:
        return int(self.f["obs/length"].shape[0])

    def _replace(self, key: str) -> str:
        key = h5_key(key)
        if key in self.f:
            del self.f[key]
        return key

    def dataset(self, key: str) -> h5py.Dataset:
        """Array ``key`` as it is in the copy, to fill a block of rows at a time."""
        return self.f[h5_key(key)]

    def write(self, key: str, value: np.ndarray) -> None:
        """Array ``key`` (``obs/<name>`` becomes a column of obs, ``obsm/<name>`` a multi-column one).

        Parameters
        ----------
        key
            Where.
        value
            The array (a row per sketch for obs and obsm).
        """
        key = self._replace(key)
        array_dataset(self.f, key, value)
        mark_parents(self.f, key)

    def write_sparse(self, key: str, matrix) -> None:
        """A sparse matrix ``key`` (``obsp/<name>``: a graph over the rows), as AnnData keeps one.

        Parameters
        ----------
        key
            Where.
        matrix
            A ``scipy.sparse`` matrix.
        """
        key = self._replace(key)
        parent, _, name = key.rpartition("/")
        csr_matrix(self.f[parent], name, matrix)
        mark_parents(self.f, key)

    def categorical(self, key: str, codes: np.ndarray, categories: list[str]) -> None:
        """A categorical obs column ``key``: integer ``codes`` (-1: none) into ``categories``.

        Parameters
        ----------
        key
            Where (``obs/<name>``).
        codes
            A code per row.
        categories
            Their names.
        """
        key = self._replace(key)
        parent, _, name = key.rpartition("/")
        categorical(self.f[parent], name, np.asarray(codes, np.int32), categories)
        mark_parents(self.f, key)

    def dict(self, key: str, values: dict) -> None:
        """A dict group ``key`` (under ``uns``) of plain values, as AnnData keeps one.

        Parameters
        ----------
        key
            Where (e.g. ``uns/neighbors``).
        values
            As for :func:`latentlab.store.params.write_dict`.
        """
        key = h5_key(key)
        parent, _, name = key.rpartition("/")
        write_dict(self.f[parent], name, values)
        mark_parents(self.f, key)

    def create(self, key: str, shape: tuple[int, ...], dtype) -> h5py.Dataset:
        """An empty chunked array ``key`` to fill a block of rows at a time (a result larger than memory).

        Parameters
        ----------
        key
            Where.
        shape
            Its shape.
        dtype
            Its dtype.
        """
        key = self._replace(key)
        ds = chunked_dataset(self.f, key, shape, dtype)
        mark_parents(self.f, key)
        return ds

    def params(self, key: str, values: dict) -> None:
        """The parameters of a result, kept as scanpy keeps them: ``uns/<key>/params``.

        Parameters
        ----------
        key
            The result (``umap``, ``knn``, ``decoded/tau0.1``).
        values
            Its parameters.
        """
        group = f"uns/{h5_key(key).removeprefix('uns/')}"
        if group not in self.f:
            encoding(self.f.create_group(group), DICT)
            mark_parents(self.f, group)
        write_dict(self.f[group], "params", values)

    def write_group(self, key: str, arrays: dict[str, np.ndarray], params: dict) -> None:
        """Group ``key`` (under ``uns``) holding ``arrays``, with its ``params``.

        Parameters
        ----------
        key
            The group.
        arrays
            Its arrays by name.
        params
            Its parameters.
        """
        key = self._replace(key)
        encoding(self.f.create_group(key), DICT)
        for name, value in arrays.items():
            array_dataset(self.f[key], name, value)
        write_dict(self.f[key], "params", params)
        mark_parents(self.f, key)

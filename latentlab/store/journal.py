"""Edits of a store in place, all-or-nothing, with a redo journal beside it (``.z.h5.journal``).

HDF5 appends a new array past the end of the file and changes a few pages of metadata (the superblock, object
headers, group indices) inside it.  :class:`JournaledFile` is the file object h5py writes through: what goes past
the store's original end is written there at once; a page inside it is changed in memory only.  At commit the
changed pages go into the journal (fsynced, then renamed into place: from here the edit counts as done), then
into the store, and the journal is removed.  Until the commit the store's original bytes are untouched, so a
reader (or a SIGKILL) sees the store as it was, with unused bytes past its end; :func:`recover` (run by the next
open or edit) cuts those off, or finishes a commit that was cut short.
"""
from __future__ import annotations

import json
import os
import struct
import zlib
from pathlib import Path

from latentlab.errors import LatentlabError

PAGE = 4096
_MAGIC = b"LLJRNL1\n"


def journal_path(path: str | os.PathLike) -> Path:
    """The journal of a store: ``.<name>.journal`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.journal")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(path: Path, header: dict, pages: dict[int, bytes]) -> None:
    """Write the journal in full under a temporary name, fsync it and rename it into place."""
    tmp = path.with_name(path.name + ".tmp")
    body = json.dumps({**header, "pages": sorted(pages)}).encode()
    blob = b"".join(pages[k] for k in sorted(pages))
    data = _MAGIC + struct.pack("<QQ", len(body), len(blob)) + body + blob
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.pwrite(fd, data + struct.pack("<I", zlib.crc32(data)), 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _read_journal(path: Path) -> tuple[dict, dict[int, bytes]] | None:
    """The journal's header and pages; None when it is incomplete or damaged (it never counted)."""
    data = path.read_bytes()
    if len(data) < len(_MAGIC) + 20 or not data.startswith(_MAGIC) or \
            struct.unpack("<I", data[-4:])[0] != zlib.crc32(data[:-4]):
        return None
    n_body, n_blob = struct.unpack("<QQ", data[len(_MAGIC):len(_MAGIC) + 16])
    start = len(_MAGIC) + 16
    header = json.loads(data[start:start + n_body])
    blob = data[start + n_body:start + n_body + n_blob]
    pages = {k: blob[i * PAGE:(i + 1) * PAGE] for i, k in enumerate(header.pop("pages"))}
    return header, pages


def _apply(fd: int, header: dict, pages: dict[int, bytes]) -> None:
    for k, page in pages.items():
        os.pwrite(fd, page, k * PAGE)
    os.ftruncate(fd, header["size"])
    os.fsync(fd)


def recover(path: str | os.PathLike) -> str | None:
    """Finish or undo an edit in place that a killed writer left (call it holding the store's writer lock).

    Parameters
    ----------
    path
        The store.

    Returns
    -------
    ``"finished"`` or ``"undone"`` when there was one, else None.
    """
    path = Path(path)
    journal = journal_path(path)
    leftover = journal.with_name(journal.name + ".tmp")
    if not journal.exists():
        leftover.unlink(missing_ok=True)
        return None
    read = _read_journal(journal)
    if read is None:
        raise LatentlabError(f"{journal}: damaged; the edit it records cannot be finished or undone. Move it away "
                             "and check the store with `latentlab upgrade --check`")
    header, pages = read
    fd = os.open(path, os.O_RDWR)
    try:
        if header["state"] == "committed":
            _apply(fd, header, pages)
        else:  # begun: nothing inside the original bytes was written; cut off what was appended
            os.ftruncate(fd, header["original_size"])
            os.fsync(fd)
    finally:
        os.close(fd)
    leftover.unlink(missing_ok=True)
    journal.unlink()
    _fsync_dir(path.parent)
    return "finished" if header["state"] == "committed" else "undone"


class JournaledFile:
    """The file object h5py opens (``h5py.File(JournaledFile(...), "r+")``): pages inside the store's original
    size are changed in memory, bytes past it are written to the store; :meth:`commit` makes the edit durable.

    Parameters
    ----------
    path
        The store (its writer lock held by the caller).
    fd
        The store, open for reading and writing.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self.fd, self.pos = path, fd, 0
        self.original = os.fstat(fd).st_size
        self.limit = -(-self.original // PAGE) * PAGE  # pages below this are kept in memory
        self.size = self.original
        self.pages: dict[int, bytearray] = {}
        self.committed = False
        self.failed: OSError | None = None
        _write_journal(journal_path(path), {"state": "begun", "original_size": self.original,
                                            "size": self.original}, {})

    def _page(self, k: int) -> bytearray:
        if k not in self.pages:
            page = bytearray(os.pread(self.fd, PAGE, k * PAGE))
            self.pages[k] = page + bytes(PAGE - len(page))
        return self.pages[k]

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        n = max(0, min(len(view), self.size - self.pos))
        view[n:] = bytes(len(view) - n)  # past the end reads as zeros
        done = 0
        while done < n:
            at = self.pos + done
            if at < self.limit:
                k, off = divmod(at, PAGE)
                take = min(PAGE - off, n - done)
                page = self.pages.get(k)
                view[done:done + take] = page[off:off + take] if page is not None else \
                    os.pread(self.fd, take, at).ljust(take, b"\0")
            else:
                take = n - done
                view[done:done + take] = os.pread(self.fd, take, at).ljust(take, b"\0")
            done += take
        self.pos += len(view)
        return len(view)

    def read(self, n: int = -1) -> bytes:
        buffer = bytearray(max(0, self.size - self.pos) if n < 0 else n)
        self.readinto(buffer)
        return bytes(buffer)

    def write(self, data) -> int:
        data = memoryview(data).cast("B")
        done = 0
        while done < len(data):
            at = self.pos + done
            if at < self.limit:
                k, off = divmod(at, PAGE)
                take = min(PAGE - off, len(data) - done)
                self._page(k)[off:off + take] = data[done:done + take]
            else:
                take = len(data) - done
                self._append(data[done:], at)
            done += take
        self.pos += len(data)
        self.size = max(self.size, self.pos)
        return len(data)

    def _append(self, data: memoryview, at: int) -> None:
        """Write past the original end.  A failed write (a full disk) is kept, not raised: HDF5 cannot take an error
        from a file object's write and close the file cleanly, so the edit goes on writing nothing and
        :meth:`commit` raises it (the edit is then undone)."""
        if self.failed is not None:
            return
        try:
            os.pwrite(self.fd, data, at)
        except OSError as exc:
            self.failed = exc

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move to ``offset``, as a file object does.

        Parameters
        ----------
        offset
            Bytes.
        whence
            0: from the start, 1: from here, 2: from the end.
        """
        self.pos = offset if whence == 0 else self.pos + offset if whence == 1 else self.size + offset
        return self.pos

    def tell(self) -> int:
        return self.pos

    def truncate(self, size: int | None = None) -> int:
        size = self.pos if size is None else size
        if size >= self.limit and self.failed is None:
            os.ftruncate(self.fd, size)
        self.pages = {k: p for k, p in self.pages.items() if k * PAGE < size}
        self.size = size
        return size

    def flush(self) -> None:
        """Nothing: the store's original bytes change only at :meth:`commit`."""

    def commit(self) -> None:
        """Make the edit durable: appended bytes fsynced, the changed pages journalled, then written in place."""
        if self.failed is not None:
            raise self.failed
        os.fsync(self.fd)
        pages = {k: bytes(p) for k, p in self.pages.items()}
        header = {"state": "committed", "original_size": self.original, "size": self.size}
        journal = journal_path(self.path)
        _write_journal(journal, header, pages)
        self.committed = True  # from here on the edit is done: recover() finishes what this does not
        _apply(self.fd, header, pages)
        journal.unlink()
        _fsync_dir(self.path.parent)

    def undo(self) -> None:
        """Drop the edit: cut off what was appended and remove the journal (once committed, leave the journal for
        :func:`recover` to finish)."""
        if self.committed:
            return
        os.ftruncate(self.fd, self.original)
        os.fsync(self.fd)
        journal_path(self.path).unlink(missing_ok=True)

"""One writer at a time: an advisory lock file beside a file (``.z.h5.lock``) that names its holder and is
removed when released."""
from __future__ import annotations

import errno
import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from latentlab.errors import LatentlabError


def lock_path(path: str | os.PathLike) -> Path:
    """The lock file of ``path``: ``.<name>.lock`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


def _acquire(lock: Path, path: Path, wait: bool):
    """Open and lock ``lock``; retried when another holder removed the file between our open and our lock."""
    said = False
    while True:
        try:  # never through a link planted at the lock's name
            fh = os.fdopen(os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644), "r+")
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise LatentlabError(f"{lock}: is a symbolic link; remove it (latentlab's lock files are plain files)"
                                 ) from None
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if not wait:
                fh.close()
                raise LatentlabError(f"{path} is being written by {holder}; wait for it to finish, or choose "
                                     "another output") from None
            if not said:
                print(f"latentlab: waiting for {holder} to finish writing {path}", file=sys.stderr, flush=True)
                said = True
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            same = os.stat(lock).st_ino == os.fstat(fh.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fh
        fh.close()  # the file we locked was released and removed meanwhile: lock the new one


@contextmanager
def store_lock(path: str | os.PathLike, *, wait: bool, what: str) -> Iterator[None]:
    """Hold ``path``'s lock for the block.

    Parameters
    ----------
    path
        The store (the lock is ``.<name>.lock`` beside it; the kernel drops it when its holder dies, even by
        SIGKILL, and the next holder takes it over).
    wait
        Wait for another holder to finish (saying so once), or fail at once with a line naming it.
    what
        What this process is doing, recorded for the message another process shows.
    """
    path = Path(path)
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fh = _acquire(lock, path, wait)
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"`latentlab {what}` (pid {os.getpid()}, since {time.strftime('%H:%M:%S')})")
        fh.flush()
        yield
    finally:
        lock.unlink(missing_ok=True)
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()

"""One writer at a time: an advisory lock file beside a store (``z.h5.lock``) that names its holder."""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from latentlab.errors import LatentlabError


def lock_path(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".lock")


@contextmanager
def store_lock(path: str | os.PathLike, *, wait: bool, what: str) -> Iterator[None]:
    """Hold ``path``'s lock for the block.

    Parameters
    ----------
    path
        The store (the lock is ``<path>.lock``; the kernel drops it when its holder dies, even by SIGKILL).
    wait
        Wait for another holder to finish (saying so once), or fail at once with a line naming it.
    what
        What this process is doing, recorded for the message another process shows.
    """
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if not wait:
                raise LatentlabError(f"{path} is being written by {holder}; wait for it to finish, or choose "
                                     "another output") from None
            print(f"latentlab: waiting for {holder} to finish writing {path}", flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"`latentlab {what}` (pid {os.getpid()}, since {time.strftime('%H:%M:%S')})")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)

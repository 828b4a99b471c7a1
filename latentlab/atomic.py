"""All-or-nothing file writes: a reader sees the old file or the complete new one, never half of it."""
from __future__ import annotations

import errno
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from latentlab.errors import LatentlabValueError


# A full disk, a file-size limit or quota, a read-only or forbidden folder, a failing device: the write's own
# failure, reported as the file that could not be written.
_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary sibling of ``path`` to write; it replaces ``path`` only if the block completes.

    The temporary name keeps ``path``'s extension, since some writers (matplotlib, Pillow) pick a format
    from it or append their own.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part{path.suffix}")
    try:
        yield tmp
        fsync_file(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        from latentlab.errors import LatentlabError

        raise LatentlabError(f"{path}: could not write ({exc.strerror}); nothing was written") from None
    finally:
        tmp.unlink(missing_ok=True)


def fsync_file(path: str | os.PathLike) -> None:
    """Flush a written file to the disk, so that a rename over the old one never publishes lost data."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Parameters
    ----------
    path
        The file.
    text
        Its text.
    """
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def output_path(path: str | os.PathLike, suffixes: Sequence[str], what: str) -> Path:
    """Check an output path before any work is done: a file name (not a folder) with one of ``suffixes``.

    Parameters
    ----------
    path
        The output asked for.
    suffixes
        The suffixes allowed.
    what
        What the output is, for the error.
    """
    path = Path(path)
    if path.is_dir():
        raise LatentlabValueError(f"{path}: is a folder; give a file name for the {what}")
    if path.suffix.lower() not in suffixes:
        raise LatentlabValueError(f"{path}: a {what} is written as {' or '.join(suffixes)}")
    return path


_RENAME_EXCHANGE = 2  # renameat2's flag (Linux 3.15+): swap two paths in one step
_AT_FDCWD = -100


def replace_folder(staged: str | os.PathLike, target: str | os.PathLike) -> None:
    """Put the complete folder ``staged`` at ``target`` in one step, then delete what ``target`` held.

    A reader sees the old folder or the new one, never a mix: where the file system can exchange two paths
    (Linux ``renameat2``), a kill at any point leaves one of them whole at ``target``.  Elsewhere the old folder
    is first moved aside to ``.<name>.old`` beside it.

    Parameters
    ----------
    staged
        The complete new folder, beside ``target`` (the same file system).
    target
        The folder it replaces (or makes).
    """
    staged, target = Path(staged), Path(target)
    if not target.exists():
        os.rename(staged, target)
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    exchange = getattr(libc, "renameat2", None)
    if exchange is not None and exchange(_AT_FDCWD, os.fsencode(staged), _AT_FDCWD, os.fsencode(target),
                                         _RENAME_EXCHANGE) == 0:
        old = staged
    else:
        err = ctypes.get_errno() if exchange is not None else errno.ENOSYS
        if err not in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise OSError(err, os.strerror(err), str(target))
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
        os.rename(staged, target)
    shutil.rmtree(old)

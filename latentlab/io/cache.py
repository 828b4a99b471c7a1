"""The download cache's records: the size and sha256 of every cached file, written when it is kept and checked
on every use, so that a file changed since (truncated, replaced, a link) is never used."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

from latentlab.atomic import write_text
from latentlab.errors import LatentlabError
from latentlab.io.digest import file_sha256


def record_path(path: Path) -> Path:
    """Where the size and sha256 of a downloaded file are recorded: ``.<name>.sha256.json`` beside it."""
    return path.with_name(f".{path.name}.sha256.json")


def write_record(record: Path, files: list[Path]) -> None:
    """Record the size and sha256 of ``files`` in ``record``; a cache that cannot be written keeps no record (its
    files are then checked in full on each use).

    Parameters
    ----------
    record
        The record file (``.<name>.sha256.json`` beside a download, ``.sha256.json`` in an unpacked folder).
    files
        Files in ``record``'s folder.
    """
    entries = {p.name: {"size": p.stat().st_size, "sha256": file_sha256(p)} for p in files}
    try:
        write_text(record, json.dumps(entries, indent=1))
    except (LatentlabError, OSError):
        pass


def record_problem(record: Path) -> str | None:
    """What is wrong with the files ``record`` lists (None: each is a plain file of its recorded size and hash)."""
    try:
        entries = json.loads(record.read_text())
    except (OSError, ValueError):
        return f"its record {record.name} is unreadable"
    for name, entry in entries.items():
        path = record.parent / name
        if path.is_symlink() or not path.is_file():
            return f"{name} is not a plain file"
        if path.stat().st_size != entry["size"]:
            return f"{name} is {path.stat().st_size:,} bytes; it was {entry['size']:,} when downloaded"
        if file_sha256(path) != entry["sha256"]:
            return f"{name} differs from the file downloaded (sha256)"
    return None


def cached_problem(path: Path, sha256: str | None = None, check: Callable[[Path], object] | None = None
                   ) -> str | None:
    """Why the cached ``path`` cannot be used as it is (None: it can).

    Parameters
    ----------
    path
        The cached file.
    sha256
        Its published hash, when known.
    check
        Run on a file cached before records were kept (a model must load); it is then recorded.
    """
    if path.is_symlink():
        return "is a symbolic link, not a file latentlab downloaded"
    record = record_path(path)
    if record.is_file():
        problem = record_problem(record)
        if problem is None and sha256 and json.loads(record.read_text())[path.name]["sha256"] != sha256:
            problem = f"differs from the published file (sha256 {sha256[:12]}...)"
        return problem
    if sha256 and file_sha256(path) != sha256:
        return f"differs from the published file (sha256 {sha256[:12]}...)"
    if check is not None:
        try:
            check(path)
        except LatentlabError as exc:
            return str(exc).replace(f"{path}: ", "")
    write_record(record, [path])  # a file cached before records were kept: recorded once checked
    return None


def clean_leftovers(dest: Path) -> None:
    """Remove what killed downloads of ``dest`` left beside it (run under ``dest``'s lock)."""
    for left in [*dest.parent.glob(f".{dest.name}.*.download"), *dest.parent.glob(f".{dest.name}.*.part*")]:
        if left.is_dir() and not left.is_symlink():
            shutil.rmtree(left, ignore_errors=True)
        else:
            left.unlink(missing_ok=True)

"""Public files by name: downloaded once into the user's cache, or found in the offline copy.

Downloads go through pooch (streamed to a temporary file, retried, sha256-checked,
with a progress bar), under a lock per cached file so that two processes fetching
one name download it once.  A file is checked before it is kept (``check=``): a
partial, corrupt or mismatched download never becomes a cached file.  When the
network fails, the copy under ``../shared`` (``LATENTLAB_SHARED``) is used, checked
against its known sha256.

Settings (environment):

``LATENTLAB_CACHE``
    The cache folder (default: the platform's user cache, ``pooch.os_cache("latentlab")``).
``LATENTLAB_SHARED``
    The offline copy's root (default ``../shared`` beside the source tree).
``LATENTLAB_MIRROR``
    A base URL that replaces every public host: ``https://host/path`` is fetched as
    ``$LATENTLAB_MIRROR/host/path`` (a local mirror laid out by host, as the tests serve).
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import sys
import urllib.parse
from pathlib import Path
from typing import Callable

from latentlab.atomic import atomic_path
from latentlab.errors import LatentlabError
from latentlab.paths import ROOT

DEFAULT_TIMEOUT = 30.0
RETRIES = 2
CATALOG_FILE = Path(__file__).with_name("catalog.json")


class DownloadError(LatentlabError):
    """A file could not be had: not downloaded (with the reason) and no offline copy."""


@functools.cache
def catalog() -> dict:
    """The catalogue of names (``catalog.json``): URLs, magenta's variants, the sketch-rnn-js zoo, known hashes."""
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


def cache_dir(cache: str | os.PathLike | None = None) -> Path:
    """Where downloads are kept: ``cache``, ``$LATENTLAB_CACHE``, or the user's cache folder."""
    if cache or os.environ.get("LATENTLAB_CACHE"):
        return Path(cache or os.environ["LATENTLAB_CACHE"])
    import pooch

    return Path(pooch.os_cache("latentlab"))


def shared_dir(shared: str | os.PathLike | None = None) -> Path:
    """The offline copy of the public data: ``shared``, ``$LATENTLAB_SHARED``, or ``../shared``."""
    return Path(shared or os.environ.get("LATENTLAB_SHARED") or ROOT.parent / "shared")


def mirrored(url: str) -> str:
    """``url`` as fetched: on ``$LATENTLAB_MIRROR`` when set (``https://host/p`` -> ``MIRROR/host/p``)."""
    mirror = os.environ.get("LATENTLAB_MIRROR")
    if not mirror:
        return url
    parts = urllib.parse.urlsplit(url)
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}"


def offline_copy(name: str, shared: str | os.PathLike | None = None) -> tuple[Path, str | None] | None:
    """(path, sha256 or None) of ``name``'s offline copy under ``shared``, if the catalogue knows one.

    Parameters
    ----------
    name
        A model or dataset name.
    shared
        The offline copy's root (``../shared``).
    """
    entry = catalog()["offline"].get(name)
    if entry:
        return shared_dir(shared) / entry["path"], entry["sha256"]
    return None


def download(url: str, dest: str | os.PathLike, *, sha256: str | None = None,
             check: Callable[[Path], object] | None = None, timeout: float = DEFAULT_TIMEOUT,
             retries: int = RETRIES, progress: bool = True) -> Path:
    """Download ``url`` to ``dest`` unless it is there already; the file appears only complete and checked.

    Parameters
    ----------
    url
        The public URL (fetched from ``$LATENTLAB_MIRROR`` when set).
    dest
        The cached file.
    sha256
        Its known hash: a download that differs is refused (and retried).
    check
        Called with the downloaded temporary file before it is kept; raises to refuse it.
    timeout
        Seconds to wait for the server (connecting, and between bytes).
    retries
        Attempts after the first.
    progress
        Show a progress bar.

    Returns
    -------
    ``dest``.
    """
    import pooch
    import requests

    from latentlab.lock import store_lock

    pooch.get_logger().setLevel("WARNING")  # its INFO lines ("Downloading ...", retries) are not ours to print
    dest = Path(dest)
    source = mirrored(url)
    with store_lock(dest, wait=True, what=f"download {dest.name}"):
        if dest.is_file() and (sha256 is None or _sha256(dest) == sha256):
            return dest
        staging = dest.with_name(f".{dest.name}.{os.getpid()}.download")
        try:
            known = f"sha256:{sha256}" if sha256 else None
            fetcher = pooch.create(path=staging, base_url="", registry={dest.name: known},
                                   urls={dest.name: source}, retry_if_failed=retries)
            got = Path(fetcher.fetch(dest.name, downloader=pooch.HTTPDownloader(progressbar=progress, timeout=timeout)))
            if check is not None:
                try:
                    check(got)
                except LatentlabError as exc:  # named by its URL, not by the temporary file it was checked in
                    raise DownloadError(f"{source}: refused after download: "
                                        f"{str(exc).replace(str(got) + ': ', '').replace(str(got), 'it')}") from None
            os.replace(got, dest)
        except (requests.exceptions.RequestException, ValueError, OSError) as exc:
            raise DownloadError(f"could not download {source}: {_reason(exc)}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return dest


def _reason(exc: Exception) -> str:
    """The short reason inside requests' nested messages ("Connection refused", "timed out", "404 ...")."""
    import requests

    text = str(exc)
    if isinstance(exc, requests.exceptions.Timeout):
        return "timed out"
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if found:
        return found.group(1).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    return text if len(text) < 200 else text[:200] + "..."


def _sha256(path: Path) -> str:
    from latentlab.io.datasets import file_sha256

    return file_sha256(path)


def fetch_or_offline(name: str, url: str, dest: Path, *, shared: str | os.PathLike | None = None,
                     offline: Path | None = None, sha256: str | None = None,
                     check: Callable[[Path], object] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """``dest`` downloaded from ``url``; when that fails, the offline copy (catalogue's, or ``offline``).

    A name with no copy anywhere fails in one line naming the URL and where to place the file by hand.

    Parameters
    ----------
    name
        The name, for messages.
    url
        Where it is published.
    dest
        Where it is kept in the cache.
    shared
        The offline copy's root.
    offline
        An offline copy to use when the catalogue has none.
    sha256
        The published file's checksum, when known.
    check
        Called on the downloaded file before it is kept (a model must load).
    timeout
        Seconds without data before a download fails.
    """
    known = offline_copy(name, shared)
    if known:
        offline, sha256 = known[0], sha256 or known[1]
    try:
        return download(url, dest, sha256=sha256, check=check, timeout=timeout)
    except DownloadError as exc:
        if offline is not None and offline.is_file():
            if sha256 and _sha256(offline) != sha256:
                raise LatentlabError(f"{offline}: the offline copy of {name} is not the published file (sha256 "
                                     f"differs from {sha256[:12]}...)") from None
            if sha256 is None:
                return offline  # a sample of the published file (Quick, Draw! ndjson): used where it lies
            with atomic_path(dest) as tmp:  # the published file itself: cached, so the next use needs no network
                shutil.copyfile(offline, tmp)
            print(f"latentlab: offline: {name} from {offline}", file=sys.stderr)
            return dest
        where = f"no offline copy at {offline}" if offline is not None else "no offline copy"
        raise DownloadError(f"{name}: {exc}; {where}. Download it by hand and place it at {dest}") from None


def dataset_source(name: str) -> tuple[str, Path, Path | None]:
    """(URL, path in the cache, offline copy or None) of a dataset name.

    Names: ``sketchrnn/<name>`` (hardmaru's sketch-rnn-datasets, e.g. ``sketchrnn/aaron_sheep``),
    ``quickdraw/<raw|simplified>/<word>`` (one class's ndjson; the offline copies hold a sample of it),
    ``quickdraw/sketchrnn/<word>`` and ``quickdraw/sketchrnn/<word>.full`` (SketchRNN's stroke-3 ``.npz``
    of one class: 70,000 / 2,500 / 2,500 drawings, ``.full`` unsimplified).
    """
    urls = catalog()["urls"]
    parts = name.split("/")
    ok = all(parts) and ".." not in parts
    if ok and parts[0] == "sketchrnn" and len(parts) == 2:
        rel = Path("data/sketchrnn") / f"{parts[1]}.npz"
        return urls["sketchrnn"].format(name=parts[1]), rel, None
    if ok and parts[:2] == ["quickdraw", "sketchrnn"] and len(parts) == 3:
        rel = Path("data/quickdraw/sketchrnn") / f"{parts[2]}.npz"
        return urls["quickdraw/sketchrnn"].format(word=urllib.parse.quote(parts[2])), rel, None
    if ok and parts[0] == "quickdraw" and len(parts) == 3 and parts[1] in ("raw", "simplified"):
        rel = Path("data/quickdraw") / parts[1] / f"{parts[2]}.ndjson"
        return urls["quickdraw"].format(kind=parts[1], word=urllib.parse.quote(parts[2])), rel, rel
    raise LatentlabError(f"unknown dataset {name!r}: use sketchrnn/<name> (e.g. sketchrnn/aaron_sheep), "
                         "quickdraw/sketchrnn/<word>[.full] (e.g. quickdraw/sketchrnn/cat) or "
                         "quickdraw/<raw|simplified>/<word> (e.g. quickdraw/raw/cat)")


def is_dataset_name(text: str | os.PathLike) -> bool:
    """Whether ``text`` names a dataset (and is not a file that exists)."""
    text = str(text)
    return text.split("/")[0] in ("sketchrnn", "quickdraw") and not Path(text).exists()


def fetch(name: str, cache: str | os.PathLike | None = None, shared: str | os.PathLike | None = None,
          timeout: float = DEFAULT_TIMEOUT) -> Path:
    """A local copy of a public dataset: cached, downloaded, or the offline copy.

    Parameters
    ----------
    name
        e.g. ``"sketchrnn/aaron_sheep"``, ``"quickdraw/sketchrnn/cat"``; see :func:`dataset_source`.
    cache
        Download folder (default :func:`cache_dir`).
    shared
        Offline data root (default :func:`shared_dir`).
    timeout
        Seconds to wait for the server.

    Returns
    -------
    The file's path.
    """
    url, rel, offline_rel = dataset_source(name)
    check = _check_npz if rel.suffix == ".npz" else None
    offline = shared_dir(shared) / offline_rel if offline_rel else None
    return fetch_or_offline(name, url, cache_dir(cache) / rel, shared=shared, offline=offline, check=check,
                            timeout=timeout)


def _check_npz(path: Path) -> None:
    from latentlab.io.datasets import load_dataset

    load_dataset(path, quiet=True)

"""Public files by name: downloaded once into the user's cache, or found in the offline copy.

A download is bounded and verified, as pip and pooch do it: https only; at most the size the catalogue gives
for its source (``limits``, or the exact size of a known file), streamed to a temporary file and never read
whole into memory; abandoned below 1 kB/s over ``timeout`` seconds, or past an overall deadline that grows with
its size; checked (``check=``: a model must load) and hashed before it is kept.  Known files are pinned to their
sha256; others have theirs recorded on first download (``.<name>.sha256.json`` beside the file).  Every use of a
cached file re-checks its size and hash: a file changed since (truncated, replaced, a link) is removed and
fetched again.  Downloads run under a lock per cached file, so that two processes fetching one name download it
once, and the next run removes what a killed download left.  A cache that cannot be written still serves what it
holds.  When the network fails, the copy under ``../shared`` (``LATENTLAB_SHARED``) is used, checked against its
known sha256.

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
import hashlib
import json
import os
import re
import shutil
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Callable

from latentlab.atomic import atomic_path
from latentlab.errors import LatentlabError
from latentlab.io.cache import cached_problem, clean_leftovers, record_path, write_record
from latentlab.io.digest import file_sha256
from latentlab.paths import ROOT

DEFAULT_TIMEOUT = 30.0
RETRIES = 2  # further attempts after a dropped connection (not after a stall, a size or a hash refusal)
MIN_RATE = 1024  # bytes a second, averaged over ``timeout`` seconds, below which a download is abandoned
DEADLINE_S = 60.0  # the overall deadline: this, plus a second per DEADLINE_RATE bytes of the expected size
DEADLINE_RATE = 100_000
CATALOG_FILE = Path(__file__).with_name("catalog.json")


class DownloadError(LatentlabError):
    """A file could not be had: not downloaded (with the reason) and no offline copy."""


class _Refused(DownloadError):
    """A download refused for what was sent or not sent (too large, too slow, stalled, missing, another hash):
    not worth another attempt."""


@functools.cache
def catalog() -> dict:
    """The catalogue of names (``catalog.json``): URLs, size limits, magenta's variants, the sketch-rnn-js zoo,
    known hashes and sizes."""
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


def download(url: str, dest: str | os.PathLike, *, sha256: str | None = None, size: int | None = None,
             max_bytes: int | None = None, check: Callable[[Path], object] | None = None,
             timeout: float = DEFAULT_TIMEOUT, retries: int = RETRIES, progress: bool = True) -> Path:
    """Download ``url`` to ``dest`` unless a verified copy is there; the file appears only complete and checked.

    Parameters
    ----------
    url
        The public URL, https (fetched from ``$LATENTLAB_MIRROR`` when set).
    dest
        The cached file.
    sha256
        Its known hash: a download that differs is refused.
    size
        Its known size in bytes.
    max_bytes
        The most it may have when its size is not known (default 1 GiB).
    check
        Called with the downloaded temporary file before it is kept; raises to refuse it.
    timeout
        Seconds to wait for the server (connecting, and between bytes); also the window over which the rate
        must reach :data:`MIN_RATE`.
    retries
        Attempts after the first, when the connection drops.
    progress
        Show a progress bar.

    Returns
    -------
    ``dest``.
    """
    from latentlab.lock import store_lock

    dest = Path(dest)
    if not url.startswith("https://"):
        raise DownloadError(f"{url}: refused: latentlab downloads over https only")
    if (dest.is_file() or dest.is_symlink()) and cached_problem(dest, sha256, check) is None:
        return dest  # verified without the lock: a read-only cache serves what it holds
    source = mirrored(url)
    limit = size or max_bytes or 1 << 30
    try:
        lock = store_lock(dest, wait=True, what=f"download {dest.name}")
        lock.__enter__()
    except OSError as exc:
        raise DownloadError(f"{dest.parent}: cannot write to the cache ({exc.strerror}); set LATENTLAB_CACHE to a "
                            "writable folder") from None
    try:
        clean_leftovers(dest)
        if dest.is_file() or dest.is_symlink():
            problem = cached_problem(dest, sha256, check)
            if problem is None:
                return dest  # another process downloaded it meanwhile
            print(f"latentlab: {dest}: {problem}; downloading it again", file=sys.stderr, flush=True)
            dest.unlink()
            record_path(dest).unlink(missing_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.download")
        try:
            for attempt in range(retries + 1):
                try:
                    digest = _stream(source, tmp, limit=limit, size=size, timeout=timeout, progress=progress)
                    break
                except _Refused:
                    raise
                except DownloadError:  # the connection dropped: tried again
                    if attempt == retries:
                        raise
            if sha256 and digest != sha256:
                raise _Refused(f"{source}: refused: its sha256 {digest[:12]}... is not the published file's "
                               f"hash {sha256[:12]}...")
            if check is not None:
                try:
                    check(tmp)
                except LatentlabError as exc:  # named by its URL, not by the temporary file it was checked in
                    raise DownloadError(f"{source}: refused after download: "
                                        f"{str(exc).replace(str(tmp) + ': ', '').replace(str(tmp), 'it')}") from None
            os.replace(tmp, dest)
            write_record(record_path(dest), [dest])
        except DownloadError:
            raise
        except (ValueError, OSError) as exc:
            raise DownloadError(f"could not download {source}: {_reason(exc)}") from None
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        lock.__exit__(None, None, None)
    return dest


def _stream(source: str, tmp: Path, *, limit: int, size: int | None, timeout: float, progress: bool) -> str:
    """Stream ``source`` into ``tmp`` within the bounds (size, rate, deadline); its sha256."""
    import requests
    import urllib3
    from tqdm.auto import tqdm

    start = time.monotonic()
    try:
        with requests.get(source, stream=True, timeout=timeout, headers={"Accept-Encoding": "identity"}) as r:
            r.raise_for_status()
            try:
                announced = int(r.headers.get("Content-Length", "")) if r.headers.get("Content-Length") else None
            except ValueError:
                announced = None
            if announced is not None and announced > limit:
                raise _Refused(f"{source}: refused: it announces {announced:,} bytes, more than the {limit:,} "
                               "this file may have")
            expected = size or announced or limit
            deadline = start + DEADLINE_S + expected / DEADLINE_RATE
            digest, got = hashlib.sha256(), 0
            window, window_got = start, 0
            with open(tmp, "wb") as fh, tqdm(total=announced, unit="B", unit_scale=True, leave=False,
                                             disable=None if progress else True, desc=tmp.name) as bar:
                while chunk := r.raw.read1(1 << 16):
                    got += len(chunk)
                    if got > limit:
                        raise _Refused(f"{source}: refused: it sent more than the {limit:,} bytes this file may "
                                       "have; abandoned")
                    fh.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
                    now = time.monotonic()
                    if now > deadline:
                        raise _Refused(f"{source}: abandoned: not complete after {now - start:.0f} s "
                                       f"({got:,} bytes)")
                    if now - window >= timeout:
                        if got - window_got < MIN_RATE * (now - window):
                            raise _Refused(f"{source}: abandoned: slower than {MIN_RATE:,} bytes/s over "
                                           f"{now - window:.0f} s")
                        window, window_got = now, got
    except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError):
        raise _Refused(f"could not download {source}: timed out (nothing received for {timeout:g} s)") from None
    except requests.exceptions.HTTPError as exc:
        again = exc.response is not None and exc.response.status_code >= 500  # the server's trouble, perhaps brief
        raise (DownloadError if again else _Refused)(f"could not download {source}: {_reason(exc)}") from None
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
        raise DownloadError(f"could not download {source}: {_reason(exc)}") from None
    if announced is not None and got != announced:
        raise DownloadError(f"could not download {source}: the connection closed after {got:,} of "
                            f"{announced:,} bytes")
    return digest.hexdigest()


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


def fetch_or_offline(name: str, kind: str, url: str, dest: Path, *, shared: str | os.PathLike | None = None,
                     offline: Path | None = None, sha256: str | None = None,
                     check: Callable[[Path], object] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """``dest`` downloaded from ``url``; when that fails, the offline copy (catalogue's, or ``offline``).

    A name with no copy anywhere fails in one line naming the URL and where to place the file by hand.

    Parameters
    ----------
    name
        The name, for messages.
    kind
        Its source in the catalogue (``sketchrnn-js``, ``quickdraw``...): the most bytes it may have.
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
    size = catalog()["offline"].get(name, {}).get("size")
    try:
        return download(url, dest, sha256=sha256, size=size, max_bytes=catalog()["limits"][kind], check=check,
                        timeout=timeout)
    except DownloadError as exc:
        if offline is not None and offline.is_file():
            if sha256 and file_sha256(offline) != sha256:
                raise LatentlabError(f"{offline}: the offline copy of {name} is not the published file (sha256 "
                                     f"differs from {sha256[:12]}...)") from None
            if sha256 is None:
                return offline  # a sample of the published file (Quick, Draw! ndjson): used where it lies
            with atomic_path(dest) as tmp:  # the published file itself: cached, so the next use needs no network
                shutil.copyfile(offline, tmp)
            write_record(record_path(dest), [dest])
            print(f"latentlab: offline: {name} from {offline}", file=sys.stderr)
            return dest
        where = f"no offline copy at {offline}" if offline is not None else "no offline copy"
        raise DownloadError(f"{name}: {exc}; {where}. Download it by hand and place it at {dest}") from None


def dataset_source(name: str) -> tuple[str, str, Path, Path | None]:
    """(source in the catalogue, URL, path in the cache, offline copy or None) of a dataset name.

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
        return "sketchrnn", urls["sketchrnn"].format(name=parts[1]), rel, None
    if ok and parts[:2] == ["quickdraw", "sketchrnn"] and len(parts) == 3:
        rel = Path("data/quickdraw/sketchrnn") / f"{parts[2]}.npz"
        return "quickdraw/sketchrnn", urls["quickdraw/sketchrnn"].format(word=urllib.parse.quote(parts[2])), rel, None
    if ok and parts[0] == "quickdraw" and len(parts) == 3 and parts[1] in ("raw", "simplified"):
        rel = Path("data/quickdraw") / parts[1] / f"{parts[2]}.ndjson"
        return "quickdraw", urls["quickdraw"].format(kind=parts[1], word=urllib.parse.quote(parts[2])), rel, rel
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
    kind, url, rel, offline_rel = dataset_source(name)
    check = _check_npz if rel.suffix == ".npz" else None
    offline = shared_dir(shared) / offline_rel if offline_rel else None
    return fetch_or_offline(name, kind, url, cache_dir(cache) / rel, shared=shared, offline=offline, check=check,
                            timeout=timeout)


def _check_npz(path: Path) -> None:
    """A fetched ``.npz`` loads safely and holds the three splits (``load_dataset`` checks each sketch on use)."""
    from latentlab.io.npz import load_npz

    missing = [split for split in ("train", "valid", "test") if split not in load_npz(path)]
    if missing:
        raise LatentlabError(f"{path}: not a sketch dataset (no {', '.join(missing)} split)")

"""Fetch datasets from their public homes into a cache, or find the offline copies under ``shared``.

``fetch(name)`` looks in the cache first, then tries the real URL, and when
that fails (no network) falls back to the copy in ``../shared/data`` (or the
folder given by ``--shared`` / ``LATENTLAB_SHARED``).
"""
from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from latentlab.atomic import atomic_path
from latentlab.errors import LatentlabError
from latentlab.paths import ROOT

SKETCHRNN_URL = "https://github.com/hardmaru/sketch-rnn-datasets/raw/master/{name}/{name}.npz"
QUICKDRAW_URL = "https://storage.googleapis.com/quickdraw_dataset/full/{kind}/{word}.ndjson"
PROJECT_ROOT = ROOT
DEFAULT_CACHE = Path(os.environ.get("LATENTLAB_CACHE", PROJECT_ROOT / "data" / "cache"))


def shared_dir(shared: str | os.PathLike | None = None) -> Path:
    """The offline copy of the public data: ``shared``, ``$LATENTLAB_SHARED``, or ``../shared``."""
    return Path(shared or os.environ.get("LATENTLAB_SHARED") or PROJECT_ROOT.parent / "shared")


def sources(name: str) -> tuple[str, Path]:
    """(public URL, path relative to shared/) for ``sketchrnn/<name>`` or ``quickdraw/<kind>/<word>``."""
    parts = name.split("/")
    if parts[0] == "sketchrnn" and len(parts) == 2:
        return SKETCHRNN_URL.format(name=parts[1]), Path("data/sketchrnn") / f"{parts[1]}.npz"
    if parts[0] == "quickdraw" and len(parts) == 3 and parts[1] in ("raw", "simplified"):
        url = QUICKDRAW_URL.format(kind=parts[1], word=urllib.parse.quote(parts[2]))
        return url, Path("data/quickdraw") / parts[1] / f"{parts[2]}.ndjson"
    raise LatentlabError(f"unknown dataset {name!r}: use sketchrnn/<name> (e.g. sketchrnn/aaron_sheep) "
                         "or quickdraw/<raw|simplified>/<word> (e.g. quickdraw/raw/cat)")


def fetch(name: str, cache: str | os.PathLike | None = None, shared: str | os.PathLike | None = None,
          timeout: float = 10.0) -> Path:
    """A local copy of a public dataset: cached, downloaded, or the shared offline copy.

    Parameters
    ----------
    name
        e.g. ``"sketchrnn/aaron_sheep"``.
    cache
        Download folder (default ``data/cache`` or ``$LATENTLAB_CACHE``).
    shared
        Offline data root (default ``../shared`` or ``$LATENTLAB_SHARED``).
    timeout
        Seconds to wait for the download.

    Returns
    -------
    The file's path.
    """
    url, rel = sources(name)
    cached = Path(cache or DEFAULT_CACHE) / rel
    if cached.is_file():
        return cached
    try:
        with atomic_path(cached) as tmp, urllib.request.urlopen(url, timeout=timeout) as response, \
                open(tmp, "wb") as fh:
            shutil.copyfileobj(response, fh)
        return cached
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        offline = shared_dir(shared) / rel
        if offline.is_file():
            return offline
        raise LatentlabError(f"could not download {url} ({exc}) and no offline copy at {offline}") from None

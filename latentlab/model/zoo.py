"""Published SketchRNN models by name: listed, fetched once, checked, cached, loaded in one line.

Names (``latentlab models list`` shows them all):

``latentlab/<name>``
    The models that come with latentlab (``latentlab/aaron_sheep``, ``latentlab/quickdraw28``, ...).
``magenta/<set>/<variant>``
    magenta's pretrained ``sketch_rnn.zip`` (e.g. ``magenta/aaron_sheep/layer_norm``, ``magenta/owl/lstm``,
    ``magenta/flamingo/lstm_uncond``): fetched once and unpacked to a model folder per variant.
``sketchrnn-js/<class>.gen`` / ``sketchrnn-js/<class>.vae``
    The sketch-rnn-js / magenta-js models (512-unit LSTM decoders; ``.gen`` decoder only, ``.vae`` with
    an encoder); ``sketchrnn-js-large/...`` the larger set.  A ``.json`` is converted on load.

A downloaded model is checked before it is cached: it must load and its weights must match its config.
"""
from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from latentlab.errors import LatentlabError
from latentlab.io.cache import record_problem, write_record
from latentlab.io.download import DEFAULT_TIMEOUT, cache_dir, catalog, download, fetch, fetch_or_offline, shared_dir
from latentlab.paths import MODELS_DIR

SOURCES = ("latentlab", "magenta", "sketchrnn-js", "sketchrnn-js-large")
_JS_NAME = re.compile(r"^[a-z0-9_]+\.(gen|vae)$")
_ZIP_MEMBER = re.compile(r"^([a-z0-9_]+)/([a-z0-9_]+)/([A-Za-z0-9_][A-Za-z0-9_.\-]*)$")
MEMBER_BYTES = 256 << 20  # the most a member of magenta's zip may inflate to (its checkpoints are tens of MB)
MEMBER_RATIO = 100  # ... and at most this many times its compressed size (weights barely compress)
RECORD = ".sha256.json"  # in an unpacked variant folder: its files' sizes and hashes


@dataclass(frozen=True)
class ModelEntry:
    """One name of the catalogue: what it is and whether a copy is at hand."""

    name: str
    kind: str  # "conditional" (encoder and decoder) or "unconditional" (decoder only)
    cell: str
    classes: tuple[str, ...]
    source: str
    cached: bool


def is_model_name(text: str | os.PathLike) -> bool:
    """Whether ``text`` is a model name (rather than a path that exists)."""
    text = str(text)
    return text.split("/")[0] in SOURCES and "/" in text and not Path(text).exists()


def list_models(*, cache: str | os.PathLike | None = None, shared: str | os.PathLike | None = None
                ) -> list[ModelEntry]:
    """Every model name latentlab knows, with its kind, cell, classes, source and whether it is at hand.

    Parameters
    ----------
    cache
        Download folder (default :func:`latentlab.io.download.cache_dir`).
    shared
        Offline copy root (default :func:`latentlab.io.download.shared_dir`).

    Returns
    -------
    A list of :class:`ModelEntry`, bundled models first.
    """
    from latentlab.model.config import load_config

    out = []
    for folder in sorted(p for p in MODELS_DIR.iterdir() if (p / "model_config.json").is_file()):
        hps = load_config(folder)
        out.append(ModelEntry(f"latentlab/{folder.name}", _kind(hps.conditional), hps.dec_model,
                              tuple(folder_classes(folder)), "bundled with latentlab", True))
    root = cache_dir(cache)
    for variant, entry in catalog()["magenta"].items():
        kind = "unconditional" if variant.endswith("_uncond") else "conditional"
        cell = variant.split("/")[1].removesuffix("_uncond")
        out.append(ModelEntry(f"magenta/{variant}", kind, cell, tuple(entry["classes"]), "magenta sketch_rnn.zip",
                              (root / "models/magenta" / variant / "model_config.json").is_file()))
    for source in ("sketchrnn-js", "sketchrnn-js-large"):
        for cls in catalog()["sketchrnn-js"]:
            for suffix in ("gen", "vae"):
                name = f"{source}/{cls}.{suffix}"
                known = catalog()["offline"].get(name)
                at_hand = (root / "models" / f"{name}.json").is_file() or bool(
                    known and (shared_dir(shared) / known["path"]).is_file())
                out.append(ModelEntry(name, _kind(suffix == "vae"), "lstm", (cls.replace("_", " "),),
                                      source, at_hand))
    return out


def _kind(conditional: bool) -> str:
    return "conditional" if conditional else "unconditional"


def folder_classes(folder: Path) -> list[str]:
    """The classes of a model folder: its ``model_info.json``'s, else its training files' names."""
    from latentlab.model.config import load_config
    from latentlab.model.layout import read_info

    return read_info(folder).get("classes") or [Path(d).stem for d in load_config(folder).data_set]


def model_path(name: str, *, cache: str | os.PathLike | None = None, shared: str | os.PathLike | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> Path:
    """The local model folder or ``.json`` of a model name, fetched and checked first if need be.

    Parameters
    ----------
    name
        A model name (see the module's docstring).
    cache
        Download folder (default :func:`latentlab.io.download.cache_dir`).
    shared
        Offline copy root (default :func:`latentlab.io.download.shared_dir`).
    timeout
        Seconds to wait for the server.

    Returns
    -------
    A path :func:`latentlab.model.load_model` loads.
    """
    source, _, rest = str(name).partition("/")
    if source == "latentlab":
        folder = MODELS_DIR / rest
        if rest and "/" not in rest and (folder / "model_config.json").is_file():
            return folder
    elif source == "magenta" and rest in catalog()["magenta"]:
        return _magenta_variant(rest, cache, timeout)
    elif source in ("sketchrnn-js", "sketchrnn-js-large") and _JS_NAME.match(rest) \
            and rest.rsplit(".", 1)[0] in catalog()["sketchrnn-js"]:
        url = catalog()["urls"][source].format(name=rest)
        dest = cache_dir(cache) / "models" / f"{name}.json"
        return fetch_or_offline(name, source, url, dest, shared=shared, check=_check_js_model, timeout=timeout)
    raise LatentlabError(f"unknown model {name!r}: `latentlab models list` shows the names (latentlab/<name>, "
                         "magenta/<set>/<variant>, sketchrnn-js/<class>.gen|.vae, sketchrnn-js-large/...)")


def _check_js_model(path: Path) -> None:
    from latentlab.model.jsmodel import read_js_model

    read_js_model(path)  # parses, decodes every array and checks the shapes against the derived config


def _magenta_variant(variant: str, cache: str | os.PathLike | None, timeout: float) -> Path:
    """magenta's zip is fetched once and every variant unpacked, checked and put in place; a variant folder
    changed since it was unpacked (its record says) is unpacked again."""
    root = cache_dir(cache) / "models" / "magenta"
    folder = root / variant
    if (folder / "model_config.json").is_file() and _variant_problem(folder) is None:
        return folder
    archive = download(catalog()["urls"]["magenta"], cache_dir(cache) / "downloads" / "sketch_rnn.zip",
                       max_bytes=catalog()["limits"]["magenta"], check=_check_zip, timeout=timeout)
    _unpack_magenta(archive, root, variant, cache, timeout)
    if not (folder / "model_config.json").is_file():
        raise LatentlabError(f"{archive}: has no {variant}/ (the variants it has are in {root})")
    return folder


def _variant_problem(folder: Path) -> str | None:
    """What is wrong with an unpacked variant folder (None: its files are as unpacked); an unrecorded folder
    (unpacked before records were kept) is checked and recorded."""
    record = folder / RECORD
    if record.is_file():
        return record_problem(record)
    try:
        _check_model_folder(folder, str(folder))
    except LatentlabError as exc:
        return str(exc)
    write_record(record, [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")])
    return None


def _check_zip(path: Path) -> None:
    """A readable zip of model folders whose members are bounded (size and ratio) before any is inflated."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MEMBER_BYTES or (info.file_size > 1 << 20 and ratio > MEMBER_RATIO):
                    raise LatentlabError(f"{path}: member {info.filename} would inflate to {info.file_size:,} bytes "
                                         f"({ratio:.0f} times its compressed size); refused unread")
            bad = z.testzip()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LatentlabError(f"{path}: not a readable zip ({exc})") from None
    if bad is not None:
        raise LatentlabError(f"{path}: member {bad} is corrupt")
    if not any(i.filename.endswith("/model_config.json") for i in infos):
        raise LatentlabError(f"{path}: no model folders (model_config.json) in the zip")


def _unpack_magenta(archive: Path, root: Path, wanted: str, cache: str | os.PathLike | None, timeout: float) -> None:
    """Unpack each ``<set>/<variant>/`` of the zip into a staging folder, check it loads, then rename it into
    place; its data's scale factor is recorded (model_info.json) when that data can be fetched.  A variant that
    fails its check is left out (the others are unpacked); for ``wanted``, that is an error."""
    import shutil

    from latentlab.atomic import write_text
    from latentlab.lock import store_lock

    with store_lock(root, wait=True, what="unpack magenta's models"), zipfile.ZipFile(archive) as z:
        members: dict[str, list[zipfile.ZipInfo]] = {}
        for info in z.infolist():
            m = _ZIP_MEMBER.match(info.filename.removeprefix("sketch_rnn/"))
            if m and not info.is_dir():
                members.setdefault(f"{m[1]}/{m[2]}", []).append(info)
        for variant, infos in members.items():
            folder = root / variant
            if (folder / "model_config.json").is_file() and _variant_problem(folder) is None:
                continue
            staging = root / f".{variant.replace('/', '.')}.{os.getpid()}.unpack"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            try:
                for info in infos:  # streamed: a member is never held whole in memory
                    with z.open(info) as src, open(staging / Path(info.filename).name, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                hps = _check_model_folder(staging, f"{archive} [{variant}]")
                factor = _scale_factor(catalog()["magenta"].get(variant, {}).get("data", []), hps.max_seq_len,
                                       cache, timeout)
                if factor is not None:
                    import json

                    write_text(staging / "model_info.json", json.dumps({"scale_factor": factor}))
                write_record(staging / RECORD, [p for p in staging.iterdir() if p.is_file()])
                shutil.rmtree(folder, ignore_errors=True)
                folder.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging, folder)
            except LatentlabError:
                if variant == wanted:
                    raise
            finally:
                shutil.rmtree(staging, ignore_errors=True)


def _check_model_folder(folder: Path, where: str):
    from latentlab.model.checkpoint import read_checkpoint
    from latentlab.model.config import load_config
    from latentlab.model.layout import check_weights

    hps = load_config(folder)
    weights, _ = read_checkpoint(folder)
    check_weights(hps, weights, where)
    return hps


def _scale_factor(data: list[str], max_seq_len: int, cache: str | os.PathLike | None, timeout: float
                  ) -> float | None:
    """magenta's normalising factor of the training data (train splits together, sketches up to max_seq_len),
    or None when the data cannot be had."""
    if not data:
        return None
    from latentlab.io.datasets import load_dataset
    from latentlab.io.strokes import scale_factor

    try:
        sketches = [s for name in data
                    for s in load_dataset(fetch(name, cache, timeout=timeout), max_seq_len=max_seq_len,
                                          quiet=True)["train"].sketches]
    except LatentlabError:
        return None
    return float(scale_factor(sketches))

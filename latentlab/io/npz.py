"""Reading and writing magenta-format ``.npz`` sketch datasets without running pickled code.

Magenta's datasets are npz files of *object* arrays (one int16 ``(n, 3)`` array per
sketch), which ``np.load`` can only read with ``allow_pickle=True`` -- and that
executes whatever a crafted file asks for.  :func:`load_npz` unpickles with an
allow-list of the few numpy constructors such a file legitimately needs, and
refuses anything else before it runs.
"""
from __future__ import annotations

import io
import os
import pickle
import zipfile
import zlib
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from latentlab.atomic import atomic_path
from latentlab.errors import LatentlabError

# A member that inflates to more than BOMB_BYTES at more than BOMB_RATIO times its compressed size is refused
# unread: sketch arrays compress 2-5 times, a zip bomb thousands of times.
BOMB_BYTES = 64 << 20
BOMB_RATIO = 50
# An object array whose elements hold more than EXPAND_RATIO times the bytes of their pickle is refused: each
# sketch is pickled with its data, so only references to one array many times over expand like that.
EXPAND_RATIO = 4
_MEMBER_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip member can carry

_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}


class _NumpyOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            try:
                return super().find_class(module, name)
            except ModuleNotFoundError:  # numpy 1 pickles name numpy.core, which numpy 2 calls numpy._core
                return super().find_class(module.replace("numpy.core", "numpy._core"), name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} (only numpy arrays are allowed)")


def _read_member(raw: bytes, where: str) -> np.ndarray:
    fp = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(fp)
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        _shape, _fortran, dtype = read_header(fp)
    except ValueError as exc:
        raise LatentlabError(f"{where}: not a numpy array ({exc})") from None
    if not dtype.hasobject:
        declared = int(np.prod(_shape, dtype=object)) * dtype.itemsize  # Python ints: no overflow
        held = len(raw) - fp.tell()
        if declared != held:
            raise LatentlabError(f"{where}: declares shape {_shape} ({declared:,} bytes) but holds {held:,} bytes")
        fp.seek(0)
        return np.lib.format.read_array(fp, allow_pickle=False)
    try:
        array = _NumpyOnlyUnpickler(fp, encoding="latin1").load()
    except pickle.UnpicklingError as exc:
        raise LatentlabError(f"{where}: unsafe or corrupt pickle refused: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure of a corrupt pickle is the file's fault
        raise LatentlabError(f"{where}: corrupt object array ({type(exc).__name__}: {exc})") from None
    if not isinstance(array, np.ndarray):
        raise LatentlabError(f"{where}: expected an array, found {type(array).__name__}")
    expanded = sum(a.nbytes for a in array.flat if isinstance(a, np.ndarray))
    if expanded > EXPAND_RATIO * len(raw) + (1 << 20):
        raise LatentlabError(f"{where}: its arrays expand to {expanded:,} bytes from {len(raw):,} (one array "
                             "referenced many times?); refused")
    return array


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Load every array of an ``.npz`` file, object arrays included, without executing code."""
    path = Path(path)
    if not path.is_file():
        raise LatentlabError(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise LatentlabError(f"{path}: not an .npz file (not a zip archive)") from None
    with archive:
        out = {}
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            key = info.filename[:-4]
            if info.file_size > BOMB_BYTES and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
                raise LatentlabError(f"{path} [{key}]: inflates to {info.file_size:,} bytes from "
                                     f"{info.compress_size:,} (a zip bomb?); refused before reading")
            try:
                raw = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise LatentlabError(f"{path} [{key}]: corrupt member ({exc})") from None
            out[key] = _read_member(raw, f"{path} [{key}]")
    return out


def save_npz(path: str | os.PathLike, arrays: Mapping[str, np.ndarray], compress: bool = True) -> Path:
    """Write an ``.npz`` atomically: a temporary file in the same folder, renamed when complete.

    The same arrays give the same bytes (``np.savez`` dates each member with the clock; here they carry one fixed
    date), so a dataset's sha256, which model cards record, identifies its content and a rebuild reproduces it.

    Parameters
    ----------
    path
        The ``.npz`` to write.
    arrays
        Arrays by name.
    compress
        Deflate the members.
    """
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", method) as archive:
        for name, value in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=_MEMBER_DATE)
            member.compress_type = method
            with archive.open(member, "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asanyarray(value), allow_pickle=True)
    return Path(path)

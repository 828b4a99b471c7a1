"""The page's files: arrays deflated together into one binary file (:func:`pack_binary`), and bytes written as
text 7 bits a character (:func:`to_text`), as the single file carries its files.

Base64 spends 8 bits of file on 6 of data; here every character carries 7 bits, as one byte of UTF-8 when it is
safe inside a ``<script>`` element and as two (``U+0100 + value``) for the three values that are not (NUL and CR,
which the HTML parser rewrites, and ``<``, which could close the element): about 1.17 bytes of file per byte of
data instead of 1.33.  ``js/core.js`` (``unpack``) reads it back.  The page's manifest is JSON in a ``<script>``
element: :func:`script_json` writes it, :func:`page_meta` reads it back from a page.
"""
from __future__ import annotations

import json
import os
import re
import zlib

import numpy as np

from latentlab.errors import LatentlabValueError

UNSAFE = (0, 13, 60)  # NUL, CR, "<"
ESCAPE = 0x100


def to_text(data: bytes, chunk: int = 7 << 20) -> str:
    """Bytes -> text of 7-bit characters (``chunk`` bytes at a time, a multiple of 7 so that groups align).

    Parameters
    ----------
    data
        The bytes.
    chunk
        Bytes converted together (bounds the temporary arrays).
    """
    parts = []
    for start in range(0, len(data), chunk):
        bits = np.unpackbits(np.frombuffer(data[start:start + chunk], np.uint8))
        bits = np.concatenate([bits, np.zeros(-len(bits) % 7, np.uint8)]).reshape(-1, 7)
        codes = (np.packbits(bits, axis=1)[:, 0] >> 1).astype(np.uint32)
        codes[np.isin(codes, UNSAFE)] += ESCAPE
        parts.append(codes.astype("<u4").tobytes().decode("utf-32-le"))
    return "".join(parts)


def from_text(text: str) -> bytes:
    """:func:`to_text`'s bytes back (the padding bits of the last character dropped).

    Parameters
    ----------
    text
        What :func:`to_text` wrote.
    """
    codes = (np.frombuffer(text.encode("utf-32-le"), "<u4") & 0x7F).astype(np.uint8)
    bits = np.unpackbits(codes[:, None], axis=1)[:, 1:].ravel()
    return np.packbits(bits[: len(bits) // 8 * 8]).tobytes()


def deflate_arrays(arrays: dict[str, np.ndarray]) -> tuple[bytes, dict]:
    """Arrays -> (their concatenation deflated, header of name: [dtype, byte offset, shape]).

    Deflated an array at a time (no concatenated copy of them all); offsets aligned to 8 bytes for typed-array
    views.

    Parameters
    ----------
    arrays
        The arrays by name.
    """
    header, deflated, offset = {}, [], 0
    deflate = zlib.compressobj(9)
    for name, value in arrays.items():
        value = np.ascontiguousarray(value)
        header[name] = [value.dtype.name, offset, list(value.shape)]
        pad = -value.nbytes % 8
        deflated += [deflate.compress(memoryview(value).cast("B")), deflate.compress(b"\0" * pad)]
        offset += value.nbytes + pad
    deflated.append(deflate.flush())
    return b"".join(deflated), header


def pack_binary(arrays: dict[str, np.ndarray]) -> bytes:
    """Arrays -> one binary file: a uint32 (little-endian) length, the JSON header, then the deflated arrays
    (``core.js``'s ``unpackBinary`` reads it back).

    Parameters
    ----------
    arrays
        The arrays by name.
    """
    data, header = deflate_arrays(arrays)
    head = json.dumps(header, separators=(",", ":")).encode()
    return len(head).to_bytes(4, "little") + head + data


def unpack_binary(data: bytes) -> dict[str, np.ndarray]:
    """:func:`pack_binary`'s arrays back (to read a tile in Python).

    Parameters
    ----------
    data
        The file's bytes.
    """
    n = int.from_bytes(data[:4], "little")
    header = json.loads(data[4:4 + n])
    raw = zlib.decompress(data[4 + n:])
    return {name: np.frombuffer(raw, dtype, int(np.prod(shape)), offset).reshape(shape)
            for name, (dtype, offset, shape) in header.items()}


def script_json(value) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` that could end it or start markup.

    Parameters
    ----------
    value
        Anything ``json.dumps`` takes (no NaN).
    """
    return json.dumps(value, allow_nan=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_MANIFEST = re.compile(r'<script type="application/json" id="ll-meta">(.*?)</script>', re.S)


def page_meta(page: str, where: str | os.PathLike) -> dict:
    """The manifest (``ll-meta``) of an explorer page's HTML ``page`` (found at ``where``, for the error).

    Parameters
    ----------
    page
        The HTML of the single file or of a tiled folder's ``index.html``.
    where
        Its file or folder, named when it has no manifest.
    """
    found = _MANIFEST.search(page)
    if not found:
        raise LatentlabValueError(f"{where}: no explorer here (its page has no manifest)")
    return json.loads(found.group(1))

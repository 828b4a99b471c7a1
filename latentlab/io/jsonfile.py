"""JSON read from files and lines, every failure a one-line error naming the file (and line)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from latentlab.errors import LatentlabError


def parse_json(text: str | bytes, where: str) -> Any:
    """Parse JSON text; undecodable bytes, bad syntax and absurd nesting become one :class:`LatentlabError`.

    Parameters
    ----------
    text
        JSON text or bytes.
    where
        The file (and line), for the error.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise LatentlabError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise LatentlabError(f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise LatentlabError(f"{where}: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise LatentlabError(f"{where}: unreadable JSON ({exc})") from None


def read_json(path: str | os.PathLike) -> Any:
    """Read and parse a JSON file (see :func:`parse_json`)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LatentlabError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_json(raw, str(path))

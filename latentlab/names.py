"""One check for every name a user chooses or brings: store keys, class names, file names.

Each name is checked before any work, so a name HDF5, AnnData or a terminal cannot carry fails at the start
in one line instead of after minutes of encoding.
"""
from __future__ import annotations

import os
import re
import unicodedata

from latentlab.errors import LatentlabError, LatentlabValueError

MAX_NAME = 1000  # characters in a class name or a file name written into a store
_KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")


def check_key_name(name: str, what: str = "key_added") -> str:
    """A user-chosen key (``key_added``): letters, digits, ``_`` and ``-``, at most 64 characters -- a name
    HDF5, AnnData and a URL carry as it is (no ``/`` or ``.``, which would make it a path).

    Parameters
    ----------
    name
        The key.
    what
        Names it in the error (an option or parameter).
    """
    if not isinstance(name, str) or not _KEY_NAME.match(name):
        raise LatentlabValueError(f"{what} {name!r}: use letters, digits, _ and - (at most 64, starting with a "
                                  "letter or digit)")
    return name


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as a name (UTF-8 in HDF5, shown in a terminal), or None."""
    if not isinstance(text, str):
        return f"is a {type(text).__name__}, not text"
    if len(text) > MAX_NAME:
        return f"has {len(text):,} characters (at most {MAX_NAME})"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid UTF-8"
    control = [c for c in text if unicodedata.category(c) == "Cc"]
    if control:
        return f"holds the control character {control[0]!r}"
    return None


def check_names(names, what: str, where: str) -> list[str]:
    """``names`` as a list, each checked by :func:`name_problem`; the first bad one raises, naming ``where``.

    Parameters
    ----------
    names
        The names (e.g. class names of a dataset).
    what
        What they are, for the error.
    where
        The file they came from, for the error.
    """
    out = list(names)
    for i, name in enumerate(out):
        problem = name_problem(name)
        if problem:
            shown = repr(name[:60] + "..." if len(name) > 60 else name) if isinstance(name, str) else repr(name)
            raise LatentlabError(f"{where}: {what} {i} {shown} {problem}")
    return out


def check_path(path: str | os.PathLike) -> str:
    """A file name that a store can record: valid UTF-8, no control characters."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    problem = name_problem(text)
    if problem:
        raise LatentlabError(f"{text.encode('utf-8', 'backslashreplace').decode()}: this file name {problem}; "
                             "rename the file")
    return text

"""The exceptions users see: a message naming the file, record or parameter and the reason."""
from __future__ import annotations


class LatentlabError(Exception):
    """A problem with the user's input or environment, reported without a traceback by the CLI."""


class LatentlabValueError(LatentlabError, ValueError):
    """A bad value for a parameter (also a ``ValueError``, as Python code expects)."""

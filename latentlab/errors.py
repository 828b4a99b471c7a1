"""The one exception type users see: a message naming the file, record and reason."""
from __future__ import annotations


class LatentlabError(Exception):
    """A problem with the user's input or environment, reported without a traceback by the CLI."""

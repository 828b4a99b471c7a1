"""The download tests' mirror: each test module lays out its own ``tree`` of public files."""
from __future__ import annotations

import pytest

from helpers.mirror import Mirror


@pytest.fixture
def server(tree, tmp_path, monkeypatch):
    """The module's ``tree`` served on 127.0.0.1 as every public host, with an empty cache and no offline copy."""
    with Mirror(tree) as m:
        monkeypatch.setenv("LATENTLAB_MIRROR", m.url)
        monkeypatch.setenv("LATENTLAB_CACHE", str(tmp_path / "cache"))
        monkeypatch.setenv("LATENTLAB_SHARED", str(tmp_path / "no-shared"))
        yield m

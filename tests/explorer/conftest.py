"""The store and report the explorer's tests share."""
from __future__ import annotations

import pytest

from latentlab.explorer.report import write_report


@pytest.fixture(scope="package")
def store(analysed_store):
    return analysed_store


@pytest.fixture(scope="package")
def report(store, tmp_path_factory):
    return write_report(store, tmp_path_factory.mktemp("html") / "r.html")

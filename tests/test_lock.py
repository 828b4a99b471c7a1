"""One writer at a time, through a lock file that is never a planted link."""
import os

import pytest

from latentlab.errors import LatentlabError
from latentlab.lock import lock_path, store_lock


def test_a_lock_never_follows_a_planted_link(tmp_path):
    store = tmp_path / "z.h5"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.symlink(victim, lock_path(store))
    with pytest.raises(LatentlabError, match="is a symbolic link"):
        with store_lock(store, wait=False, what="test"):
            pass
    assert victim.read_text() == "precious"

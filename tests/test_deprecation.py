"""Renamed parameters: the old name works for one release, with a FutureWarning that names the new one."""
import numpy as np
import pytest

from latentlab import tl
from latentlab.deprecation import renamed


def test_seed_is_accepted_for_random_state_with_a_warning():
    vectors = np.random.default_rng(0).normal(size=(50, 8)).astype(np.float32)
    with pytest.warns(FutureWarning, match=r"NeighborIndex.__init__\(seed=...\) is deprecated.*random_state"):
        old = tl.NeighborIndex(seed=3)
    assert old.random_state == 3
    assert np.array_equal(old.fit(vectors).kneighbors(vectors[:5], 4)[1],
                          tl.NeighborIndex(random_state=3).fit(vectors).kneighbors(vectors[:5], 4)[1])


def test_both_names_at_once_are_refused():
    @renamed("seed", "random_state")
    def f(*, random_state=0):
        return random_state

    assert f(random_state=2) == 2
    with pytest.warns(FutureWarning):
        assert f(seed=5) == 5
    with pytest.raises(TypeError, match=r"f\(\) got both seed= and random_state="):
        f(seed=1, random_state=2)

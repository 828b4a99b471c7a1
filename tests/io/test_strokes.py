import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.io.strokes import (bounds, from_polylines, from_stroke5, pad_batch, rdp_mask, scale_factor, to_polylines,
                                  to_stroke5)


def test_round_trips_are_exact_on_every_sheep(sheep):
    for split in ("train", "valid", "test"):
        for sketch in sheep[split].sketches:
            big = to_stroke5(sketch, sheep.max_seq_len)
            assert big.shape == (sheep.max_seq_len, 5)
            np.testing.assert_array_equal(from_stroke5(big), sketch)
            np.testing.assert_array_equal(from_polylines(to_polylines(sketch)), sketch)


def test_stroke5_layout_matches_magenta():
    sketch = np.array([[1, 2, 0], [3, 4, 1], [5, 6, 1]], np.float32)
    big = to_stroke5(sketch, 5)
    np.testing.assert_array_equal(big, [[1, 2, 1, 0, 0], [3, 4, 0, 1, 0], [5, 6, 0, 1, 0],
                                        [0, 0, 0, 0, 1], [0, 0, 0, 0, 1]])
    batch, lengths = pad_batch([sketch], 5)
    np.testing.assert_array_equal(batch[0, 0], [0, 0, 1, 0, 0])  # start token
    np.testing.assert_array_equal(batch[0, 1:], big)
    assert lengths.tolist() == [3]
    with pytest.raises(LatentlabError, match="more than max_len"):
        to_stroke5(sketch, 2)


def test_polylines_split_at_pen_lifts():
    sketch = np.array([[0, 0, 0], [10, 0, 1], [0, 10, 0], [-10, 0, 1]], np.float32)
    lines = to_polylines(sketch)
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[1], [[10, 10], [0, 10]])
    assert bounds(sketch) == (0.0, 10.0, 0.0, 10.0)


def test_scale_factor_is_std_of_all_offsets(sheep):
    train = sheep["train"].sketches
    expected = np.std(np.concatenate([s[:, :2].ravel() for s in train]))
    assert scale_factor(train) == pytest.approx(expected)
    assert sheep.scale_factor == pytest.approx(expected)


def test_rdp_keeps_corners_and_drops_collinear_points():
    line = np.array([[0, 0], [1, 0.1], [2, 0], [3, 0], [3, 5], [3, 10]], float)
    np.testing.assert_array_equal(rdp_mask(line, 0.5), [True, False, False, True, False, True])
    assert rdp_mask(line, 0.01).sum() == 5  # the 0.1 bump survives a tight epsilon

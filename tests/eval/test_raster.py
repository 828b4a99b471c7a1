"""Sketches compared as ink: the chamfer distance in pixels."""
import numpy as np
import pytest

from latentlab.eval import RASTER, chamfer_matrix


def test_chamfer_matrix_measures_pixels_between_inks():
    line = np.zeros((64, 64), bool)
    line[10:50, 20] = True
    shifted = np.roll(line, 3, axis=1)
    empty = np.zeros_like(line)
    dist = chamfer_matrix([line, shifted, empty], [line, shifted])
    assert dist[0, 0] == dist[1, 1] == 0
    assert dist[0, 1] == dist[1, 0] == pytest.approx(3.0)
    assert (dist[2] == RASTER).all()

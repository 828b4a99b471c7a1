"""Sketch files made in tests."""
from __future__ import annotations

import numpy as np

from latentlab.io.npz import save_npz
from latentlab.io.quickdraw import object_array


def npz(path, sketches, labels=None, class_names=None):
    """A magenta-format .npz of test sketches (labelled when given labels)."""
    arrays = {"train": object_array([]), "valid": object_array([]), "test": object_array(sketches)}
    if labels is not None:
        arrays.update(train_labels=np.zeros(0, np.int32), valid_labels=np.zeros(0, np.int32),
                      test_labels=np.asarray(labels, np.int32), class_names=np.array(class_names))
    return save_npz(path, arrays)

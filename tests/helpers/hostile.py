"""A store whose strings from the data are markup: the pages must show them as text and run none of them."""
from __future__ import annotations

import shutil
from pathlib import Path

import h5py
import numpy as np

from latentlab.store import LatentStore

HOSTILE = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=2</script>']


def hostile_store(store: LatentStore, path: Path) -> LatentStore:
    """A copy of ``store`` at ``path`` whose first two class names and model folder are ``HOSTILE`` strings."""
    shutil.copy(store.path, path)
    with h5py.File(path, "r+") as f:
        names = [s.decode() if isinstance(s, bytes) else s for s in f["obs/label/categories"][:]]
        names[:2] = HOSTILE
        del f["obs/label/categories"]
        f.create_dataset("obs/label/categories", data=np.array(names, dtype=object), dtype=h5py.string_dtype())
        del f["uns/latentlab/model_dir"]
        f["uns/latentlab/model_dir"] = HOSTILE[1]
    return LatentStore(path)

"""What the tests share besides fixtures: where the real data and the bundled models are."""
from __future__ import annotations

import os
from pathlib import Path

from latentlab.model.config import HParams
from latentlab.paths import MODELS_DIR, ROOT

SHARED = Path(os.environ.get("LATENTLAB_SHARED", ROOT.parent / "shared"))
SHEEP = SHARED / "data/sketchrnn/aaron_sheep.npz"
QUICKDRAW = SHARED / "data/quickdraw"
MODELS = MODELS_DIR

# a model small enough to train a few hundred steps in a test
TINY = HParams(enc_rnn_size=16, dec_rnn_size=32, z_size=8, num_mixture=3, batch_size=20, save_every=10)

"""Where the project keeps things: its root, and the bundled models.

In a source checkout the bundled models are ``data/models``; an installed wheel carries them as
``latentlab/bundled_models`` (package data), so ``MODELS_DIR`` is that folder when it exists.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PACKAGED = Path(__file__).resolve().parent / "bundled_models"
MODELS_DIR = _PACKAGED if _PACKAGED.is_dir() else ROOT / "data" / "models"
DEFAULT_MODEL = MODELS_DIR / "aaron_sheep"

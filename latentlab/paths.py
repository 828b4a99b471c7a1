"""Where the project keeps things: its root, and the bundled models under ``data/models``."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = ROOT / "data" / "models"
DEFAULT_MODEL = MODELS_DIR / "aaron_sheep"

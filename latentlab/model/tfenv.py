"""TensorFlow's environment, set before it is imported (this module imports nothing heavy)."""
from __future__ import annotations

import os

# TensorFlow's C++ log level (its failures still raise, see ``tfquiet``), and the Keras 2 that magenta needs.
TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_USE_LEGACY_KERAS": "1"}


def tf_environment() -> None:
    """Set ``TF_ENV``'s defaults (a user's own values win); called just before TensorFlow is imported."""
    for key, value in TF_ENV.items():
        os.environ.setdefault(key, value)

"""Renamed parameters, accepted under their old name for one release with a ``FutureWarning``."""
from __future__ import annotations

import functools
import warnings

REMOVED_IN = "0.3"


def renamed(old: str, new: str):
    """Decorator: ``fn(old=value)`` still works, warns once per call site, and passes ``new=value``.

    Parameters
    ----------
    old
        The former keyword (``seed``).
    new
        Its name now (``random_state``, as scanpy and scikit-learn name it).
    """
    def wrap(fn):
        @functools.wraps(fn)
        def call(*args, **kwargs):
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f"{fn.__qualname__}() got both {old}= and {new}=; pass {new}= only")
                warnings.warn(f"{fn.__qualname__}({old}=...) is deprecated and goes in latentlab {REMOVED_IN}; "
                              f"pass {new}=...", FutureWarning, stacklevel=2)
                kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)
        return call
    return wrap

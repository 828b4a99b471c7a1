"""TensorFlow without its start-up noise: ``from latentlab.model.tfquiet import tf``.

TensorFlow 2.19+ writes log lines (oneDNN, CUDA stubs, and an error when a
machine has no GPU driver) to the process's stderr before its logger has read
``TF_CPP_MIN_LOG_LEVEL`` (tensorflow/tensorflow#100442), so every command would
open with them.  Here the import and device discovery run with stderr captured,
and what the level does not hide is written back: other output, and log lines
at or above the level (latentlab's default 3 hides TensorFlow's C++ log, whose
failures still raise Python errors; 0 shows everything).
A failed import shows everything it printed.  "No CUDA driver" counts as a
warning: TensorFlow then runs on the CPU, which is what it is meant to do there.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile

_LOG_LINE = re.compile(r"^([IWEF])\d{4} ")  # absl/glog: severity letter, then MMDD
_SEVERITY = "IWEF"
_BANNER = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
_NO_GPU = "failed call to cuInit"  # logged as an error


def _level(line: str) -> int | None:
    """Severity of a TensorFlow log line (0 info .. 3 fatal), None for any other output."""
    if line.startswith(_BANNER):
        return 0
    match = _LOG_LINE.match(line)
    if match is None:
        return None
    severity = _SEVERITY.index(match.group(1))
    return min(severity, 1) if _NO_GPU in line else severity


def kept_lines(text: str, min_level: int) -> str:
    """The lines of captured start-up output that ``TF_CPP_MIN_LOG_LEVEL=min_level`` should show.

    Parameters
    ----------
    text
        Captured output.
    min_level
        The log level asked for.
    """
    lines = text.splitlines(keepends=True)
    return "".join(line for line in lines if (lvl := _level(line)) is None or lvl >= min_level)


def _import_quietly():
    from latentlab.model.tfenv import tf_environment

    tf_environment()
    try:
        saved = None if "tensorflow" in sys.modules else os.dup(2)
    except OSError:  # no stderr to capture
        saved = None
    if saved is None:
        import tensorflow

        return tensorflow
    level = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0")
    min_level = int(level) if level.isdigit() else 0
    with tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        os.dup2(captured.fileno(), 2)
        failed = True
        try:
            import tensorflow

            tensorflow.config.list_physical_devices()  # CUDA discovery logs here
            failed = False
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = captured.read().decode(errors="replace")
            sys.stderr.write(text if failed else kept_lines(text, min_level))
            sys.stderr.flush()
    return tensorflow


tf = _import_quietly()

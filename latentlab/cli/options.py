"""What the commands share: argparse types with their ranges, option groups, the store and Dask helpers."""
from __future__ import annotations

import argparse

from latentlab.errors import LatentlabError
from latentlab.io.datasets import SPLITS
from latentlab.store.format import USE_REPS
from latentlab.tl import decode

MAX_COUNT = 100_000_000  # rows, sketches, points shown: past every store this toolkit makes
MAX_STEPS = 100_000_000  # training steps


def default(func, name: str):
    """The default of ``func``'s parameter ``name``: an option's default is the API's, never a copy.

    Parameters
    ----------
    func
        An API function.
    name
        One of its parameters.
    """
    import inspect

    return inspect.signature(func).parameters[name].default


DECODE_TEMPERATURE = default(decode, "temperature")  # the decoding commands' --temperature


def client(a: argparse.Namespace):
    """A Dask client for --cluster ADDRESS or --workers N, else a context holding None (this process)."""
    import contextlib

    if a.cluster is None and a.workers is None:
        return contextlib.nullcontext(None)
    from latentlab.distributed import connect

    return connect(a.cluster, workers=a.workers)


def add_cluster(p: argparse.ArgumentParser) -> None:
    """Add ``--cluster ADDRESS`` / ``--workers N`` (one of them) to ``p``."""
    g = p.add_mutually_exclusive_group()
    g.add_argument("--cluster", metavar="ADDRESS", help="run on a Dask cluster: the scheduler's tcp://HOST:8786 "
                                                        "(needs latentlab[distributed])")
    g.add_argument("--workers", type=between(1, 1024), metavar="N",
                   help="run on a LocalCluster of N single-threaded worker processes on this machine")


def open_store(path: str):
    """The store at ``path`` (imported here so that parsing needs no h5py)."""
    from latentlab.store import LatentStore

    return LatentStore(path)


class HelpFormatter(argparse.HelpFormatter):
    """Appends an option's default to its help, unless it is empty or the help already names one."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        empty = action.default is None or action.default is False or action.default in ("", argparse.SUPPRESS)
        if empty or "default" in text or not action.option_strings:
            return text
        default = " ".join(map(str, action.default)) if isinstance(action.default, list) else action.default
        return f"{text} (default: {default})".lstrip()


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` with :class:`HelpFormatter` (defaults shown in ``--help``)."""
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def seed(text: str) -> int:
    """argparse type: a seed, 0 .. 2**30 (room below 2**31 for the per-batch offsets added to it)."""
    return between(0, 2 ** 30)(text)


def number_in(lo: float, hi: float):
    """argparse type: a finite number in [lo, hi].

    Parameters
    ----------
    lo, hi
        The range, both ends included.
    """
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
        if not lo <= value <= hi:  # NaN fails too
            raise argparse.ArgumentTypeError(f"must be in [{lo:g}, {hi:g}], got {text}")
        return value

    parse.__name__ = "number"
    return parse


unit = number_in(0, 1)  # a fraction
weight = number_in(0, 100)  # a loss weight


def between(lo: int, hi: int):
    """argparse type: an integer in [lo, hi] (a usage error otherwise, before any work starts).

    Parameters
    ----------
    lo, hi
        The range, both ends included.
    """
    def parse(text: str) -> int:
        value = int(text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be in {lo}..{hi:_}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def fractions(text: str) -> tuple[float, float, float]:
    """argparse type: three shares 'TRAIN,VALID,TEST', each in [0, 1], adding up to 1."""
    try:
        parts = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"three numbers TRAIN,VALID,TEST, got {text!r}") from None
    if len(parts) != 3 or not all(0 <= x <= 1 for x in parts) or abs(sum(parts) - 1) > 1e-6:
        raise argparse.ArgumentTypeError(f"three shares in [0, 1] adding up to 1, got {text!r}")
    return parts


def temperature_list(text: str) -> list[float]:
    """argparse type: comma-separated temperatures, each in (0, 10]."""
    return [temperature(t) for t in text.split(",")]


def temperature(text: str) -> float:
    """argparse type: a temperature, in (0, 10] (:func:`latentlab.model.temperature.check_temperature`)."""
    from latentlab.model.temperature import check_temperature

    try:
        return check_temperature(text.strip(), "")
    except LatentlabError as exc:
        raise argparse.ArgumentTypeError(str(exc).strip()) from None


def softmax(text: str) -> float | str:
    """argparse type: 'js' or a float > 0 (the softmax temperature of a decode)."""
    if text == "js":
        return text
    try:
        return temperature(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"'js' or a number in (0, 10], got {text!r}") from None


def add_softmax_temperature(p: argparse.ArgumentParser) -> None:
    """Add ``--softmax-temperature {js,T}`` to ``p``."""
    p.add_argument("--softmax-temperature", type=softmax, default=None, metavar="{js,T}",
                   help="temperature of the mixture and pen-state choices: by default the same as --temperature "
                        "(magenta's sampler and the original notebook); 'js' for sketch-rnn-js's 0.5 + 0.5 * tau, "
                        "with which low-temperature decodes still lift the pen and stop where the model is unsure")


def add_split(p: argparse.ArgumentParser) -> None:
    """Add ``--split`` (which split of the ``.npz``) to ``p``."""
    p.add_argument("--split", default="test", choices=SPLITS, help="which split of the .npz")


def add_store_model(p: argparse.ArgumentParser) -> None:
    """Add ``--model`` (default: the model that wrote the store) to ``p``."""
    p.add_argument("--model", help="model name or folder (default: the one that wrote the store)")


def add_use_rep(p: argparse.ArgumentParser) -> None:
    """Add ``--use-rep {mu,z}`` to ``p``."""
    p.add_argument("--use-rep", choices=USE_REPS, default=USE_REPS[0],
                   help="stored vectors to use: mu (posterior mean) or z (a seeded posterior sample)")


def add_decoding(p: argparse.ArgumentParser, greedy: bool = True) -> None:
    """Add the decoding options (temperature, softmax temperature, greedy, seed) to ``p``.

    Parameters
    ----------
    p
        The parser.
    greedy
        Also add ``--greedy``.
    """
    p.add_argument("--temperature", type=temperature, default=DECODE_TEMPERATURE,
                   help="sampling temperature tau (low: close to the model's most likely strokes)")
    add_softmax_temperature(p)
    if greedy:
        p.add_argument("--greedy", action="store_true", help="take the most likely strokes (no sampling)")
    p.add_argument("--seed", type=seed, default=0, help="sampling seed")

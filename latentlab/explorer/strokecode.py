"""Stroke steps entropy-coded for the page: a static rANS coder with the previous step's signs as context.

Deflate spends about 10.1 bits on each (dx, dy) step of a real aaron_sheep sketch on the page's lattice; the
steps' own entropy, given the signs of the step before (nine contexts), is 8.5 bits.  This coder spends about 9.0
(4,000 of the sheep; its tables, escapes and each sketch's final state included): each of a table's steps is a
symbol of an alphabet of its most frequent steps (and an escape for the rest, kept raw beside), coded with range
asymmetric numeral systems (rANS, Duda 2013; 32-bit state, 16-bit words, 14-bit frequencies) under the frequency
table of its context.  Each sketch is a stream of its own, so the
encoder runs over all of a table's sketches at once, a step position at a time (numpy), and the page decodes a
tile's sketches one after another (``js/strokecode.js``).

:func:`code_table` puts a tile's sketch table in this code when that is smaller than its steps deflated (a tile of
a few sketches keeps its steps: the code's frequency tables would cost more than they save); :func:`table_steps`
gives the steps back, as the page's decoder does (the node tests check the two against each other).
"""
from __future__ import annotations

import zlib

import numpy as np

ALPHABET = 1023  # steps with a symbol of their own; the rest escape
PROB_BITS = 14  # frequencies sum to 2**PROB_BITS in each context
LOW = 1 << 16  # the state stays in [LOW, LOW << 16)
CONTEXTS = 9  # the signs of the previous step's dx and dy (a sketch's first step: both 0)


def contexts(steps: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Each step's context: 3 * (sign(dx) + 1) + sign(dy) + 1 of the step before it (0, 0 before a sketch's
    first step, marked by ``first``).

    Parameters
    ----------
    steps
        (n, 2) int8 steps.
    first
        (n,) bool: the first step of a sketch.
    """
    prev = np.zeros_like(steps)
    prev[1:] = steps[:-1]
    prev[first] = 0
    return (3 * (np.sign(prev[:, 0].astype(np.int64)) + 1) + np.sign(prev[:, 1].astype(np.int64)) + 1).astype(np.int64)


def _frequencies(counts: np.ndarray) -> np.ndarray:
    """Counts of one context -> frequencies summing to 2**PROB_BITS, every counted symbol at least 1."""
    total = 1 << PROB_BITS
    if counts.sum() == 0:
        out = np.zeros_like(counts)
        out[-1] = total  # an unused context: all its mass on the escape
        return out
    freq = np.floor(counts * (total / counts.sum())).astype(np.int64)
    freq[(counts > 0) & (freq == 0)] = 1
    excess = int(freq.sum()) - total  # the rare symbols' 1s can overshoot: taken from the largest, which keep 1
    while excess > 0:
        i = int(np.argmax(freq))
        take = min(excess, int(freq[i]) - 1)
        freq[i] -= take
        excess -= take
    freq[np.argmax(freq)] -= excess  # and a shortfall goes to the largest
    return freq


def encode_steps(steps: np.ndarray, lengths: np.ndarray) -> dict[str, np.ndarray]:
    """A table's steps (sketch after sketch, ``lengths`` points each) -> the arrays a tile carries for them.

    Parameters
    ----------
    steps
        (n, 2) int8 steps, sketch after sketch.
    lengths
        Each sketch's number of steps.

    Returns
    -------
    ``symbols`` (the alphabet's steps, int8 (k, 2)), ``freq`` (uint16 (CONTEXTS, k + 1); the escape last),
    ``state`` (each sketch's final state, uint32), ``words`` (uint16, sketch after sketch, in the order the
    decoder reads them) and ``escaped`` (the escaped steps, int8 (m, 2), in order).
    """
    steps = np.asarray(steps, np.int8).reshape(-1, 2)
    lengths = np.asarray(lengths, np.int64)
    key = (steps[:, 0].astype(np.int64) + 128) * 256 + steps[:, 1].astype(np.int64) + 128
    found, counts = np.unique(key, return_counts=True)  # the alphabet: the most frequent steps
    alphabet = found[np.argsort(-counts, kind="stable")][:ALPHABET]
    code = np.full(65536, len(alphabet), np.int64)
    code[alphabet] = np.arange(len(alphabet))
    sym = code[key]
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    first = np.zeros(len(steps), bool)
    first[offsets[:-1][lengths > 0]] = True
    ctx = contexts(steps, first)
    counts = np.zeros((CONTEXTS, len(alphabet) + 1), np.int64)
    np.add.at(counts, (ctx, sym), 1)
    freq = np.stack([_frequencies(c) for c in counts])
    start = np.concatenate([np.zeros((CONTEXTS, 1), np.int64), np.cumsum(freq, axis=1)[:, :-1]], axis=1)
    state, words = _encode(sym, ctx, freq, start, offsets, lengths)
    symbols = np.stack([alphabet // 256 - 128, alphabet % 256 - 128], axis=1).astype(np.int8)
    return {"symbols": symbols.reshape(-1, 2), "freq": freq.astype(np.uint16), "state": state, "words": words,
            "escaped": steps[sym == len(alphabet)]}


def _encode(sym, ctx, freq, start, offsets, lengths) -> tuple[np.ndarray, np.ndarray]:
    """rANS over every sketch at once, from each sketch's last step back to its first; each sketch's final state
    and the words, sketch after sketch, each sketch's in the order its decoder reads them."""
    n = len(lengths)
    x = np.full(n, LOW, np.uint64)
    emitted_at, emitted = [], []  # the sketch and the word of each emission, in the order made
    for t in range(int(lengths.max(initial=0)) - 1, -1, -1):
        live = np.flatnonzero(lengths > t)
        at = offsets[live] + t
        f = freq[ctx[at], sym[at]].astype(np.uint64)
        s = start[ctx[at], sym[at]].astype(np.uint64)
        xs = x[live]
        out = xs >= (np.uint64((LOW >> PROB_BITS) << 16) * f)
        emitted_at.append(live[out])
        emitted.append((xs[out] & np.uint64(0xFFFF)).astype(np.uint16))
        xs[out] >>= np.uint64(16)
        x[live] = ((xs // f) << np.uint64(PROB_BITS)) + xs % f + s
    who = np.concatenate(emitted_at or [np.zeros(0, np.int64)])
    words = np.concatenate(emitted or [np.zeros(0, np.uint16)])
    order = np.lexsort((-np.arange(len(who)), who))  # by sketch; the last made is the first read
    return x.astype(np.uint32), words[order]


def decode_steps(arrays: dict[str, np.ndarray], lengths: np.ndarray) -> np.ndarray:
    """:func:`encode_steps`'s steps back, (n, 2) int8, decoded a sketch after another as the page does.

    Parameters
    ----------
    arrays
        What :func:`encode_steps` returned.
    lengths
        Each sketch's number of steps.
    """
    freq = arrays["freq"].astype(np.int64)
    start = np.concatenate([np.zeros((CONTEXTS, 1), np.int64), np.cumsum(freq, axis=1)[:, :-1]], axis=1)
    slot_sym = [np.repeat(np.arange(freq.shape[1]), f).tolist() for f in freq]
    freq, start = freq.tolist(), start.tolist()
    symbols = [tuple(v) for v in arrays["symbols"].reshape(-1, 2).tolist()]
    escaped = [tuple(v) for v in arrays["escaped"].reshape(-1, 2).tolist()]
    words, states = arrays["words"].tolist(), arrays["state"].tolist()
    out, w, e, mask, escape = [], 0, 0, (1 << PROB_BITS) - 1, len(symbols)
    for i, n in enumerate(np.asarray(lengths, np.int64).tolist()):
        x, dx, dy = states[i], 0, 0
        for _ in range(n):
            c = 3 * ((dx > 0) - (dx < 0) + 1) + (dy > 0) - (dy < 0) + 1
            slot = x & mask
            s = slot_sym[c][slot]
            x = freq[c][s] * (x >> PROB_BITS) + slot - start[c][s]
            if x < LOW:
                x, w = (x << 16) | words[w], w + 1
            if s == escape:
                (dx, dy), e = escaped[e], e + 1
            else:
                dx, dy = symbols[s]
            out.append((dx, dy))
    return np.array(out, np.int8).reshape(-1, 2)


def _deflated(arrays: dict[str, np.ndarray]) -> int:
    return sum(len(zlib.compress(np.ascontiguousarray(v).tobytes(), 6)) for v in arrays.values())


def code_table(arrays: dict[str, np.ndarray], name: str) -> dict[str, np.ndarray]:
    """``arrays`` (a tile's) with sketch table ``name``'s steps (``<name>_steps``, ``<name>_len`` points a sketch)
    replaced by their code (``<name>_symbols``, ``_freq``, ``_state``, ``_words``, ``_escaped``) when the code is
    the smaller, deflated.

    Parameters
    ----------
    arrays
        The tile's arrays.
    name
        The table: ``orig``, ``dec0``...
    """
    steps = arrays[f"{name}_steps"]
    if not len(steps):
        return arrays
    code = encode_steps(steps, arrays[f"{name}_len"])
    if _deflated(code) >= _deflated({"steps": steps}):
        return arrays
    out = {k: v for k, v in arrays.items() if k != f"{name}_steps"}
    out.update({f"{name}_{k}": v for k, v in code.items()})
    return out


def table_steps(arrays: dict[str, np.ndarray], name: str) -> np.ndarray:
    """Sketch table ``name``'s steps of a tile's ``arrays``, (n, 2) int8: as stored, or decoded from their code.

    Parameters
    ----------
    arrays
        The tile's arrays.
    name
        The table.
    """
    if f"{name}_steps" in arrays:
        return np.asarray(arrays[f"{name}_steps"]).reshape(-1, 2)
    code = {k: arrays[f"{name}_{k}"] for k in ("symbols", "freq", "state", "words", "escaped")}
    return decode_steps(code, arrays[f"{name}_len"])

"""The stroke steps' entropy code: exact round trips (escapes included), smaller than deflate on real sketches,
and left out where it would not be."""
from __future__ import annotations

import zlib

import numpy as np

from latentlab.explorer.sketchtable import quantise
from latentlab.explorer.strokecode import ALPHABET, code_table, decode_steps, encode_steps, table_steps


def _table(sketches):
    t = quantise(sketches)
    return t.steps, np.diff(t.offsets).astype(np.uint16)


def test_real_sketches_come_back_exactly_in_fewer_bytes_than_deflate(sheep):
    steps, lengths = _table(sheep["train"].sketches[:3000])
    arrays = code_table({"orig_steps": steps, "orig_len": lengths}, "orig")
    assert "orig_steps" not in arrays and np.array_equal(table_steps(arrays, "orig"), steps)
    coded = sum(len(zlib.compress(arrays[f"orig_{k}"].tobytes(), 9))
                for k in ("symbols", "freq", "state", "words", "escaped"))
    assert coded < 0.93 * len(zlib.compress(steps.tobytes(), 9))  # 3,000 of aaron_sheep's: about 10% smaller


def test_rare_steps_escape_and_come_back(sheep):
    rng = np.random.default_rng(0)
    steps = rng.integers(-127, 128, (6000, 2)).astype(np.int8)  # far more distinct steps than the alphabet holds
    lengths = np.array([0, 1, 2000, 3997, 0, 2], np.int64)
    code = encode_steps(steps, lengths)
    assert len(code["symbols"]) == ALPHABET and len(code["escaped"]) > 0
    assert code["freq"].shape == (9, ALPHABET + 1) and (code["freq"].astype(int).sum(1) == 1 << 14).all()
    assert np.array_equal(decode_steps(code, lengths), steps)


def test_a_small_table_keeps_its_steps(sheep):
    steps, lengths = _table(sheep["test"].sketches[:5])
    arrays = code_table({"orig_steps": steps, "orig_len": lengths}, "orig")
    assert set(arrays) == {"orig_steps", "orig_len"}  # the frequency tables would cost more than they save
    assert np.array_equal(table_steps(arrays, "orig"), steps)


def test_a_heavy_tail_keeps_every_frequency_positive_and_sums_exact():
    """20 common steps and 1,000 seen once: the rare ones' floor of 1 overshoots what the common ones hold."""
    rng = np.random.default_rng(1)
    common = np.array([(a, b) for a in range(1, 6) for b in range(1, 5)], np.int8)
    rare = np.array([(a, b) for a in range(-60, -35) for b in range(-60, -20)], np.int8)[:1000]
    steps = np.concatenate([common[rng.integers(0, 20, 400_000)], rare])
    steps = steps[rng.permutation(len(steps))]
    code = encode_steps(steps, [len(steps)])
    used = code["freq"].astype(int)
    assert (used.sum(1) == 1 << 14).all() and (used >= 0).all()
    assert np.array_equal(decode_steps(code, [len(steps)]), steps)

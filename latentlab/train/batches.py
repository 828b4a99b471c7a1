"""Training batches: magenta's augmentation, length-bucketed batch order, and padding into magenta's input layout."""
from __future__ import annotations

from typing import Iterator

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.io.strokes import pad_batch


def augment(sketch: np.ndarray, rng: np.random.Generator, random_scale: float,
            drop_prob: float) -> np.ndarray:
    """Magenta's training augmentation: random x/y rescale, then random point merging.

    Parameters
    ----------
    sketch
        Stroke-3.
    rng
        The random generator.
    random_scale
        Largest relative rescale of x and y.
    drop_prob
        Chance of merging an eligible point into the next.
    """
    out = sketch.copy()
    if random_scale:
        out[:, 0] *= (rng.random() - 0.5) * 2 * random_scale + 1.0
        out[:, 1] *= (rng.random() - 0.5) * 2 * random_scale + 1.0
    if drop_prob <= 0 or len(out) < 3:
        return out
    # Same rule as magenta's utils.augment_strokes: merge a point into the next
    # one when both are mid-stroke, the previous one was kept, and a coin says so.
    result = [out[0].copy()]
    prev_stroke = out[0]
    count = 0
    for i in range(1, len(out)):
        candidate = out[i]
        if candidate[2] == 1 or prev_stroke[2] == 1:
            count = 0
        else:
            count += 1
        check = candidate[2] == 0 and prev_stroke[2] == 0 and count > 2
        if check and rng.random() < drop_prob:
            result[-1][:2] += candidate[:2]
        else:
            result.append(candidate.copy())
            prev_stroke = candidate
    return np.array(result, dtype=np.float32)


def length_buckets(lengths: np.ndarray, batch_size: int, bucket_width: int,
                   rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Endless batches of indices whose sketches have similar lengths (less padding).

    Sketches are shuffled, sorted by length within windows of ``50 * batch_size``,
    cut into batches, and the batches shuffled: every sketch is seen once per epoch.

    Parameters
    ----------
    lengths
        Points of each sketch.
    batch_size
        Sketches a batch.
    bucket_width
        Lengths within this many points sort together.
    rng
        The random generator.
    """
    n = len(lengths)
    if n < batch_size:
        raise LatentlabError(f"need at least batch_size={batch_size} sketches, have {n}")
    window = 50 * batch_size
    while True:
        order = rng.permutation(n)
        batches = []
        for start in range(0, n, window):
            chunk = order[start:start + window]
            chunk = chunk[np.argsort(lengths[chunk] // max(bucket_width, 1), kind="stable")]
            batches += [chunk[i:i + batch_size] for i in range(0, len(chunk) - batch_size + 1, batch_size)]
        for i in rng.permutation(len(batches)):
            yield batches[i]


def batch_arrays(sketches: list[np.ndarray], factor: float, pad_to: int | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Normalise by ``factor`` and pad into magenta's ``(batch, T + 1, 5)`` input layout.

    Parameters
    ----------
    sketches
        Stroke-3 sketches in data units.
    factor
        The dataset's scale factor.
    pad_to
        Rows to pad to (default the longest sketch).
    """
    longest = max(len(s) for s in sketches)
    scaled = [s * np.array([1 / factor, 1 / factor, 1], dtype=np.float32) for s in sketches]
    return pad_batch(scaled, pad_to or longest)

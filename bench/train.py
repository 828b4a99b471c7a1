"""Training-step benchmark: the TF engine and the JAX engine on the same real batches, one run.

    python bench/train.py [--data ../shared/data/sketchrnn/aaron_sheep.npz] [--steps 10] [--hparams ...]

Builds a model of the given hparams (magenta's defaults: the bundled sheep
model's sizes), draws length-bucketed, augmented sheep batches exactly as
training does, compiles each engine on every batch shape first, then times
``--steps`` steps of each.  JAX runs on whatever device it finds (a GPU when
jax's CUDA build is installed).  The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from latentlab.io.datasets import load_dataset  # noqa: E402
from latentlab.model.config import parse_hparams  # noqa: E402
from latentlab.train.loop import training_batches  # noqa: E402
from latentlab.train.state import Schedule, init_weights  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def time_engine(engine, batches: list[tuple[np.ndarray, np.ndarray]], schedule: Schedule) -> dict:
    seen, t0 = set(), time.perf_counter()
    for data, lengths in batches:  # trace / compile every shape once, outside the timing
        if data.shape not in seen:
            seen.add(data.shape)
            float(engine.train_step(data, lengths, schedule.learning_rate(0), schedule.kl_weight(0),
                                    np.array([0, 0], np.int32))[0])
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    outs = [engine.train_step(data, lengths, schedule.learning_rate(i), schedule.kl_weight(i),
                              np.array([0, i], np.int32)) for i, (data, lengths) in enumerate(batches)]
    float(outs[-1][0])  # wait for the last step
    seconds = (time.perf_counter() - t0) / len(batches)
    rows = float(np.mean([d.shape[1] for d, _ in batches]))
    return {"s_per_step": seconds, "compile_s": compile_s, "shapes": len(seen), "mean_padded_len": rows}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(ROOT.parent / "shared/data/sketchrnn/aaron_sheep.npz"))
    p.add_argument("--steps", type=int, default=10, help="timed steps per engine")
    p.add_argument("--hparams", default="", help="magenta-style overrides, e.g. 'dec_rnn_size=256'")
    a = p.parse_args()
    hps = parse_hparams(a.hparams)
    dataset = load_dataset(a.data, max_seq_len=hps.max_seq_len, quiet=True)
    hps = hps.replace(max_seq_len=dataset.max_seq_len)
    weights, schedule = init_weights(hps, 0), Schedule(hps)
    results = {}
    for name in ("tf", "jax"):
        try:
            if name == "tf":
                from latentlab.model.runtime import SketchRNN
                from latentlab.train.tf import Trainer

                engine = Trainer(SketchRNN(hps, weights, dataset.scale_factor))
            else:
                import jax

                from latentlab.train.jax import JaxTrainer

                engine = JaxTrainer(hps, weights)
                name = f"jax ({jax.devices()[0].platform})"
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        stream = training_batches(dataset, hps, np.random.default_rng(0), engine.pad_multiple)
        result = time_engine(engine, [next(stream)[:2] for _ in range(a.steps)], schedule)
        results[name] = result
        print(f"{name}: {result['s_per_step']:.3f} s/step (mean padded length {result['mean_padded_len']:.0f}, "
              f"warm-up over {result['shapes']} batch shapes {result['compile_s']:.1f} s)")
    if len(results) == 2:
        (n1, r1), (n2, r2) = results.items()
        print(f"{n2} vs {n1}: {r1['s_per_step'] / r2['s_per_step']:.2f}x the steps per second")
    print(json.dumps({"hparams": {"dec_rnn_size": hps.dec_rnn_size, "enc_rnn_size": hps.enc_rnn_size,
                                  "batch_size": hps.batch_size}, "steps": a.steps, "engines": results}))


if __name__ == "__main__":
    main()

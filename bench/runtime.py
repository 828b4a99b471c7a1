"""Runtime benchmark: latentlab's batched TF2 path vs magenta's per-sketch notebook path.

Same checkpoint, same machine, one run.  Magenta's path is the original
notebook's: one ``sess.run(eval_model.batch_z)`` per sketch to encode, and
``sample()`` (one ``sess.run`` per step) per sketch to decode.  Also measures a
float32 GEMM to put the runtime's achieved GFLOP/s in context.

    python bench/runtime.py [--model data/models/aaron_sheep] [--data ../shared/data/sketchrnn/aaron_sheep.npz]

The last line is a JSON object (encode_speedup, decode_speedup, decode_gflops, ...).
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from latentlab.io.datasets import load_dataset  # noqa: E402
from latentlab.io.strokes import pad_batch  # noqa: E402
from latentlab.model.checkpoint import checkpoint_prefix  # noqa: E402
from latentlab.model.runtime import SketchRNN  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def gemm_gflops(n: int = 2048, repeats: int = 5) -> float:
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    a @ b
    t0 = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * n ** 3 * repeats / (time.perf_counter() - t0) / 1e9


def decode_flops_per_step(model: SketchRNN) -> float:
    """Multiply-adds of one decoder step for one sketch (input rows, recurrent GEMM, output layer)."""
    h = model.hps.dec_rnn_size
    n_out = 3 + 6 * model.hps.num_mixture
    return 2.0 * (5 * 4 * h + h * 4 * h + h * n_out)


def encode_flops(model: SketchRNN, lengths: np.ndarray) -> float:
    h = model.hps.enc_rnn_size
    return float(lengths.sum()) * 2 * 2.0 * (5 * 4 * h + h * 4 * h)


class MagentaNotebookPath:
    """Magenta's graph with batch 1, as the original notebook builds it."""

    def __init__(self, model_dir: Path, hps) -> None:
        import tensorflow.compat.v1 as tf
        from magenta.models.sketch_rnn import model as mg_model

        from latentlab.train.magenta import eval_hparams, magenta_hparams

        self.tf, self.mg = tf, mg_model
        self.graph = tf.Graph()
        with self.graph.as_default():
            ev = eval_hparams(magenta_hparams(hps), batch_size=1)
            ev.is_training = 0
            self.eval_model = mg_model.Model(ev)
            sample = mg_model.copy_hparams(ev)
            sample.max_seq_len = 1
            self.sample_model = mg_model.Model(sample, reuse=True)
            self.sess = tf.Session(graph=self.graph)
            variables = {v.op.name: v for v in tf.global_variables() if v.op.name.startswith("vector_rnn/")
                         and "global_step" not in v.op.name}
            tf.train.Saver(variables).restore(self.sess, checkpoint_prefix(model_dir))
        self.max_seq_len = hps.max_seq_len

    def encode(self, sketch: np.ndarray) -> np.ndarray:
        data, lengths = pad_batch([sketch], self.max_seq_len)
        m = self.eval_model
        return self.sess.run(m.batch_z, {m.input_data: data, m.sequence_lengths: lengths})[0]

    def decode(self, z: np.ndarray, temperature: float) -> np.ndarray:
        with self.graph.as_default():
            strokes, _ = self.mg.sample(self.sess, self.sample_model, seq_len=self.max_seq_len,
                                        temperature=temperature, z=z[None])
        return strokes


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(ROOT / "data/models/aaron_sheep"))
    p.add_argument("--data", default=str(ROOT.parent / "shared/data/sketchrnn/aaron_sheep.npz"))
    p.add_argument("--n-magenta-encode", type=int, default=100)
    p.add_argument("--n-magenta-decode", type=int, default=8)
    p.add_argument("--temperature", type=float, default=0.6)
    a = p.parse_args()

    model = SketchRNN.load(a.model)
    test = load_dataset(a.data, max_seq_len=model.hps.max_seq_len, quiet=True)["test"]
    sketches = test.sketches
    scaled = model.to_model_units(sketches)
    gemm = gemm_gflops()
    print(f"model {a.model}: enc {model.hps.enc_rnn_size}, dec {model.hps.dec_rnn_size}, "
          f"max_seq_len {model.hps.max_seq_len}; float32 GEMM peak here {gemm:.0f} GFLOP/s")

    # latentlab: whole test split, batched (warm-up call compiles the graphs)
    model.encode(sketches[:4])
    model.decode(np.zeros((2, model.hps.z_size), np.float32), temperature=a.temperature)
    t0 = time.perf_counter()
    enc = model.encode(sketches)
    t_enc = time.perf_counter() - t0
    t0 = time.perf_counter()
    decoded = model.decode(enc.z, temperature=a.temperature, seed=0, max_len=model.hps.max_seq_len)
    t_dec = time.perf_counter() - t0
    ours_enc = len(sketches) / t_enc
    ours_dec = len(sketches) / t_dec
    # The batch loop runs until its last sketch ends; count the steps each batch really ran.
    steps_run = max(len(s) for s in decoded) + 1
    dec_gflops = decode_flops_per_step(model) * steps_run * len(sketches) / t_dec / 1e9
    enc_gflops = encode_flops(model, test.lengths) / t_enc / 1e9
    print(f"latentlab: encode {ours_enc:.0f} sketches/s ({enc_gflops:.1f} GFLOP/s), "
          f"decode {ours_dec:.1f} sketches/s at tau {a.temperature} ({dec_gflops:.1f} GFLOP/s, "
          f"{steps_run} steps, mean length {np.mean([len(s) for s in decoded]):.0f})")

    # magenta, per sketch, as the notebook
    ref = MagentaNotebookPath(Path(a.model), model.hps)
    ref.encode(scaled[0])
    t0 = time.perf_counter()
    for s in scaled[:a.n_magenta_encode]:
        ref.encode(s)
    mg_enc = a.n_magenta_encode / (time.perf_counter() - t0)
    ref.decode(enc.z[0], a.temperature)
    t0 = time.perf_counter()
    for z in enc.z[:a.n_magenta_decode]:
        ref.decode(z, a.temperature)
    mg_dec = a.n_magenta_decode / (time.perf_counter() - t0)
    print(f"magenta per-sketch: encode {mg_enc:.1f} sketches/s, decode {mg_dec:.2f} sketches/s "
          f"({model.hps.max_seq_len} steps each)")
    result = {
        "encode_speedup": ours_enc / mg_enc, "decode_speedup": ours_dec / mg_dec,
        "decode_gflops": dec_gflops, "encode_gflops": enc_gflops, "gemm_gflops": gemm,
        "latentlab_encode_per_s": ours_enc, "latentlab_decode_per_s": ours_dec,
        "magenta_encode_per_s": mg_enc, "magenta_decode_per_s": mg_dec, "n": len(sketches),
        "cpu_count": os.cpu_count(),
    }
    print(f"speed-up: encode {result['encode_speedup']:.0f}x, decode {result['decode_speedup']:.0f}x")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

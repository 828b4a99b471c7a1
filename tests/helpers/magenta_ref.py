"""Reference models built with magenta itself (graph mode), for the parity tests."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import tensorflow.compat.v1 as tf

from latentlab.io.strokes import pad_batch
from latentlab.model.config import HParams, save_config
from latentlab.train.magenta import eval_hparams, magenta_hparams
from magenta.models.sketch_rnn import model as mg_model


class MagentaReference:
    """A small magenta SketchRNN with random (non-trivial) weights, saved to ``model_dir``."""

    def __init__(self, hps: HParams, model_dir: Path, seed: int = 0, batch_size: int = 4) -> None:
        self.hps = hps.replace(batch_size=batch_size)
        self.graph = tf.Graph()
        rng = np.random.default_rng(seed)
        with self.graph.as_default():
            ev = eval_hparams(magenta_hparams(self.hps))
            self.train_model = mg_model.Model(ev)  # is_training=1: pen loss over every step, as in training
            ev = mg_model.copy_hparams(ev)
            ev.is_training = 0
            self.model = mg_model.Model(ev, reuse=True)
            sample_hps = mg_model.copy_hparams(ev)
            sample_hps.batch_size, sample_hps.max_seq_len = 1, 1
            self.sample_model = mg_model.Model(sample_hps, reuse=True)
            self.sess = tf.Session(graph=self.graph)
            self.sess.run(tf.global_variables_initializer())
            for var in tf.trainable_variables():
                shape = var.shape.as_list()
                scale = 0.5 / np.sqrt(shape[0]) if len(shape) == 2 else 0.1
                var.load(rng.normal(0, scale, shape).astype(np.float32), self.sess)
            step = tf.Variable(7, name="vector_rnn/global_step", trainable=False)
            self.sess.run(step.initializer)
            saver = tf.train.Saver({v.op.name: v for v in tf.trainable_variables() + [step]})
            saver.save(self.sess, str(model_dir / "vector"))
        save_config(self.hps, model_dir)
        (model_dir / "model_info.json").write_text(json.dumps({"scale_factor": 1.0}))

    def encode(self, sketches):
        data, lengths = pad_batch(sketches, self.hps.max_seq_len)
        return self.sess.run([self.model.mean, self.model.presig],
                             {self.model.input_data: data, self.model.sequence_lengths: lengths})

    def mixture(self, sketches, z):
        data, lengths = pad_batch(sketches, self.hps.max_seq_len)
        m = self.model
        feed = {m.input_data: data, m.sequence_lengths: lengths, m.batch_z: z}
        names = ["pi", "mu1", "mu2", "sigma1", "sigma2", "corr", "pen"]
        values = self.sess.run([getattr(m, n) for n in names] + [m.r_cost], feed)
        b, t = len(sketches), self.hps.max_seq_len
        return {n: v.reshape(b, t, -1) for n, v in zip(names, values[:-1])}, values[-1]

    def train_r_cost(self, sketches, z) -> float:
        data, lengths = pad_batch(sketches, self.hps.max_seq_len)
        m = self.train_model
        return float(self.sess.run(m.r_cost, {m.input_data: data, m.sequence_lengths: lengths, m.batch_z: z}))

    def greedy_sample(self, z, seq_len):
        with self.graph.as_default():
            strokes, _ = mg_model.sample(self.sess, self.sample_model, seq_len=seq_len,
                                         greedy_mode=True, z=z[None] if z is not None else None)
        return strokes

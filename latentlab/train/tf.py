"""The TensorFlow engine of ``latentlab.train.loop``: magenta's SketchRNN training step, compiled by ``tf.function``.

Same model, same checkpoint names, same loss as magenta's trainer
(``r_cost + kl_weight * max(kl, kl_tolerance)``, plus ``latentlab.train.classes``'s term when asked; Adam with
per-value gradient clipping, recurrent, input and output dropout); ``latentlab.train.loop`` adds magenta's
schedules and augmentation.  Two speed-ups change nothing in the model:

* length bucketing (``latentlab.train.loop.training_batches``): a batch holds sketches of
  similar length and is padded a few rows past its own longest sketch, not to
  ``max_seq_len``.  The loss is still divided by ``batch * max_seq_len`` as
  magenta's; only the pen terms of padding rows past that are left out
  (end-after-end predictions).
* the input projections of a whole sequence (and of z) are one GEMM, not one per step.

Checkpoints carry the Adam slots under magenta's names (``<var>/Adam``,
``<var>/Adam_1``, ``beta1_power``...), so magenta's trainer, this engine and
the JAX engine resume one another's.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from latentlab.model.config import HParams
from latentlab.model.mixture import reconstruction_terms, split_mixture
from latentlab.model.runtime import SketchRNN
from latentlab.model.tfquiet import tf
from latentlab.train.classes import BIAS, HEAD_NAMES, KERNEL, without_head
from latentlab.train.loop import train_loop
from latentlab.train.state import adam_slots, read_adam_slots

BETA1, BETA2, ADAM_EPS = 0.9, 0.999, 1e-8


class Trainer:
    """Owns the model variables, the Adam slots and the compiled train/eval steps (a loop ``Engine``)."""

    checkpoint_format = "tf"
    pad_multiple = 1

    def __init__(self, model: SketchRNN, head: dict[str, np.ndarray] | None = None) -> None:
        self.model = model
        self.hps = model.hps
        self.head = {n: tf.Variable(head[n]) for n in HEAD_NAMES} if head else {}
        self.names = sorted(model.variables) + list(self.head)
        self.vars = [model.variables[n] for n in self.names[:len(model.variables)]] + list(self.head.values())
        self.m = [tf.Variable(tf.zeros_like(v)) for v in self.vars]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in self.vars]
        self.beta_powers = tf.Variable([BETA1, BETA2], dtype=tf.float32)
        seq = tf.TensorSpec([None, None, 5], tf.float32)
        self._compiled_step = tf.function(self._train_step, input_signature=[
            seq, tf.TensorSpec([None], tf.int32), tf.TensorSpec([], tf.float32),
            tf.TensorSpec([], tf.float32), tf.TensorSpec([2], tf.int32), tf.TensorSpec([None], tf.int32),
            tf.TensorSpec([], tf.float32)])
        self.eval_step = tf.function(lambda data, lengths, seed: self._losses(data, lengths, seed, False)[:2],
                                     input_signature=[seq, tf.TensorSpec([None], tf.int32),
                                                      tf.TensorSpec([2], tf.int32)])

    def train_step(self, data: np.ndarray, lengths: np.ndarray, lr: float, kl_weight: float, seed: np.ndarray,
                   labels: np.ndarray | None = None, class_weight: float = 0.0) -> tuple[tf.Tensor, ...]:
        """One Adam step: (cost, Lr, Lkl), and the class head's cross-entropy when the trainer has one.

        Parameters as for :meth:`latentlab.train.loop.Engine.train_step`.
        """
        labels = np.zeros(len(lengths), np.int32) if labels is None else labels
        return self._compiled_step(data, lengths, lr, kl_weight, seed, labels, class_weight)

    def _losses(self, data, lengths, seed, dropout: bool, labels=None):
        model, hps = self.model, self.hps
        batch = tf.shape(data)[0]
        drop_seed = seed + 7 if dropout else None  # the model applies the dropouts its hparams ask for
        ce = tf.constant(0.0)
        if hps.conditional:
            mu, presig = model.encoder_outputs(data[:, 1:], lengths, seed + 3 if dropout else None)
            eps = tf.random.stateless_normal(tf.shape(mu), seed)
            z = mu + tf.exp(presig / 2.0) * eps
            kl = -0.5 * tf.reduce_mean(1 + presig - tf.square(mu) - tf.exp(presig))
            if self.head and labels is not None:
                logits = mu @ self.head[KERNEL] + self.head[BIAS]
                ce = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
        else:
            z = tf.zeros([batch, hps.z_size])
            kl = tf.constant(0.0)
        return self.r_cost(data, z, drop_seed), kl, ce

    def r_cost(self, data: tf.Tensor, z: tf.Tensor, drop_seed: tf.Tensor | None = None) -> tf.Tensor:
        """Magenta's r_cost: offset NLL + pen cross-entropy, summed, over batch * max_seq_len.

        Parameters
        ----------
        data
            (B, T + 1, 5) padded stroke-5.
        z
            (B, z_size).
        drop_seed
            Seed of the dropouts.
        """
        out = self.model.decoder_outputs(data[:, :-1], z, drop_seed)
        offset, pen = reconstruction_terms(split_mixture(out, self.hps.num_mixture), data[:, 1:])
        return (tf.reduce_sum(offset) + tf.reduce_sum(pen)) / tf.cast(tf.shape(data)[0] * self.hps.max_seq_len,
                                                                      tf.float32)

    def _train_step(self, data, lengths, lr, kl_weight, seed, labels, class_weight):
        with tf.GradientTape() as tape:
            r_cost, kl, ce = self._losses(data, lengths, seed, True, labels)
            cost = r_cost + kl_weight * tf.maximum(kl, self.hps.kl_tolerance) + class_weight * ce
        grads = tape.gradient(cost, self.vars)
        clip = self.hps.grad_clip
        b1p, b2p = self.beta_powers[0], self.beta_powers[1]
        lr_t = lr * tf.sqrt(1 - b2p) / (1 - b1p)
        for var, m, v, g in zip(self.vars, self.m, self.v, grads):
            g = tf.clip_by_value(g, -clip, clip)
            m.assign(BETA1 * m + (1 - BETA1) * g)
            v.assign(BETA2 * v + (1 - BETA2) * tf.square(g))
            var.assign_sub(lr_t * m / (tf.sqrt(v) + ADAM_EPS))
        self.beta_powers.assign(self.beta_powers * [BETA1, BETA2])
        return (cost, r_cost, kl, ce) if self.head else (cost, r_cost, kl)

    def slots(self) -> dict[str, np.ndarray]:
        """Adam's state as checkpoint tensors."""
        return adam_slots(self.names, [m.numpy() for m in self.m], [v.numpy() for v in self.v],
                          self.beta_powers.numpy())

    def weights(self) -> dict[str, np.ndarray]:
        """The current weights as numpy arrays, by magenta's names (and the class head's, when trained)."""
        return {**self.model.weights, **{n: v.numpy() for n, v in self.head.items()}}

    def restore_slots(self, slots: dict[str, np.ndarray]) -> bool:
        """Take Adam's state from checkpoint tensors; False, and fresh state, when absent."""
        state = read_adam_slots(slots, self.names)
        if state is None:
            return False
        for var, value in zip(self.m + self.v, state[0] + state[1]):
            var.assign(value)
        self.beta_powers.assign(state[2])
        return True


def train_tf(data: str | os.PathLike, out_dir: str | os.PathLike, hps: HParams | None = None, **options) -> Path:
    """Train (or resume) with the TensorFlow engine: :func:`latentlab.train.loop.train_loop` with this module's
    ``Trainer``.

    Parameters
    ----------
    data
        The dataset ``.npz``.
    out_dir
        The training folder (resumed when it holds a checkpoint).
    hps
        Hparams (default the folder's, or magenta's defaults).
    **options
        ``steps``, ``save_every``, ``seed``, ``init_from``, ``keep``: see :func:`latentlab.train.loop.train_loop`.

    Returns
    -------
    The training folder.
    """
    def make(hps: HParams, weights: dict, factor: float) -> Trainer:
        head = {n: weights[n] for n in HEAD_NAMES} if KERNEL in weights else None
        return Trainer(SketchRNN(hps, without_head(weights), factor), head)

    return train_loop(make, data, out_dir, hps, **options)

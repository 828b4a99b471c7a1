"""Train SketchRNN with JAX: for GPUs, and for machines without TensorFlow.

The same training as ``train.Trainer`` (tested equal on the same weights and
batch): magenta's loss ``r_cost + kl_weight * max(kl, kl_tolerance)``, TF1's
Adam with per-value gradient clipping, recurrent, input and output dropout,
and the shared ``latentlab.train.loop`` (schedules, bucketing, augmentation, log, ``best/``).
XLA compiles a whole step, encoder and decoder loops included, into one
program; batches are padded to a multiple of ``PAD_MULTIPLE`` rows, so a run
compiles a handful of shapes.  Checkpoints are ``vector-N.npz`` with magenta's
tensor names, which ``export`` and ``train`` (either engine) read.  LSTM cells
only (magenta's default ``enc_model``/``dec_model``).
"""
from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from latentlab.errors import LatentlabError
from latentlab.model.config import HParams
from latentlab.model.layout import FORGET_BIAS, SCOPE, variable_shapes
from latentlab.train.classes import BIAS, HEAD_NAMES, KERNEL
from latentlab.train.loop import train_loop
from latentlab.train.state import adam_slots, read_adam_slots

BETA1, BETA2, ADAM_EPS = 0.9, 0.999, 1e-8
PAD_MULTIPLE = 64  # sheep: 4 shapes to compile, 20% more rows than exact padding
UNROLL = 4  # LSTM steps per loop iteration of the compiled program
_EPS = 1e-6
_ENC = f"{SCOPE}/ENC_RNN"
_DEC = f"{SCOPE}/RNN/LSTMCell"

Params = dict[str, jax.Array]


def _keep_mask(key: jax.Array, shape: tuple[int, ...], keep: float) -> jax.Array:
    """Inverted-dropout multiplier: 1/keep with probability ``keep``, else 0."""
    return jax.random.bernoulli(key, keep, shape).astype(jnp.float32) / keep


def _lstm(w: Params, prefix: str, proj: jax.Array, state: tuple[jax.Array, jax.Array],
          drop: jax.Array | None, mask: jax.Array | None) -> tuple[tuple[jax.Array, jax.Array], jax.Array]:
    """Magenta's LSTMCell over projected inputs ``proj`` (T, B, 4n) from ``(c, h)``.

    ``drop`` (T, B, n) multiplies the candidate (recurrent dropout); where
    ``mask`` (T, B, 1) is False the state stays as it was (steps past a sketch's end).
    Returns the final ``(c, h)`` and every step's h.
    """
    w_hh, bias = w[f"{prefix}/W_hh"], w[f"{prefix}/bias"]

    def body(carry, xs):
        c, h = carry
        p, d, m = xs
        i, j, f, o = jnp.split(p + h @ w_hh + bias, 4, axis=-1)
        g = jnp.tanh(j) if d is None else jnp.tanh(j) * d
        new_c = c * jax.nn.sigmoid(f + FORGET_BIAS) + jax.nn.sigmoid(i) * g
        new_h = jnp.tanh(new_c) * jax.nn.sigmoid(o)
        if m is not None:
            new_c, new_h = jnp.where(m, new_c, c), jnp.where(m, new_h, h)
        return (new_c, new_h), new_h

    return lax.scan(body, state, (proj, drop, mask), unroll=UNROLL)


def encode(w: Params, hps: HParams, strokes: jax.Array, lengths: jax.Array,
           key: jax.Array | None = None) -> tuple[jax.Array, jax.Array]:
    """Bidirectional encoder: strokes (B, T, 5) without the start token -> (mu, presig); ``key`` turns on dropout.

    Parameters
    ----------
    w
        Weights.
    hps
        Hparams.
    strokes
        (B, T, 5) stroke-5.
    lengths
        (B,) points.
    key
        PRNG key of the dropouts, or None.
    """
    x = jnp.swapaxes(strokes, 0, 1)
    steps, batch = x.shape[:2]
    t = jnp.arange(steps)[:, None]
    valid = t < lengths[None, :]
    # the backward cell reads each sketch reversed within its own length, as bidirectional_dynamic_rnn
    x_rev = x[jnp.where(valid, lengths[None, :] - 1 - t, t), jnp.arange(batch)[None, :]]
    n = hps.enc_rnn_size
    keys = jax.random.split(key) if key is not None and hps.use_recurrent_dropout else (None, None)
    finals = []
    for direction, seq, k in (("fw", x, keys[0]), ("bw", x_rev, keys[1])):
        cell = f"{_ENC}/{direction}/LSTMCell"
        drop = None if k is None else _keep_mask(k, (steps, batch, n), hps.recurrent_dropout_prob)
        zero = jnp.zeros((batch, n), jnp.float32)
        (_, h), _ = _lstm(w, cell, seq @ w[f"{cell}/W_xh"], (zero, zero), drop, valid[:, :, None])
        finals.append(h)
    last_h = jnp.concatenate(finals, axis=1)
    mu = last_h @ w[f"{SCOPE}/ENC_RNN_mu/super_linear_w"] + w[f"{SCOPE}/ENC_RNN_mu/super_linear_b"]
    presig = last_h @ w[f"{SCOPE}/ENC_RNN_sigma/super_linear_w"] + w[f"{SCOPE}/ENC_RNN_sigma/super_linear_b"]
    return mu, presig


def decoder_outputs(w: Params, hps: HParams, inputs: jax.Array, z: jax.Array,
                    key: jax.Array | None = None) -> jax.Array:
    """Teacher-forced decoder: inputs (B, T, 5) -> raw outputs (B, T, 3 + 6M); ``key`` turns on the dropouts.

    Parameters
    ----------
    w
        Weights.
    hps
        Hparams.
    inputs
        (B, T, 5) stroke-5, start token first.
    z
        (B, z_size).
    key
        PRNG key of the dropouts, or None.
    """
    x = jnp.swapaxes(inputs, 0, 1)
    steps, batch = x.shape[:2]
    n = hps.dec_rnn_size
    k_in, k_rec, k_out = jax.random.split(key, 3) if key is not None else (None, None, None)
    w_xh = w[f"{_DEC}/W_xh"]
    if k_in is not None and hps.use_input_dropout:
        if hps.conditional:  # z joins the input before the mask, as magenta's DropoutWrapper sees it
            x = jnp.concatenate([x, jnp.broadcast_to(z[None], (steps, batch, hps.z_size))], axis=2)
        proj = (x * _keep_mask(k_in, x.shape, hps.input_dropout_prob)) @ w_xh
    else:
        proj = x @ w_xh[:5] + ((z @ w_xh[5:])[None] if hps.conditional else 0.0)
    if hps.conditional:
        state = jnp.tanh(z @ w[f"{SCOPE}/linear/super_linear_w"] + w[f"{SCOPE}/linear/super_linear_b"])
        state = (state[:, :n], state[:, n:])  # magenta's LSTM state is [c, h]
    else:
        state = (jnp.zeros((batch, n), jnp.float32),) * 2
    use_rec = k_rec is not None and hps.use_recurrent_dropout
    drop = _keep_mask(k_rec, (steps, batch, n), hps.recurrent_dropout_prob) if use_rec else None
    _, hs = _lstm(w, _DEC, proj, state, drop, None)
    if k_out is not None and hps.use_output_dropout:
        hs = hs * _keep_mask(k_out, hs.shape, hps.output_dropout_prob)
    out = hs @ w[f"{SCOPE}/RNN/output_w"] + w[f"{SCOPE}/RNN/output_b"]
    return jnp.swapaxes(out, 0, 1)


def r_cost(w: Params, hps: HParams, data: jax.Array, z: jax.Array, key: jax.Array | None = None) -> jax.Array:
    """Magenta's r_cost: offset NLL (masked after the end) + pen cross-entropy, summed, over batch * max_seq_len.

    Parameters
    ----------
    w
        Weights.
    hps
        Hparams.
    data
        (B, T + 1, 5) padded stroke-5.
    z
        (B, z_size).
    key
        PRNG key of the dropouts, or None.
    """
    out = decoder_outputs(w, hps, data[:, :-1], z, key)
    target = data[:, 1:]
    pen_logits = out[..., :3]
    pi, mu1, mu2, s1, s2, corr = jnp.split(out[..., 3:], 6, axis=-1)
    s1, s2, rho = jnp.exp(s1), jnp.exp(s2), jnp.tanh(corr)
    n1, n2 = target[..., 0:1] - mu1, target[..., 1:2] - mu2
    zz = jnp.square(n1 / s1) + jnp.square(n2 / s2) - 2 * rho * n1 * n2 / (s1 * s2)
    neg_rho = 1 - jnp.square(rho)
    density = jnp.exp(-zz / (2 * neg_rho)) / (2 * np.pi * s1 * s2 * jnp.sqrt(neg_rho))
    offset = -jnp.log(jnp.sum(density * jax.nn.softmax(pi, axis=-1), axis=-1) + _EPS)
    pen_data = target[..., 2:5]
    offset = offset * (1.0 - pen_data[..., 2])
    pen = -jnp.sum(pen_data * jax.nn.log_softmax(pen_logits, axis=-1), axis=-1)
    return (jnp.sum(offset) + jnp.sum(pen)) / (data.shape[0] * hps.max_seq_len)


def losses(w: Params, hps: HParams, data: jax.Array, lengths: jax.Array, key: jax.Array,
           dropout: bool, labels: jax.Array | None = None) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(r_cost, kl, class cross-entropy) with z sampled from the posterior by ``key``, as magenta's training graph;
    the cross-entropy is that of ``latentlab.train.classes``'s head on mu (0 without labels or head).

    Parameters
    ----------
    w
        Weights.
    hps
        Hparams.
    data
        (B, T + 1, 5) padded stroke-5.
    lengths
        (B,) points.
    key
        PRNG key of z (and the dropouts).
    dropout
        Apply the dropouts.
    labels
        (B,) class indices, for the class head.
    """
    k_eps, k_enc, k_dec = jax.random.split(key, 3)
    ce = jnp.zeros((), jnp.float32)
    if hps.conditional:
        mu, presig = encode(w, hps, data[:, 1:], lengths, k_enc if dropout else None)
        z = mu + jnp.exp(presig / 2.0) * jax.random.normal(k_eps, mu.shape)
        kl = -0.5 * jnp.mean(1 + presig - jnp.square(mu) - jnp.exp(presig))
        if labels is not None and KERNEL in w:
            logp = jax.nn.log_softmax(mu @ w[KERNEL] + w[BIAS], axis=-1)
            ce = -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=-1))
    else:
        z = jnp.zeros((data.shape[0], hps.z_size), jnp.float32)
        kl = jnp.zeros((), jnp.float32)
    return r_cost(w, hps, data, z, k_dec if dropout else None), kl, ce


def _key(seed: jax.Array) -> jax.Array:
    return jax.random.fold_in(jax.random.key(seed[0]), seed[1])


def _train_step(hps: HParams, w: Params, m: Params, v: Params, powers: jax.Array, data: jax.Array,
                lengths: jax.Array, lr: jax.Array, kl_weight: jax.Array, seed: jax.Array, labels: jax.Array,
                class_weight: jax.Array):
    def cost_fn(params):
        r, kl, ce = losses(params, hps, data, lengths, _key(seed), True, labels)
        return r + kl_weight * jnp.maximum(kl, hps.kl_tolerance) + class_weight * ce, (r, kl, ce)

    (cost, (r, kl, ce)), grads = jax.value_and_grad(cost_fn, has_aux=True)(w)
    lr_t = lr * jnp.sqrt(1 - powers[1]) / (1 - powers[0])
    grads = {n: jnp.clip(g, -hps.grad_clip, hps.grad_clip) for n, g in grads.items()}
    m = {n: BETA1 * m[n] + (1 - BETA1) * g for n, g in grads.items()}
    v = {n: BETA2 * v[n] + (1 - BETA2) * jnp.square(g) for n, g in grads.items()}
    w = {n: w[n] - lr_t * m[n] / (jnp.sqrt(v[n]) + ADAM_EPS) for n in w}
    out = (cost, r, kl, ce) if KERNEL in w else (cost, r, kl)
    return w, m, v, powers * jnp.array([BETA1, BETA2], jnp.float32), out


class JaxTrainer:
    """Weights, Adam slots and the compiled steps on JAX's default device (a ``latentlab.train.loop.Engine``)."""

    checkpoint_format = "npz"
    pad_multiple = PAD_MULTIPLE

    def __init__(self, hps: HParams, weights: dict[str, np.ndarray]) -> None:
        if hps.enc_model != "lstm" or hps.dec_model != "lstm":
            raise LatentlabError(f"the jax engine trains lstm cells only (this model: enc_model={hps.enc_model}, "
                                 f"dec_model={hps.dec_model}); use --engine tf")
        self.hps = hps
        self.names = sorted(variable_shapes(hps)) + (list(HEAD_NAMES) if KERNEL in weights else [])
        self.w = {n: jnp.asarray(weights[n], jnp.float32) for n in self.names}
        self.m = {n: jnp.zeros_like(x) for n, x in self.w.items()}
        self.v = {n: jnp.zeros_like(x) for n, x in self.w.items()}
        self.powers = jnp.array([BETA1, BETA2], jnp.float32)
        self._step = jax.jit(partial(_train_step, hps), donate_argnums=(0, 1, 2))
        self._eval = jax.jit(lambda w, data, lengths, seed: losses(w, hps, data, lengths, _key(seed), False)[:2])

    def train_step(self, data: np.ndarray, lengths: np.ndarray, lr: float, kl_weight: float, seed: np.ndarray,
                   labels: np.ndarray | None = None, class_weight: float = 0.0) -> tuple[jax.Array, ...]:
        """One Adam step on a padded batch; returns (cost, r_cost, kl), and the class head's cross-entropy when
        the trainer has one, without waiting for the device.

        Parameters as for :meth:`latentlab.train.loop.Engine.train_step`.
        """
        self.w, self.m, self.v, self.powers, out = self._step(
            self.w, self.m, self.v, self.powers, data, lengths, np.float32(lr), np.float32(kl_weight), seed,
            np.zeros(len(lengths), np.int32) if labels is None else labels, np.float32(class_weight))
        return out

    def eval_step(self, data: np.ndarray, lengths: np.ndarray, seed: np.ndarray) -> tuple[jax.Array, jax.Array]:
        """(r_cost, kl) without dropout, z sampled from the posterior with ``seed``.

        Parameters as for :meth:`latentlab.train.loop.Engine.eval_step`.
        """
        return self._eval(self.w, data, lengths, seed)

    def weights(self) -> dict[str, np.ndarray]:
        """The current weights as numpy arrays, by magenta's names."""
        return {n: np.asarray(x) for n, x in self.w.items()}

    def slots(self) -> dict[str, np.ndarray]:
        """Adam's state as checkpoint tensors."""
        return adam_slots(self.names, [self.m[n] for n in self.names], [self.v[n] for n in self.names], self.powers)

    def restore_slots(self, slots: dict[str, np.ndarray]) -> bool:
        """Take Adam's state from checkpoint tensors; False, and fresh state, when absent."""
        state = read_adam_slots(slots, self.names)
        if state is None:
            return False
        self.m = {n: jnp.asarray(x) for n, x in zip(self.names, state[0])}
        self.v = {n: jnp.asarray(x) for n, x in zip(self.names, state[1])}
        self.powers = jnp.asarray(state[2])
        return True


def train_jax(data: str | os.PathLike, out_dir: str | os.PathLike, hps: HParams | None = None, **options) -> Path:
    """Train (or resume) with the JAX engine; parameters and result as for :func:`latentlab.train.tf.train_tf`.

    Parameters
    ----------
    data, out_dir, hps
        As for :func:`latentlab.train.tf.train_tf`.
    """
    return train_loop(lambda hps, weights, factor: JaxTrainer(hps, weights), data, out_dir, hps, **options)

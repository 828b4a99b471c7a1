"""The decoder's mixture density network in TensorFlow: its parameters, magenta's loss terms, seeded sampling.

Shared by the runtime (:mod:`latentlab.model.runtime`) and the TF training engine (:mod:`latentlab.train.tf`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from latentlab.model.tfquiet import tf

EPS = 1e-6


@dataclass
class MixtureParams:
    """Per-step outputs of the decoder's mixture density network (magenta's names)."""

    pi: np.ndarray
    mu1: np.ndarray
    mu2: np.ndarray
    sigma1: np.ndarray
    sigma2: np.ndarray
    corr: np.ndarray
    pen: np.ndarray
    pen_logits: np.ndarray


def keep_mask(shape: tf.Tensor, keep: float, seed: tf.Tensor) -> tf.Tensor:
    """Inverted-dropout multiplier: 1/keep with probability ``keep``, else 0 (seeded).

    Parameters
    ----------
    shape
        The mask's shape.
    keep
        Probability of keeping a unit.
    seed
        Stateless seed.
    """
    return tf.cast(tf.random.stateless_uniform(shape, seed) < keep, tf.float32) / keep


def split_mixture(out: tf.Tensor, num_mixture: int) -> dict[str, tf.Tensor]:
    """Raw decoder output (…, 3 + 6M) -> mixture parameters, as magenta's ``get_mixture_coef``.

    Parameters
    ----------
    out
        The decoder's raw outputs.
    num_mixture
        Components M.
    """
    pen_logits = out[..., :3]
    pi, mu1, mu2, s1, s2, corr = tf.split(out[..., 3:], 6, axis=-1)
    return dict(pi=tf.nn.softmax(pi), pi_logits=pi, mu1=mu1, mu2=mu2, sigma1=tf.exp(s1), sigma2=tf.exp(s2),
                corr=tf.tanh(corr), pen=tf.nn.softmax(pen_logits), pen_logits=pen_logits)


def reconstruction_terms(mix: dict[str, tf.Tensor], target: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """Per-position offset loss (masked at end-of-sketch) and pen cross-entropy, magenta's eq. 26.

    Parameters
    ----------
    mix
        Mixture parameters (:func:`split_mixture`).
    target
        Stroke-5 targets.
    """
    x1, x2 = target[..., 0:1], target[..., 1:2]
    pen_data = target[..., 2:5]
    n1, n2 = x1 - mix["mu1"], x2 - mix["mu2"]
    s1s2 = mix["sigma1"] * mix["sigma2"]
    rho = mix["corr"]
    zz = tf.square(n1 / mix["sigma1"]) + tf.square(n2 / mix["sigma2"]) - 2 * rho * n1 * n2 / s1s2
    neg_rho = 1 - tf.square(rho)
    density = tf.exp(-zz / (2 * neg_rho)) / (2 * np.pi * s1s2 * tf.sqrt(neg_rho))
    offset = -tf.math.log(tf.reduce_sum(density * mix["pi"], axis=-1) + EPS)
    offset = offset * (1.0 - pen_data[..., 2])
    pen = tf.nn.softmax_cross_entropy_with_logits(labels=pen_data, logits=mix["pen_logits"])
    return offset, pen


def sample_index(logits: tf.Tensor, temperature: tf.Tensor, greedy: tf.Tensor, u: tf.Tensor) -> tf.Tensor:
    """Inverse-CDF sample from softmax(log_softmax(logits) / tau), or argmax when greedy.

    Parameters
    ----------
    logits
        (B, K) logits.
    temperature
        tau.
    greedy
        Take the argmax instead.
    u
        (B,) uniform draws.
    """
    probs = tf.nn.softmax(tf.nn.log_softmax(logits) / temperature)
    cdf = tf.cumsum(probs, axis=1)
    sampled = tf.minimum(tf.reduce_sum(tf.cast(cdf < u[:, None], tf.int32), axis=1), tf.shape(logits)[1] - 1)
    return tf.where(greedy, tf.argmax(logits, axis=1, output_type=tf.int32), sampled)

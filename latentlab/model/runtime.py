"""The SketchRNN runtime: magenta checkpoints in, batched TF2 encode/decode/likelihood out.

The math follows magenta's ``sketch_rnn/model.py`` term for term (and is tested against it), but the whole batch
moves through one compiled loop: the encoder runs every sketch of a batch at once, and the decoder samples a batch
of latent vectors together, each sketch stopping at its own end token.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.io.strokes import pad_batch
from latentlab.model.cells import make_cell
from latentlab.model.checkpoint import read_checkpoint
from latentlab.model.config import HParams, load_config
from latentlab.model.layout import INFO_FILE, SCOPE, check_weights, read_info, weights_sha256
from latentlab.model import likelihood
from latentlab.model.mixture import MixtureParams, keep_mask, reconstruction_terms, sample_index, split_mixture
from latentlab.model.temperature import check_temperature, softmax_temperature_for
from latentlab.model.tfquiet import tf


@dataclass
class Encoding:
    """Encoder outputs for a batch: ``sigma = exp(presig / 2)``, ``z = mu + sigma * eps``."""

    mu: np.ndarray
    presig: np.ndarray
    z: np.ndarray

    @property
    def sigma(self) -> np.ndarray:
        """The posterior's standard deviation, ``exp(presig / 2)``."""
        return np.exp(self.presig / 2.0)


class SketchRNN:
    """A loaded SketchRNN: ``encode``, ``decode``, ``log_likelihood`` on numpy stroke-3 sketches.

    ``scale_factor`` converts data units to model units (magenta's normalising
    factor); sketches go in and come out in data units.
    """

    def __init__(self, hps: HParams, weights: dict[str, np.ndarray], scale_factor: float = 1.0,
                 step: int | None = None, model_dir: str | None = None) -> None:
        expected = check_weights(hps, weights, model_dir or "weights")
        if not (np.isfinite(scale_factor) and scale_factor > 0):
            raise LatentlabError(f"{model_dir or 'model'}: scale_factor must be a positive number, "
                                 f"got {scale_factor!r}")
        self.hps = hps
        self.scale_factor = float(scale_factor)
        self.weights_sha256 = weights_sha256({name: weights[name] for name in expected})
        self.step = step
        self.model_dir = model_dir
        self.variables = {name: tf.Variable(np.asarray(weights[name], np.float32), name=name.replace("/", "__"))
                          for name in expected}
        self.dec = make_cell(hps.dec_model, self.variables, f"{SCOPE}/RNN", hps.dec_rnn_size)
        if hps.conditional:
            self.enc_fw = make_cell(hps.enc_model, self.variables, f"{SCOPE}/ENC_RNN/fw", hps.enc_rnn_size)
            self.enc_bw = make_cell(hps.enc_model, self.variables, f"{SCOPE}/ENC_RNN/bw", hps.enc_rnn_size)
        seq, vec = tf.TensorSpec([None, None, 5], tf.float32), tf.TensorSpec([None, None], tf.float32)
        scalar = tf.TensorSpec([], tf.float32)
        self._encode_fn = tf.function(self.encoder_outputs, input_signature=[seq, tf.TensorSpec([None], tf.int32)])
        self._decode_fn = tf.function(self._decode_graph, input_signature=[
            vec, scalar, scalar, tf.TensorSpec([], tf.bool), tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32)])
        self._forward_fn = tf.function(self._forward_graph, input_signature=[seq, vec])

    @classmethod
    def load(cls, model_dir: str | os.PathLike, scale_factor: float | None = None) -> "SketchRNN":
        """Load a model folder: ``model_config.json`` and its newest ``vector[-N]`` checkpoint; or a model by name.

        Parameters
        ----------
        model_dir
            A folder in magenta's layout (plus latentlab's optional ``model_info.json``), a sketch-rnn-js ``.json``,
            or a model name (``latentlab/quickdraw28``, ``magenta/owl/lstm``, ``sketchrnn-js/bird.gen``: fetched and
            cached on first use, see :mod:`latentlab.model.zoo`).
        scale_factor
            The data's normalising scale factor; default the one ``model_info.json`` records.

        Returns
        -------
        The model, ready to encode and decode.
        """
        from latentlab.model.zoo import is_model_name, model_path

        model_dir = model_path(str(model_dir)) if is_model_name(model_dir) else Path(model_dir)
        if model_dir.suffix == ".json":
            from latentlab.model.jsmodel import read_js_model

            hps, weights, scale = read_js_model(model_dir)
            return cls(hps, weights, scale, model_dir=str(model_dir))
        hps = load_config(model_dir)
        weights, step = read_checkpoint(model_dir)
        info = read_info(model_dir)
        if scale_factor is None:
            scale_factor = info.get("scale_factor")
        if scale_factor is None:
            raise LatentlabError(
                f"{model_dir}: no {INFO_FILE} with the data's scale_factor; pass scale_factor= "
                "(magenta computes it from the training split: latentlab.io.datasets.load_dataset(...).scale_factor)")
        hps = hps.replace(is_training=False, use_recurrent_dropout=False)
        return cls(hps, weights, scale_factor, step, str(model_dir))

    @property
    def weights(self) -> dict[str, np.ndarray]:
        """The model's weights by magenta's variable names."""
        return {name: v.numpy() for name, v in self.variables.items()}

    def encoder_outputs(self, strokes: tf.Tensor, lengths: tf.Tensor, dropout_seed: tf.Tensor | None = None):
        """Bidirectional encoder: strokes (B, T, 5) without the start token -> (mu, presig).

        Steps past a sketch's length leave its state untouched and the backward
        cell reads each sketch reversed within its length, as ``bidirectional_dynamic_rnn``.

        Parameters
        ----------
        strokes, lengths, dropout_seed
            (B, T, 5) stroke-5 in model units; (B,) points of each; the dropouts' seed (None: no dropout).
        """
        x = tf.transpose(strokes, [1, 0, 2])
        mask = tf.transpose(tf.sequence_mask(lengths, tf.shape(x)[0]))[:, :, None]
        x_rev = tf.reverse_sequence(x, lengths, seq_axis=0, batch_axis=1)
        proj_fw, proj_bw = self.enc_fw.project(x), self.enc_bw.project(x_rev)
        state0 = tf.zeros([tf.shape(x)[1], self.enc_fw.state_size])
        drops = self._dropout_masks(tf.shape(x)[0], tf.shape(x)[1], self.hps.enc_rnn_size, 2, dropout_seed)

        def body(carry, elems):
            s_fw, s_bw = carry
            p_fw, p_bw, m = elems[:3]
            _, n_fw = self.enc_fw.step(p_fw, s_fw, elems[3] if drops is not None else None)
            _, n_bw = self.enc_bw.step(p_bw, s_bw, elems[4] if drops is not None else None)
            return tf.where(m, n_fw, s_fw), tf.where(m, n_bw, s_bw)

        elems = (proj_fw, proj_bw, mask) + (tuple(drops) if drops is not None else ())
        # foldl keeps only the final states (scan would store every step's).
        s_fw, s_bw = tf.foldl(body, elems, initializer=(state0, state0))
        last_h = tf.concat([self.enc_fw.output(s_fw), self.enc_bw.output(s_bw)], axis=1)
        v = self.variables
        mu = tf.matmul(last_h, v[f"{SCOPE}/ENC_RNN_mu/super_linear_w"]) + v[f"{SCOPE}/ENC_RNN_mu/super_linear_b"]
        presig = (tf.matmul(last_h, v[f"{SCOPE}/ENC_RNN_sigma/super_linear_w"])
                  + v[f"{SCOPE}/ENC_RNN_sigma/super_linear_b"])
        return mu, presig

    def _dropout_masks(self, steps: tf.Tensor, batch: tf.Tensor, units: int, count: int,
                       seed: tf.Tensor | None) -> list[tf.Tensor] | None:
        """Recurrent-dropout masks on the cell candidate ``g`` (magenta's ``tf.nn.dropout`` of tanh(j))."""
        if seed is None or not self.hps.use_recurrent_dropout:
            return None
        return [keep_mask(tf.stack([steps, batch, units]), self.hps.recurrent_dropout_prob, seed + i)
                for i in range(count)]

    def _initial_state(self, z: tf.Tensor) -> tf.Tensor:
        if not self.hps.conditional:
            return tf.zeros([tf.shape(z)[0], self.dec.state_size])
        v = self.variables
        return tf.tanh(tf.matmul(z, v[f"{SCOPE}/linear/super_linear_w"]) + v[f"{SCOPE}/linear/super_linear_b"])

    def _z_projection(self, z: tf.Tensor) -> tf.Tensor:
        if not self.hps.conditional:
            return tf.zeros([tf.shape(z)[0], 1])
        return self.dec.project(z, slice(5, None))

    def decoder_outputs(self, inputs: tf.Tensor, z: tf.Tensor, dropout_seed: tf.Tensor | None = None) -> tf.Tensor:
        """Teacher-forced decoder: inputs (B, T, 5) -> raw outputs (B, T, 3 + 6M).

        With a ``dropout_seed`` (training) it applies the dropouts the hparams ask
        for: recurrent, and magenta's ``DropoutWrapper`` on the decoder cell's input
        ([stroke-5, z] at each step) and output, a fresh mask at every step.

        Parameters
        ----------
        inputs, z, dropout_seed
            (B, T, 5) stroke-5, start token first; (B, z_size) latents; the dropouts' seed (None: no dropout).
        """
        hps = self.hps
        x = tf.transpose(inputs, [1, 0, 2])
        steps, batch = tf.shape(x)[0], tf.shape(x)[1]
        if dropout_seed is not None and hps.use_input_dropout:
            if hps.conditional:  # z joins the input before the mask, so it is projected per step here
                x = tf.concat([x, tf.broadcast_to(z[None], [steps, batch, hps.z_size])], axis=2)
            x = x * keep_mask(tf.shape(x), hps.input_dropout_prob, dropout_seed + 11)
            proj = self.dec.project(x)
        else:
            proj = self.dec.project(x, slice(0, 5)) + self._z_projection(z)[None]
        state0 = self._initial_state(z)
        hidden = hps.dec_rnn_size
        drops = self._dropout_masks(steps, batch, hidden, 1, dropout_seed)

        def body(carry, elems):
            return self.dec.step(elems[0], carry[1], elems[1] if drops is not None else None)

        elems = (proj,) + (tuple(drops) if drops is not None else ())
        outputs, _ = tf.scan(body, elems, initializer=(tf.zeros([batch, hidden]), state0))
        if dropout_seed is not None and hps.use_output_dropout:
            outputs = outputs * keep_mask(tf.shape(outputs), hps.output_dropout_prob, dropout_seed + 13)
        out = tf.tensordot(outputs, self.variables[f"{SCOPE}/RNN/output_w"], axes=1) \
            + self.variables[f"{SCOPE}/RNN/output_b"]
        return tf.transpose(out, [1, 0, 2])

    def _forward_graph(self, data: tf.Tensor, z: tf.Tensor):
        out = self.decoder_outputs(data[:, :-1], z)
        mix = split_mixture(out, self.hps.num_mixture)
        offset, pen = reconstruction_terms(mix, data[:, 1:])
        return out, offset, pen

    def _decode_graph(self, z: tf.Tensor, temperature: tf.Tensor, softmax_temperature: tf.Tensor,
                      greedy: tf.Tensor, seed: tf.Tensor, max_len: tf.Tensor):
        batch = tf.shape(z)[0]
        zproj = self._z_projection(z)
        w_in = self.dec.var("W_xh")[:5]
        if self.dec.kind == "hyper":
            w_in = tf.concat([w_in, self.dec.hyper.var("W_xh")[:5]], axis=1)
        out_w, out_b = self.variables[f"{SCOPE}/RNN/output_w"], self.variables[f"{SCOPE}/RNN/output_b"]
        m = self.hps.num_mixture
        prev = tf.tile(tf.constant([[0.0, 0.0, 1.0, 0.0, 0.0]]), [batch, 1])
        done = tf.zeros([batch], tf.bool)
        lengths = tf.fill([batch], max_len)
        strokes = tf.TensorArray(tf.float32, size=max_len)
        rows = tf.range(batch)

        def cond(t, *_):
            return tf.logical_and(t < max_len, tf.logical_not(tf.reduce_all(done)))

        def body(t, prev, state, done, lengths, strokes):
            h, state = self.dec.step(tf.matmul(prev, w_in) + zproj, state)
            mix = split_mixture(tf.matmul(h, out_w) + out_b, m)
            step_seed = tf.stack([seed, t])
            u = tf.random.stateless_uniform([batch, 2], step_seed)
            e = tf.random.stateless_normal([batch, 2], step_seed + tf.constant([0, 1 << 20]))
            # Temperature: magenta divides log-probabilities by tau and scales sigma by tau.
            idx = sample_index(mix["pi_logits"], softmax_temperature, greedy, u[:, 0])
            pen_idx = sample_index(mix["pen_logits"], softmax_temperature, greedy, u[:, 1])
            pick = tf.stack([rows, idx], axis=1)
            mu1, mu2 = tf.gather_nd(mix["mu1"], pick), tf.gather_nd(mix["mu2"], pick)
            s1 = tf.gather_nd(mix["sigma1"], pick) * temperature
            s2 = tf.gather_nd(mix["sigma2"], pick) * temperature
            rho = tf.gather_nd(mix["corr"], pick)
            noise = tf.cast(tf.logical_not(greedy), tf.float32)
            x1 = mu1 + noise * s1 * e[:, 0]
            x2 = mu2 + noise * s2 * (rho * e[:, 0] + tf.sqrt(1 - rho * rho) * e[:, 1])
            row = tf.concat([tf.stack([x1, x2], axis=1), tf.one_hot(pen_idx, 3)], axis=1)
            ended = tf.logical_and(tf.logical_not(done), tf.equal(pen_idx, 2))
            lengths = tf.where(ended, t, lengths)
            row = tf.where(done[:, None], tf.zeros_like(row), row)
            strokes = strokes.write(t, row)
            return t + 1, row, state, tf.logical_or(done, ended), lengths, strokes

        t, _, _, _, lengths, strokes = tf.while_loop(
            cond, body, (tf.constant(0), prev, self._initial_state(z), done, lengths, strokes))
        return tf.transpose(strokes.stack()[:t], [1, 0, 2]), lengths

    def to_model_units(self, sketches: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Data-unit stroke-3 -> model units: offsets divided by the scale factor, pen bits unchanged."""
        scale = np.array([1 / self.scale_factor, 1 / self.scale_factor, 1], np.float32)
        return [np.asarray(s, np.float32) * scale for s in sketches]

    def _batches(self, sketches: Sequence[np.ndarray], batch_size: int):
        """Yield (indices, padded stroke-5 data, lengths), grouping similar lengths to cut padding."""
        for s in sketches:
            if len(s) > self.hps.max_seq_len:
                raise LatentlabError(f"sketch of {len(s)} points exceeds the model's "
                                     f"max_seq_len={self.hps.max_seq_len}")
            if len(s) == 0:
                raise LatentlabError("cannot encode an empty sketch")
        order = np.argsort([len(s) for s in sketches], kind="stable")
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            chunk = self.to_model_units([sketches[i] for i in idx])
            data, lengths = pad_batch(chunk, max(len(s) for s in chunk))
            yield idx, data, lengths

    def encode(self, sketches: Sequence[np.ndarray], seed: int | Sequence[int] = 0,
               batch_size: int = 64, deterministic: bool = False) -> Encoding:
        """Encode stroke-3 sketches (data units) to the posterior's mu, presig and a seeded sample z.

        Parameters
        ----------
        sketches
            Stroke-3 arrays ``(n_i, 3)`` in data units.
        seed
            Seed (or seed sequence) of the noise in ``z = mu + sigma * eps``; the noise of sketch ``i``
            depends only on the seed and ``i``, never on batching.
        batch_size
            Sketches run through the encoder together.
        deterministic
            Return ``z = mu`` (no sampling).

        Returns
        -------
        An :class:`Encoding` with ``mu``, ``presig``, ``sigma`` and ``z``, each (n, z_size).
        """
        if not self.hps.conditional:
            raise LatentlabError("this model is unconditional (decoder only): it has no encoder")
        n = len(sketches)
        mu = np.zeros((n, self.hps.z_size), np.float32)
        presig = np.zeros_like(mu)
        for idx, data, lengths in self._batches(sketches, batch_size):
            m, p = self._encode_fn(tf.constant(data[:, 1:]), tf.constant(lengths))
            mu[idx], presig[idx] = m.numpy(), p.numpy()
        if deterministic:
            return Encoding(mu, presig, mu.copy())
        eps = np.random.default_rng(seed).standard_normal(mu.shape).astype(np.float32)
        return Encoding(mu, presig, mu + np.exp(presig / 2.0) * eps)

    def decode(self, z: np.ndarray | None = None, *, temperature: float = 0.6, greedy: bool = False,
               seed: int = 0, n: int | None = None, max_len: int | None = None,
               batch_size: int = 512, softmax_temperature: float | str | None = None) -> list[np.ndarray]:
        """Sample one stroke-3 sketch (data units) per row of ``z``, every row in one loop.

        Each sketch stops at its own end-of-sketch token (or at ``max_len``).  The same z, seed and rows give the
        same sketches; a row decoded in a batch of another size can differ slightly (float32 products over another
        shape), and a small difference can send a sampled decode elsewhere.

        Parameters
        ----------
        z
            Latent vectors (n, z_size); unconditional models take ``n`` instead.
        temperature
            Sampling temperature tau: scales the offsets' sigma and, by default, the two categorical choices.
        greedy
            Take the most likely strokes instead of sampling.
        seed
            Sampling seed.
        n
            How many sketches an unconditional model draws.
        max_len
            Longest decode (default the model's max_seq_len).
        batch_size
            Rows decoded together.
        softmax_temperature
            Temperature of the mixture and pen-state choices: None (``temperature``, magenta's sampler), ``"js"``
            (sketch-rnn-js's ``0.5 + 0.5 * temperature``) or a number; see :func:`softmax_temperature_for`.

        Returns
        -------
        A list of stroke-3 arrays, one per row.
        """
        if z is None:
            if self.hps.conditional:
                raise LatentlabError("a conditional model needs z to decode")
            z = np.zeros((n or 1, self.hps.z_size), np.float32)
        z = np.atleast_2d(np.asarray(z, np.float32))
        if z.shape[1] != self.hps.z_size:
            raise LatentlabError(f"z has {z.shape[1]} dimensions, the model expects {self.hps.z_size}")
        if not greedy:
            temperature = check_temperature(temperature)
        softmax_temperature = softmax_temperature_for(temperature, softmax_temperature)
        out: list[np.ndarray] = []
        for start in range(0, len(z), batch_size):
            strokes, lengths = self._decode_fn(
                tf.constant(z[start:start + batch_size]), tf.constant(max(temperature, 1e-6), tf.float32),
                tf.constant(max(softmax_temperature, 1e-6), tf.float32), tf.constant(greedy),
                tf.constant(seed + start, tf.int32),
                tf.constant(max_len or self.hps.max_seq_len, tf.int32))
            strokes, lengths = strokes.numpy(), lengths.numpy()
            for row, length in zip(strokes, lengths):
                sketch = np.column_stack([row[:length, :2] * self.scale_factor, row[:length, 3]])
                out.append(sketch.astype(np.float32))
        return out

    def teacher_forced(self, data: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-step offset NLL and pen cross-entropy of a teacher-forced batch.

        Parameters
        ----------
        data, z
            Padded stroke-5 sketches in model units (B, max_seq_len + 1, 5), and their latent vectors (B, z_size).
        """
        _, offset, pen = self._forward_fn(tf.constant(data), tf.constant(z))
        return offset.numpy(), pen.numpy()

    def mixture_params(self, sketches: Sequence[np.ndarray], z: np.ndarray | None = None) -> MixtureParams:
        """Teacher-forced mixture parameters; see :func:`latentlab.model.likelihood.mixture_params`."""
        return likelihood.mixture_params(self, sketches, z)

    def log_likelihood(self, sketches: Sequence[np.ndarray], seed: int = 0, deterministic: bool = False,
                       batch_size: int = 100) -> dict[str, np.ndarray]:
        """Per-sketch ``Lr`` and ``Lkl``; see :func:`latentlab.model.likelihood.log_likelihood`."""
        return likelihood.log_likelihood(self, sketches, seed=seed, deterministic=deterministic,
                                         batch_size=batch_size)

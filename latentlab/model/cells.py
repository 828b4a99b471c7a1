"""Magenta's three SketchRNN cells in TensorFlow 2, same math and state layouts.

Each cell splits its work in two: :meth:`project` maps a whole input sequence through the input weights at once (one
big GEMM instead of one per step), and :meth:`step` does the recurrent part.  State layouts follow magenta exactly:
``lstm`` is ``[c, h]``, ``layer_norm`` is ``[h, c]``, ``hyper`` is ``[h, h_hyper, c, c_hyper]``.
"""
from __future__ import annotations

from typing import Callable, Mapping

from latentlab.model.layout import FORGET_BIAS, GATES, HYPER_UNITS, LN_EPSILON, SCOPES
from latentlab.model.tfquiet import tf


def _layer_norm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, groups: int) -> tf.Tensor:
    """Normalise each of ``groups`` equal slices of the last axis, then scale and shift."""
    shape = tf.shape(x)
    grouped = tf.reshape(x, [shape[0], groups, -1])
    mean = tf.reduce_mean(grouped, axis=2, keepdims=True)
    var = tf.reduce_mean(tf.square(grouped - mean), axis=2, keepdims=True)
    normed = tf.reshape((grouped - mean) * tf.math.rsqrt(var + LN_EPSILON), shape)
    return gamma * normed + beta


def _gates_to_state(gates: tf.Tensor, c: tf.Tensor, drop: tf.Tensor | None,
                    squash: Callable[[tf.Tensor], tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
    i, j, f, o = tf.split(gates, 4, axis=1)
    g = tf.tanh(j) if drop is None else tf.tanh(j) * drop
    new_c = c * tf.sigmoid(f + FORGET_BIAS) + tf.sigmoid(i) * g
    return tf.tanh(squash(new_c)) * tf.sigmoid(o), new_c


class Cell:
    """Interface shared by the three cells; ``weights`` maps official names to tensors."""

    kind = ""

    def __init__(self, weights: Mapping[str, tf.Tensor], prefix: str, num_units: int) -> None:
        self.w = weights
        self.prefix = prefix
        self.num_units = num_units

    def var(self, name: str) -> tf.Tensor:
        """The weight ``name`` of this cell."""
        return self.w[f"{self.prefix}/{name}"]

    @property
    def state_size(self) -> int:
        """Size of the state vector (h and c, and the hyper network's)."""
        return 2 * self.num_units

    def project(self, x: tf.Tensor, rows: slice = slice(None)) -> tf.Tensor:
        """Input contribution of ``x`` (any leading axes) using rows ``rows`` of ``W_xh``.

        Parameters
        ----------
        x
            Inputs (..., input size).
        rows
            Which rows of ``W_xh`` (a slice of the input).
        """
        return tf.tensordot(x, self.var("W_xh")[rows], axes=1)

    def output(self, state: tf.Tensor) -> tf.Tensor:
        """The cell's output (h) from its state."""
        raise NotImplementedError

    def step(self, xw: tf.Tensor, state: tf.Tensor, drop: tf.Tensor | None = None
             ) -> tuple[tf.Tensor, tf.Tensor]:
        """One step: the state after input projection ``x``.

        Parameters
        ----------
        xw
            The input projection.
        state
            The state before.
        drop
            Recurrent dropout mask, or None.
        """
        raise NotImplementedError


class LSTMCell(Cell):
    """Magenta's LSTM cell (``lstm``)."""
    kind = "lstm"

    def output(self, state: tf.Tensor) -> tf.Tensor:
        """The cell's output (h) from its state."""
        return state[:, self.num_units:]

    def step(self, xw, state, drop=None):
        """One step: the state after input projection ``x``.

        Parameters
        ----------
        xw
            The input projection.
        state
            The state before.
        drop
            Recurrent dropout mask, or None.
        """
        c, h = tf.split(state, 2, axis=1)
        gates = xw + tf.matmul(h, self.var("W_hh")) + self.var("bias")
        new_h, new_c = _gates_to_state(gates, c, drop, lambda t: t)
        return new_h, tf.concat([new_c, new_h], axis=1)


class LayerNormLSTMCell(Cell):
    """Magenta's layer-normalised LSTM cell (``layer_norm``)."""
    kind = "layer_norm"

    def output(self, state: tf.Tensor) -> tf.Tensor:
        """The cell's output (h) from its state."""
        return state[:, :self.num_units]

    def step(self, xw, state, drop=None):
        """One step: the state after input projection ``x``.

        Parameters
        ----------
        xw
            The input projection.
        state
            The state before.
        drop
            Recurrent dropout mask, or None.
        """
        h, c = tf.split(state, 2, axis=1)
        gates = _layer_norm(xw + tf.matmul(h, self.var("W_hh")),
                            self.var("ln_all/ln_gamma"), self.var("ln_all/ln_beta"), 4)
        new_h, new_c = _gates_to_state(
            gates, c, drop, lambda t: _layer_norm(t, self.var("ln_c/ln_gamma"), self.var("ln_c/ln_beta"), 1))
        return new_h, tf.concat([new_h, new_c], axis=1)


class HyperLSTMCell(Cell):
    """HyperLSTM (layer norm on, 256 hyper units, 32-d embeddings), as magenta builds it."""

    kind = "hyper"

    def __init__(self, weights, prefix, num_units):
        super().__init__(weights, prefix, num_units)
        self.hyper = LayerNormLSTMCell(weights, f"{prefix}/LayerNormLSTMCell", HYPER_UNITS)
        self.input_size = int(self.var("W_xh").shape[0])

    @property
    def state_size(self) -> int:
        """Size of the state vector: the main cell's and the hyper network's."""
        return 2 * (self.num_units + HYPER_UNITS)

    def project(self, x, rows=slice(None)):
        # The hyper cell sees concat([x, h]): its x rows are projected here too.
        """The main cell's input projection, scaled by the hyper network.

        Parameters
        ----------
        x
            Inputs (..., input size).
        rows
            Which rows of ``W_xh``.
        """
        n_in = self.input_size
        start, stop, _ = rows.indices(n_in)
        main = tf.tensordot(x, self.var("W_xh")[start:stop], axes=1)
        hyper = tf.tensordot(x, self.hyper.var("W_xh")[start:stop], axes=1)
        return tf.concat([main, hyper], axis=-1)

    def output(self, state):
        """The cell's output (h) from its state."""
        return state[:, :self.num_units]

    def _hyper_norm(self, hyper_out: tf.Tensor, layer: tf.Tensor, scope: str, use_bias: bool) -> tf.Tensor:
        zw = tf.matmul(hyper_out, self.var(f"{scope}/zw/super_linear_w")) + self.var(f"{scope}/zw/super_linear_b")
        result = tf.matmul(zw, self.var(f"{scope}/alpha/super_linear_w")) * layer
        if use_bias:
            zb = tf.matmul(hyper_out, self.var(f"{scope}/zb/super_linear_w"))
            result += tf.matmul(zb, self.var(f"{scope}/beta/super_linear_w"))
        return result

    def step(self, xw, state, drop=None):
        """One step: the state after input ``x``.

        Parameters
        ----------
        xw
            The input.
        state
            The state before.
        drop
            Recurrent dropout mask, or None.
        """
        n = self.num_units
        total_h, total_c = tf.split(state, 2, axis=1)
        h, c = total_h[:, :n], total_c[:, :n]
        hyper_state = tf.concat([total_h[:, n:], total_c[:, n:]], axis=1)
        xh, hyper_xw = xw[:, :4 * n], xw[:, 4 * n:]
        hyper_xw = hyper_xw + tf.matmul(h, self.hyper.var("W_xh")[self.input_size:])
        hyper_out, hyper_state = self.hyper.step(hyper_xw, hyper_state)
        hh = tf.matmul(h, self.var("W_hh"))
        parts = []
        for gate, x_part, h_part, b_part in zip(GATES, tf.split(xh, 4, axis=1), tf.split(hh, 4, axis=1),
                                                tf.split(self.var("bias"), 4)):
            parts.append(self._hyper_norm(hyper_out, x_part, f"hyper_{gate}x", False)
                         + self._hyper_norm(hyper_out, h_part, f"hyper_{gate}h", True) + b_part)
        gates = _layer_norm(tf.concat(parts, axis=1), self.var("ln_all/ln_gamma"), self.var("ln_all/ln_beta"), 4)
        new_h, new_c = _gates_to_state(
            gates, c, drop, lambda t: _layer_norm(t, self.var("ln_c/ln_gamma"), self.var("ln_c/ln_beta"), 1))
        hyper_h, hyper_c = tf.split(hyper_state, 2, axis=1)
        return new_h, tf.concat([new_h, hyper_h, new_c, hyper_c], axis=1)


CELLS: dict[str, type[Cell]] = {c.kind: c for c in (LSTMCell, LayerNormLSTMCell, HyperLSTMCell)}
def make_cell(kind: str, weights: Mapping[str, tf.Tensor], prefix: str, num_units: int) -> Cell:
    """The cell of ``kind`` (``lstm``, ``layer_norm``, ``hyper``) named ``prefix`` in ``weights``.

    Parameters
    ----------
    kind
        ``lstm``, ``layer_norm`` or ``hyper``.
    weights
        The model's weights by name.
    prefix
        The cell's variable scope.
    num_units
        Its size.
    """
    return CELLS[kind](weights, f"{prefix}/{SCOPES[kind]}", num_units)

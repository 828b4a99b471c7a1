"""The JAX engine computes what the TensorFlow trainer computes, and shares its training folders."""
import json
import time

import numpy as np
import pytest

jax = pytest.importorskip("jax")
pytestmark = pytest.mark.training

from helpers import TINY  # noqa: E402

from latentlab.io.datasets import load_dataset  # noqa: E402
from latentlab.train.batches import batch_arrays  # noqa: E402
from latentlab.model.checkpoint import read_state  # noqa: E402
from latentlab.model.runtime import SketchRNN  # noqa: E402
from latentlab.train.export import export_model  # noqa: E402
from latentlab.train.tf import Trainer, train_tf as train  # noqa: E402
from latentlab.train.jax import JaxTrainer, encode, r_cost, train_jax  # noqa: E402
from latentlab.train.log import read_log  # noqa: E402
from latentlab.train.loop import train_loop  # noqa: E402
from latentlab.train.state import init_weights  # noqa: E402

tf = pytest.importorskip("tensorflow")


def _batch(data_path, n=8):
    ds = load_dataset(data_path, quiet=True)
    sketches = ds["train"].sketches[-n:]  # the longest of the subset: lengths differ, padding matters
    data, lengths = batch_arrays(sketches, ds.scale_factor, max(len(s) for s in sketches) + 5)
    return ds, data, lengths


def _weights(hps, seed=0):
    """Initial weights, perturbed so no block is zero, orthogonal or otherwise special."""
    rng = np.random.default_rng(seed)
    return {k: (v + rng.normal(0, 0.1, v.shape)).astype(np.float32) for k, v in init_weights(hps, seed).items()}


def test_jax_encoder_loss_and_gradients_match_tensorflow(subset):
    ds, data, lengths = _batch(subset)
    hps = TINY.replace(max_seq_len=ds.max_seq_len)
    weights = _weights(hps)
    model = SketchRNN(hps, weights, ds.scale_factor)
    mu, presig = model.encoder_outputs(tf.constant(data[:, 1:]), tf.constant(lengths))
    jmu, jpresig = encode(weights, hps, data[:, 1:], lengths)
    np.testing.assert_allclose(jmu, mu.numpy(), atol=2e-5)
    np.testing.assert_allclose(jpresig, presig.numpy(), atol=2e-5)
    z = np.random.default_rng(1).normal(size=mu.shape).astype(np.float32)
    trainer = Trainer(model)
    with tf.GradientTape() as tape:
        theirs = trainer.r_cost(tf.constant(data), tf.constant(z))
    tf_grads = dict(zip(trainer.names, tape.gradient(theirs, trainer.vars)))
    ours, grads = jax.value_and_grad(lambda w: r_cost(w, hps, data, z))(weights)
    assert float(ours) == pytest.approx(float(theirs), rel=1e-5)
    assert set(grads) == set(tf_grads)
    for name, g in grads.items():  # TensorFlow has no gradient where z cuts the graph: the encoder's
        expected = np.zeros_like(g) if tf_grads[name] is None else tf_grads[name].numpy()
        np.testing.assert_allclose(g, expected, rtol=2e-3, atol=2e-6, err_msg=name)
    assert sum(g is not None for g in tf_grads.values()) >= 5


def test_jax_adam_steps_match_tensorflow(subset):
    """No sampling anywhere (unconditional, no dropout): three steps of both engines agree, clipping included."""
    ds, data, lengths = _batch(subset)
    hps = TINY.replace(max_seq_len=ds.max_seq_len, conditional=False, use_recurrent_dropout=False,
                       grad_clip=0.05)
    weights = _weights(hps)
    theirs = Trainer(SketchRNN(hps, weights, ds.scale_factor))
    ours = JaxTrainer(hps, weights)
    seed = np.array([0, 0], np.int32)
    for step in range(3):
        tc, tr, _ = theirs.train_step(data, lengths, np.float32(0.01), np.float32(0.3), seed)
        oc, orr, _ = ours.train_step(data, lengths, 0.01, 0.3, seed)
        assert float(oc) == pytest.approx(float(tc), rel=1e-5) and float(orr) == pytest.approx(float(tr), rel=1e-5)
    after = ours.weights()
    moved = 0
    for name, value in theirs.weights().items():
        np.testing.assert_allclose(after[name], value, atol=2e-5, err_msg=name)
        moved += not np.allclose(value, weights[name])
    assert moved == len(weights)
    assert set(ours.slots()) == set(theirs.slots())


def test_jax_engine_trains_and_shares_folders_with_tensorflow(subset, tmp_path):
    messages = []
    train_jax(subset, tmp_path / "run", TINY, steps=60, save_every=20, log=messages.append)
    recon = [r["recon"] for r in read_log(tmp_path / "run") if "recon" in r]
    assert recon[-1] < recon[0] - 0.1  # it learns
    assert (tmp_path / "run" / "vector-60.npz").is_file() and (tmp_path / "run" / "best").is_dir()
    _, slots, step = read_state(tmp_path / "run")
    assert step == 60 and any(n.endswith("/Adam_1") for n in slots)
    # TensorFlow resumes the JAX folder, Adam state included...
    messages.clear()
    train(subset, tmp_path / "run", TINY, steps=70, log=messages.append)
    assert any("at step 60" in m for m in messages) and not any("no optimizer slots" in m for m in messages)
    assert read_state(tmp_path / "run")[2] == 70
    # ...and JAX resumes TensorFlow's, then exports like any folder
    train_jax(subset, tmp_path / "run", TINY, steps=80, log=messages.append)
    assert read_state(tmp_path / "run")[2] == 80
    model = SketchRNN.load(export_model(tmp_path / "run", tmp_path / "model"))
    assert model.step == 80 and list((tmp_path / "model").glob("vector-80.index"))
    best = json.loads((export_model(tmp_path / "run", tmp_path / "best", best=True) / "model_info.json").read_text())
    valid = [r for r in read_log(tmp_path / "run") if "valid_recon" in r]
    assert best["steps"] == min(valid, key=lambda r: r["valid_recon"])["step"]


def test_the_class_head_costs_the_same_in_both_engines(subset):
    """The head's cross-entropy is computed from mu (no sampling): both engines give it for the same weights."""
    from latentlab.train.classes import head_weights

    ds, data, lengths = _batch(subset)
    hps = TINY.replace(max_seq_len=ds.max_seq_len, use_recurrent_dropout=False)
    weights = head_weights(_weights(hps), hps.z_size, 3, seed=0)
    labels = np.arange(len(lengths), dtype=np.int32) % 3
    theirs = Trainer(SketchRNN(hps, {k: v for k, v in weights.items() if "class_head" not in k}, ds.scale_factor),
                     {k: v for k, v in weights.items() if "class_head" in k})
    ours = JaxTrainer(hps, weights)
    seed = np.array([0, 0], np.int32)
    t_out = theirs.train_step(data, lengths, np.float32(0.01), np.float32(0.3), seed, labels, 1.0)
    o_out = ours.train_step(data, lengths, 0.01, 0.3, seed, labels, 1.0)
    assert len(t_out) == len(o_out) == 4
    assert float(o_out[3]) == pytest.approx(float(t_out[3]), rel=1e-5) and float(o_out[3]) > 0.5
    assert set(ours.weights()) == set(theirs.weights())  # the head travels with the weights in both


class _Waits:
    """A step's output that takes ``seconds`` to read, as one still running on a GPU does."""

    def __init__(self, value, seconds: float) -> None:
        self.value, self.seconds = value, seconds

    def __float__(self) -> float:
        time.sleep(self.seconds)
        return float(self.value)


class _DeviceBound(JaxTrainer):
    def train_step(self, *args, **kwargs):
        cost, *rest = super().train_step(*args, **kwargs)
        return (_Waits(cost, 0.05), *rest)


def test_the_logged_rate_counts_the_time_an_asynchronous_engine_is_waited_for(subset, tmp_path):
    train_loop(lambda hps, weights, factor: _DeviceBound(hps, weights), subset, tmp_path / "run", TINY, steps=40,
               save_every=40, log=lambda m: None)
    rates = [r["s_per_step"] for r in read_log(tmp_path / "run") if "s_per_step" in r]
    assert len(rates) == 2 and min(rates) >= 0.05

"""The TF2 runtime and trainer against magenta's own graph, on small models with random weights."""
import numpy as np
import pytest
import tensorflow as tf

from latentlab.io.strokes import from_stroke5, pad_batch
from latentlab.model.config import HParams
from latentlab.model.runtime import SketchRNN

magenta_ref = pytest.importorskip("helpers.magenta_ref", reason="needs magenta (make install)")

CASES = [(cell, cond) for cell in ("lstm", "layer_norm", "hyper") for cond in (True, False)]


def small_hps(cell: str, conditional: bool) -> HParams:
    return HParams(enc_model=cell, dec_model=cell, enc_rnn_size=16, dec_rnn_size=24, z_size=8, num_mixture=3,
                   max_seq_len=40, conditional=conditional)


@pytest.fixture(scope="module", params=CASES, ids=[f"{c}-{'cond' if k else 'uncond'}" for c, k in CASES])
def pair(request, tmp_path_factory):
    cell, cond = request.param
    d = tmp_path_factory.mktemp(f"{cell}{cond}")
    ref = magenta_ref.MagentaReference(small_hps(cell, cond), d, batch_size=6)
    return ref, SketchRNN.load(d)


def test_encoder_matches_magenta(pair, sheep_small):
    ref, rt = pair
    if not ref.hps.conditional:
        pytest.skip("unconditional models have no encoder")
    mu, presig = ref.encode(sheep_small)
    enc = rt.encode(sheep_small)
    assert np.abs(mu - enc.mu).max() <= 1e-4
    assert np.abs(presig - enc.presig).max() <= 1e-4
    assert np.abs(mu).max() > 0.05  # the comparison is not between two near-zero tensors


def test_decoder_mixture_params_match_magenta(pair, sheep_small):
    ref, rt = pair
    z = np.random.default_rng(1).normal(size=(6, 8)).astype(np.float32)
    theirs, _ = ref.mixture(sheep_small, z)
    ours = rt.mixture_params(sheep_small, z)
    for name, value in theirs.items():
        assert np.abs(value - getattr(ours, name)).max() <= 1e-4, name


def test_greedy_decode_matches_magenta_sample(pair):
    ref, rt = pair
    z = np.random.default_rng(2).normal(size=(1, 8)).astype(np.float32)
    theirs = from_stroke5(ref.greedy_sample(z[0] if ref.hps.conditional else None, 40))
    ours = rt.decode(z, greedy=True)[0]
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_trainer_loss_matches_magenta_r_cost(pair, sheep_small):
    """Same weights, same batch, same z: latentlab's training loss equals magenta's r_cost (is_training=1)."""
    from latentlab.train.tf import Trainer

    ref, rt = pair
    data, lengths = pad_batch(sheep_small, ref.hps.max_seq_len)
    z = np.random.default_rng(3).normal(size=(6, 8)).astype(np.float32)
    theirs = ref.train_r_cost(sheep_small, z)
    trainer = Trainer(rt)
    ours = trainer.r_cost(tf.constant(data), tf.constant(z))
    assert abs(float(ours) - theirs) <= 1e-4 * max(1.0, abs(theirs))

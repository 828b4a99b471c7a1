"""Loading rules, errors and batching behaviour of the runtime (small models, no magenta needed)."""
import json
import shutil

import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.model.checkpoint import read_checkpoint, write_checkpoint
from latentlab.model.config import HParams, load_config, parse_hparams, save_config
from latentlab.model.runtime import SketchRNN
from latentlab.model.temperature import softmax_temperature_for
from latentlab.train.state import init_weights


@pytest.fixture
def small_dir(tmp_path):
    hps = HParams(enc_rnn_size=16, dec_rnn_size=24, z_size=8, num_mixture=3, max_seq_len=250)
    weights = init_weights(hps, seed=0)
    rng = np.random.default_rng(0)
    weights = {k: v + rng.normal(0, 0.2, v.shape).astype(np.float32) for k, v in weights.items()}
    write_checkpoint(tmp_path, weights, 12)
    save_config(hps, tmp_path)
    (tmp_path / "model_info.json").write_text(json.dumps({"scale_factor": 18.5}))
    return tmp_path


def test_official_configs_load_with_integer_flags(shared):
    for name in ("owl/lstm", "catbus/lstm", "flamingo/lstm_uncond"):
        hps = load_config(shared / "models/magenta-official-configs" / name)
        assert isinstance(hps.conditional, bool) and isinstance(hps.use_recurrent_dropout, bool)
    assert load_config(shared / "models/magenta-official-configs/owl/lstm").max_seq_len == 174
    assert load_config(shared / "models/magenta-official-configs/flamingo/lstm_uncond").conditional is False


def test_official_variable_layout_matches_ours(shared):
    """Names and shapes of our model equal those in magenta's released checkpoints' index files."""
    import tensorflow as tf

    from latentlab.model.layout import variable_shapes

    for name in ("owl/lstm", "flamingo/lstm_uncond"):
        folder = shared / "models/magenta-official-configs" / name
        theirs = {n: tuple(s) for n, s in tf.train.list_variables(str(folder / "vector"))
                  if not n.endswith(("Adam", "Adam_1", "power", "global_step")) and "/Variable" not in n}
        assert variable_shapes(load_config(folder)) == theirs


def test_boolean_and_broken_list_configs(tmp_path):
    (tmp_path / "model_config.json").write_text(json.dumps({"conditional": False, "use_recurrent_dropout": True,
                                                            "dec_rnn_size": 64}))
    hps = load_config(tmp_path)
    assert hps.conditional is False and hps.dec_rnn_size == 64
    (tmp_path / "model_config.json").write_text(json.dumps(["data_set", "num_steps", "max_seq_len"]))
    with pytest.warns(UserWarning, match="broken list-of-keys config magenta 2.1.4"):
        assert load_config(tmp_path) == HParams()
    (tmp_path / "model_config.json").write_text(json.dumps({"dec_model": "gru"}))
    with pytest.raises(LatentlabError, match="unknown cell type dec_model='gru'"):
        load_config(tmp_path)
    (tmp_path / "model_config.json").write_text(json.dumps({"conditional": "maybe"}))
    with pytest.raises(LatentlabError, match="conditional must be 0/1 or a boolean"):
        load_config(tmp_path)


def test_save_config_writes_official_style(tmp_path):
    save_config(parse_hparams("conditional=0,dec_rnn_size=256"), tmp_path)
    values = json.loads((tmp_path / "model_config.json").read_text())
    assert values["conditional"] == 0 and values["is_training"] == 1 and values["dec_rnn_size"] == 256
    with pytest.raises(LatentlabError, match="unknown hyperparameter 'dec_size'"):
        parse_hparams("dec_size=3")


def test_checkpoint_errors(small_dir, tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty")
    (empty / "model_config.json").write_text((small_dir / "model_config.json").read_text())
    with pytest.raises(LatentlabError, match="no checkpoint found"):
        SketchRNN.load(empty)
    corrupt = tmp_path_factory.mktemp("corrupt")
    shutil.copytree(small_dir, corrupt, dirs_exist_ok=True)
    data = next(corrupt.glob("vector-12.data*"))
    data.write_bytes(data.read_bytes()[:100])
    with pytest.raises(LatentlabError, match="corrupt checkpoint"):
        SketchRNN.load(corrupt)
    mismatch = tmp_path_factory.mktemp("mismatch")
    shutil.copytree(small_dir, mismatch, dirs_exist_ok=True)
    save_config(load_config(small_dir).replace(dec_rnn_size=32), mismatch)
    with pytest.raises(LatentlabError, match=r"vector_rnn/RNN/LSTMCell/W_hh: checkpoint has shape \(24, 96\), "
                                             r"config needs \(32, 128\)"):
        SketchRNN.load(mismatch)


def test_weights_only_checkpoint_round_trip(small_dir):
    weights, step = read_checkpoint(small_dir)
    assert step == 12 and not any("Adam" in k for k in weights)
    model = SketchRNN.load(small_dir)
    for name, value in model.weights.items():
        np.testing.assert_array_equal(value, weights[name])


def test_encode_is_independent_of_batching(small_dir, sheep):
    model = SketchRNN.load(small_dir)
    sketches = sheep["test"].sketches[:37]
    a = model.encode(sketches, seed=5, batch_size=256)
    b = model.encode(sketches, seed=5, batch_size=8)
    np.testing.assert_allclose(a.mu, b.mu, atol=1e-5)
    np.testing.assert_allclose(a.z, b.z, atol=1e-5)
    single = model.encode(sketches[20:21]).mu[0]
    np.testing.assert_allclose(single, a.mu[20], atol=1e-5)
    np.testing.assert_allclose(a.sigma, np.exp(a.presig / 2))
    c = model.encode(sketches, seed=6)
    assert not np.allclose(a.z, c.z) and np.allclose(a.mu, c.mu)
    np.testing.assert_array_equal(model.encode(sketches, deterministic=True).z, a.mu)


def test_decode_batch_stops_per_sketch_and_is_seeded(small_dir):
    model = SketchRNN.load(small_dir)
    z = np.random.default_rng(0).normal(size=(16, 8)).astype(np.float32)
    a = model.decode(z, temperature=0.8, seed=3)
    b = model.decode(z, temperature=0.8, seed=3)
    assert len(a) == 16 and all(np.array_equal(x, y) for x, y in zip(a, b))
    lengths = {len(s) for s in a}
    assert len(lengths) > 1 and max(lengths) <= 250  # each sketch ends on its own token
    assert all(set(np.unique(s[:, 2])) <= {0.0, 1.0} for s in a)
    greedy = model.decode(z[:2], greedy=True)
    np.testing.assert_array_equal(greedy[0], model.decode(z[:1], greedy=True, seed=99)[0])
    with pytest.raises(LatentlabError, match="z has 3 dimensions, the model expects 8"):
        model.decode(np.zeros((1, 3)))


def test_softmax_temperature_sets_the_mixture_and_pen_choices(small_dir):
    """None: the choices at tau (magenta); "js": at 0.5 + 0.5 tau (sketch-rnn-js); a number: that."""
    model = SketchRNN.load(small_dir)
    z = np.random.default_rng(1).normal(size=(32, 8)).astype(np.float32)
    same = model.decode(z, temperature=0.1, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(same, model.decode(z, temperature=0.1, seed=2,
                                                                       softmax_temperature=0.1)))
    js = model.decode(z, temperature=0.1, seed=2, softmax_temperature="js")
    assert all(np.array_equal(a, b) for a, b in zip(js, model.decode(z, temperature=0.1, seed=2,
                                                                     softmax_temperature=0.55)))
    assert not all(len(a) == len(b) and np.allclose(a, b) for a, b in zip(same, js))
    assert softmax_temperature_for(0.1) == 0.1 and softmax_temperature_for(0.1, "js") == pytest.approx(0.55)
    with pytest.raises(LatentlabError, match="softmax_temperature 'hot': give a number, 'js' or None"):
        model.decode(z, softmax_temperature="hot")
    with pytest.raises(LatentlabError, match=r"softmax_temperature must be in \(0, 10\], got 0"):
        model.decode(z, softmax_temperature=0)
    for bad in (0, -1, float("nan"), float("inf"), 1e300):
        with pytest.raises(LatentlabError, match=r"temperature must be in \(0, 10\]"):
            model.decode(z, temperature=bad)


def test_log_likelihood_ranks_real_sketches_above_noise(small_dir, sheep):
    model = SketchRNN.load(small_dir)
    real = sheep["test"].sketches[:8]
    ll = model.log_likelihood(real, seed=0)
    assert ll["Lr"].shape == (8,) and np.all(np.isfinite(ll["Lr"])) and np.all(ll["Lkl"] >= 0)
    again = model.log_likelihood(real, seed=0)
    np.testing.assert_array_equal(ll["Lr"], again["Lr"])


def test_unconditional_rules(tmp_path):
    hps = HParams(dec_rnn_size=16, num_mixture=2, max_seq_len=20, conditional=False)
    write_checkpoint(tmp_path, init_weights(hps, 0), 1)
    save_config(hps, tmp_path)
    model = SketchRNN.load(tmp_path, scale_factor=1.0)
    assert len(model.decode(n=3, temperature=0.5)) == 3
    with pytest.raises(LatentlabError, match="unconditional"):
        model.encode([np.zeros((3, 3), np.float32)])
    with pytest.raises(LatentlabError, match="no model_info.json with the data's scale_factor"):
        SketchRNN.load(tmp_path)

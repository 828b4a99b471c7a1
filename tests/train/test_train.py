"""Both trainers on a small real subset: learning, resuming, exporting, and reading each other's checkpoints."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import TINY
from latentlab.errors import LatentlabError
from latentlab.model.checkpoint import read_checkpoint
from latentlab.model.config import load_config
from latentlab.model.runtime import SketchRNN
from latentlab.eval.card import write_card
from latentlab.train.export import export_model
from latentlab.train.tf import train_tf as train
from latentlab.train.log import read_log

pytestmark = pytest.mark.training


@pytest.fixture
def run(tiny_run):
    return tiny_run


def _copy(folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(folder, tmp_path / folder.name))


def test_the_trainer_learns_and_shows_the_time_left(run):
    folder, messages = run
    recon = [r["recon"] for r in read_log(folder) if "recon" in r and r["step"] <= 60]
    assert recon[-1] < recon[0] - 0.1  # it learns
    assert any(m.startswith("step 40:") and m.endswith(" to step 60") for m in messages)  # time left is shown


def test_a_resumed_run_continues_from_its_checkpoint_with_the_optimizer(run):
    import tensorflow as tf

    folder, messages = run
    after = messages[messages.index("-- resumed --"):]
    assert any("resuming from" in m and "at step 60" in m for m in after)
    assert read_checkpoint(folder)[1] == 80
    names = [n for n, _ in tf.train.list_variables(str(folder / "vector-80"))]
    assert any(n.endswith("/Adam") for n in names)  # training checkpoints keep the optimizer


def test_export_drops_the_optimizer_and_counts_training_time_only(run, tmp_path):
    import tensorflow as tf

    folder = _copy(run[0], tmp_path)
    # an hour's pause between the two runs is not training time: a log clock of one second a step
    rows = [{**r, "time": r["step"] + 3600 * (r["step"] > 60)} for r in read_log(folder)]
    (folder / "train_log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    steps = [r["step"] for r in rows]
    first_resumed = min(s for s in steps if s > 60)
    trained_s = (max(s for s in steps if s <= 60) - min(steps)) + (max(steps) - first_resumed)
    export_model(folder, tmp_path / "model")
    names = [n for n, _ in tf.train.list_variables(str(tmp_path / "model" / "vector-80"))]
    assert not any("Adam" in n or "power" in n for n in names)
    model = SketchRNN.load(tmp_path / "model")
    assert model.step == 80 and model.hps.enc_rnn_size == 16
    info = json.loads((tmp_path / "model" / "model_info.json").read_text())
    assert info["scale_factor"] > 0 and info["split_sizes"] == {"train": 200, "valid": 40, "test": 40}
    assert info["train_hours"] == pytest.approx(trained_s / 3600, abs=1e-4)
    assert read_log(tmp_path / "model") == [r for r in rows if r["step"] <= 80]  # the history travels with it


def test_the_best_export_is_the_lowest_validation_lr(run, tmp_path):
    valid = [r for r in read_log(run[0]) if "valid_recon" in r]
    best_step = min(valid, key=lambda r: r["valid_recon"])["step"]
    export_model(run[0], tmp_path / "best_model", best=True)
    best_info = json.loads((tmp_path / "best_model" / "model_info.json").read_text())
    assert SketchRNN.load(tmp_path / "best_model").step == best_step == best_info["steps"]
    assert best_info["checkpoint_choice"] == "lowest validation Lr"


def test_an_averaged_export_is_the_mean_of_the_newest_checkpoints(run, subset, tmp_path):
    import tensorflow as tf

    folder = _copy(run[0], tmp_path)
    export_model(folder, tmp_path / "avg_model", average=3)  # keep=3: steps 60, 70, 80
    kept = [tf.train.load_checkpoint(str(folder / f"vector-{s}")) for s in (60, 70, 80)]
    averaged = SketchRNN.load(tmp_path / "avg_model")
    for name, value in averaged.weights.items():
        assert value == pytest.approx(np.mean([r.get_tensor(name) for r in kept], axis=0), abs=1e-6)
    assert not np.allclose(averaged.weights[name], kept[-1].get_tensor(name))
    avg_info = json.loads((tmp_path / "avg_model" / "model_info.json").read_text())
    assert averaged.step == 80 and avg_info["checkpoint_choice"].endswith("steps 60-80")
    with pytest.raises(LatentlabError, match="3 checkpoint.s. saved on schedule to average, 4 asked for"):
        export_model(folder, tmp_path / "avg4", average=4)
    # a run that stops between saves (step 85) leaves a checkpoint that averaging leaves out
    messages: list[str] = []
    train(subset, folder, steps=85, keep=4, log=messages.append)
    assert read_checkpoint(folder)[1] == 85
    assert not any("hparams changed" in m for m in messages)  # resumed with the folder's own
    export_model(folder, tmp_path / "avg_model", average=3)
    assert SketchRNN.load(tmp_path / "avg_model").weights[name] == pytest.approx(averaged.weights[name])


def test_a_warm_start_from_a_model_continues_its_log_and_hours(tiny_model, subset, tmp_path):
    messages: list[str] = []
    train(subset, tmp_path / "again", steps=90, init_from=tiny_model, log=messages.append)  # its hparams
    assert any("warm start from" in m and "step 80" in m for m in messages)
    warm, step = read_checkpoint(tmp_path / "again")
    assert step == 90 and set(warm) == set(SketchRNN.load(tiny_model).weights)
    train(subset, tmp_path / "again", steps=90, log=messages.append)
    assert any(m.startswith("already at step 90") for m in messages)  # says why nothing happened
    again = read_log(tmp_path / "again")
    assert again[:len(read_log(tiny_model))] == read_log(tiny_model) and again[-1]["step"] == 90
    export_model(tmp_path / "again", tmp_path / "model2")
    hours = json.loads((tiny_model / "model_info.json").read_text())["train_hours"]
    assert json.loads((tmp_path / "model2" / "model_info.json").read_text())["train_hours"] >= hours


def test_a_model_without_its_log_passes_on_its_hours_and_changed_hparams_are_logged(tiny_model, subset, tmp_path):
    model = _copy(tiny_model, tmp_path)
    (model / "train_log.jsonl").unlink()
    messages: list[str] = []
    train(subset, tmp_path / "third", TINY.replace(kl_weight=0.25), steps=100, init_from=model, log=messages.append)
    assert "hparams changed at step 80: kl_weight 0.5 -> 0.25" in messages
    assert read_log(tmp_path / "third")[0]["hparams_changed"] == {"kl_weight": [0.5, 0.25]}
    assert min(r["step"] for r in read_log(tmp_path / "third") if "recon" in r) > 80
    export_model(tmp_path / "third", tmp_path / "model3")
    info = json.loads((model / "model_info.json").read_text())
    info3 = json.loads((tmp_path / "model3" / "model_info.json").read_text())
    assert info3["prior_train_hours"] == info["train_hours"] < info3["train_hours"]
    assert info3["warm_start"] == {"model": str(model), "step": 80}
    card = write_card(tmp_path / "model3", subset, n_figure=2).read_text()
    assert "before the log begins" in card and "logged from step" in card
    assert "hparams changed while training (the config holds the last): after step 80: kl_weight 0.5 → 0.25" in card


def test_magenta_trainer_config_is_readable_and_fast_trainer_resumes_it(subset, tmp_path):
    pytest.importorskip("magenta")
    from latentlab.train.magenta import train_magenta

    folder = train_magenta(subset, tmp_path / "mg", TINY.replace(save_every=2), steps=5)
    config = json.loads((folder / "model_config.json").read_text())
    assert isinstance(config, dict) and config["conditional"] == 1  # not magenta 2.1.4's list of keys
    assert load_config(folder).dec_rnn_size == 32
    _, step = read_checkpoint(folder)
    assert step and step >= 2
    messages = []
    train(subset, folder, TINY, steps=step + 3, log=messages.append)
    assert not any("no optimizer slots" in m for m in messages)  # magenta's Adam slots were picked up
    assert read_checkpoint(folder)[1] == step + 3


def _training_loss(engine: str, hps, ds, data, lengths):
    """loss(dropout) of one engine on fixed weights, batch and z noise."""
    from latentlab.train.state import init_weights

    weights = init_weights(hps, 0)
    if engine == "tf":
        import tensorflow as tf

        from latentlab.train.tf import Trainer

        trainer = Trainer(SketchRNN(hps, weights, ds.scale_factor))
        return lambda dropout: float(trainer._losses(tf.constant(data), tf.constant(lengths),
                                                     tf.constant([0, 0]), dropout)[0])
    jax = pytest.importorskip("jax")
    from latentlab.train.jax import losses

    return lambda dropout: float(losses(weights, hps, data, lengths, jax.random.key(0), dropout)[0])


@pytest.mark.parametrize("engine", ["tf", "jax"])
@pytest.mark.parametrize("kind", ["recurrent", "input", "output"])
def test_dropout_follows_the_hparams(subset, kind, engine):
    """Training-mode loss equals the no-dropout loss when that dropout is off or keeps everything, not when on."""
    from latentlab.io.datasets import load_dataset
    from latentlab.train.batches import batch_arrays

    ds = load_dataset(subset, quiet=True)
    short = 16  # the first 16 points of 8 sheep: dropout acts at every step, a short loop compiles fast
    data, lengths = batch_arrays([s[:short] for s in ds["train"].sketches[:8]], ds.scale_factor, pad_to=short)
    off = dict(use_recurrent_dropout=False, use_input_dropout=False, use_output_dropout=False)
    for use, keep in ((False, 0.5), (True, 1.0), (True, 0.5)):
        hps = TINY.replace(**{**off, f"use_{kind}_dropout": use, f"{kind}_dropout_prob": keep},
                           max_seq_len=short)
        loss = _training_loss(engine, hps, ds, data, lengths)
        training, evaluation = loss(True), loss(False)  # same z noise; dropout or not
        if use and keep < 1:
            assert training != pytest.approx(evaluation, rel=1e-5)
        elif use and kind == "input":  # keeping all, it still projects z per step: equal up to float rounding
            assert training == pytest.approx(evaluation, rel=1e-5)
        else:
            assert training == evaluation
        assert loss(True) == training  # seeded


def test_class_head_trains_resumes_and_stays_out_of_exports(shared, tmp_path):
    """``class_weight``: a head on mu learns the labels, resumes from the checkpoint, and exports drop it."""
    from helpers import QUICKDRAW
    from latentlab.io.quickdraw import build_classes_npz
    from latentlab.train.classes import BIAS, KERNEL

    data = tmp_path / "three.npz"
    build_classes_npz(QUICKDRAW, ["bird", "cat", "sheep"], data, fractions=(0.8, 0.1, 0.1))
    hps = TINY.replace(max_seq_len=100)
    messages = []
    train(data, tmp_path / "run", hps, steps=40, class_weight=1.0, log=messages.append)
    rows = read_log(tmp_path / "run")
    ce = [r["class_ce"] for r in rows if "class_ce" in r]
    assert len(ce) == 2 and ce[0] < np.log(3) + 0.3 and ce[-1] < ce[0]  # starts near chance and learns
    assert any(" class " in m for m in messages)
    weights, _ = read_checkpoint(tmp_path / "run")
    assert weights[KERNEL].shape == (8, 3) and weights[BIAS].shape == (3,)
    train(data, tmp_path / "run", steps=60, class_weight=1.0, log=messages.append)
    resumed, _ = read_checkpoint(tmp_path / "run")
    assert not np.allclose(resumed[KERNEL], weights[KERNEL])  # trained on, not made anew
    ce_resumed = [r["class_ce"] for r in read_log(tmp_path / "run") if "class_ce" in r]
    assert ce_resumed[2] < ce[0]  # the resumed head is the trained one
    assert [r["class_weight"] for r in read_log(tmp_path / "run") if "class_weight" in r] == [1.0]
    export_model(tmp_path / "run", tmp_path / "model")
    exported, _ = read_checkpoint(tmp_path / "model")
    assert KERNEL not in exported and BIAS not in exported
    assert json.loads((tmp_path / "model" / "model_info.json").read_text())["class_weight"] == 1.0
    SketchRNN.load(tmp_path / "model")


def test_class_head_needs_labels(subset, tmp_path):
    with pytest.raises(LatentlabError, match="class_weight needs .* labelled"):
        train(subset, tmp_path / "run", TINY, steps=20, class_weight=1.0, log=lambda m: None)
    assert not (tmp_path / "run").exists()

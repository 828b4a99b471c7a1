"""The bundled models: they load, encode their test split, and match the numbers on their cards."""
import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import MODELS, QUICKDRAW, SHEEP

from latentlab.io.datasets import load_dataset
from latentlab.eval import end_check, prior_check, reconstruction_check


def _card(name):
    return json.loads((MODELS / name / "model_info.json").read_text())["measured_test"]


@pytest.mark.parametrize("name", ["aaron_sheep", "quickdraw_mini", "quickdraw28"])
def test_bundled_model_is_weights_only_official_layout(name):
    import tensorflow as tf

    folder = MODELS / name
    config = json.loads((folder / "model_config.json").read_text())
    assert config["conditional"] == 1 and config["z_size"] == 128
    names = [n for n, _ in tf.train.list_variables(tf.train.latest_checkpoint(str(folder)))]
    assert names and not any("Adam" in n or "power" in n for n in names)
    assert (folder / "MODEL_CARD.md").is_file() and (folder / "reconstructions.png").is_file()


def test_sheep_model_matches_its_card(sheep_model, sheep):
    card = _card("aaron_sheep")
    ll = sheep_model.log_likelihood(sheep["test"].sketches, seed=0)
    assert len(ll["Lr"]) == card["n"] == 300
    assert np.mean(ll["Lr"]) == pytest.approx(card["Lr"], abs=0.01)
    assert np.mean(ll["Lkl"]) == pytest.approx(card["Lkl"], abs=0.01)


def test_quickdraw28_sorts_real_drawings_by_class_as_its_card_says(mini_model, shared, tmp_path):
    """On every real drawing of its 28 classes (none trained on), quickdraw28's mu names the class by its 10 nearest
    neighbours as often as the card says (at least 60%), well above raster pixels and quickdraw_mini's mu on the same
    drawings."""
    from latentlab.io.quickdraw import build_classes_npz
    from latentlab.model.layout import read_info
    from latentlab.model.runtime import SketchRNN
    from latentlab.eval.separation import class_separation

    card = _card("quickdraw28")["separation"]
    model = SketchRNN.load(MODELS / "quickdraw28")
    build_classes_npz(QUICKDRAW, read_info(MODELS / "quickdraw28")["classes"], tmp_path / "real.npz")
    real = load_dataset(tmp_path / "real.npz", max_seq_len=model.hps.max_seq_len, quiet=True)["test"]
    sep = class_separation(model, real.sketches, real.labels)
    assert sep["n"] == card["n"] == 729 and sep["classes"] == 28
    assert sep["knn_mu"] == pytest.approx(card["knn_mu"], abs=1e-3)
    assert sep["knn_raster"] == pytest.approx(card["knn_raster"], abs=1e-3)
    mini = class_separation(mini_model, real.sketches, real.labels)["knn_mu"]  # as the card's comparison
    assert mini == pytest.approx(card["compare_knn_mu"]["latentlab/quickdraw_mini"], abs=1e-3)
    assert sep["knn_mu"] >= 0.60 and sep["knn_mu"] > sep["knn_raster"] + 0.3 and sep["knn_mu"] > mini + 0.25


def _bundled(name, request):
    """A bundled model and its test sketches (quickdraw_mini: every 9th, so all classes show up in a subset)."""
    if name == "aaron_sheep":
        return request.getfixturevalue("sheep_model"), request.getfixturevalue("sheep")["test"].sketches
    model = request.getfixturevalue("mini_model")
    test = load_dataset(request.getfixturevalue("quickdraw_mini_npz"), max_seq_len=model.hps.max_seq_len, quiet=True)
    return model, test["test"].sketches[::9]


@pytest.mark.parametrize("name, tau, softmax", [
    pytest.param("aaron_sheep", 0.1, None, marks=pytest.mark.xfail(strict=True, reason=(
        "magenta's sampler at tau 0.1 (the notebook's decode: mixture and pen choices at tau too) leaves a third of "
        "this sheep's decodes unended (35% at step 95,000, test Lr -0.414): teacher forced, end is the likeliest pen "
        "state at only 56% of real ends and lift at 27% of stroke ends, and tau 0.1 nearly always takes the likeliest. "
        "Those that end are 2.7-2.8 px from their originals, those that run on 4.1-4.3 px, against 3.28 for the other "
        "sheep on average. On the whole test split the card's check is a tie (3.32 px with seed 0, 3.22-3.24 with "
        "seeds 1-3); on these first 100 with seed 0: 3.43 against 3.33, own closer than 61% of other decodes and 54% "
        "of other sheep (seeds 1 and 2 pass: the check sits at its sampling noise). With sketch-rnn-js's choice "
        "temperature (the 'js' case below) it passes: 2.86 against 3.33, 63% and 62%. Remove this mark when a "
        "model passes under magenta's sampler (strict: a pass fails the suite as a reminder)."))),
    ("aaron_sheep", 0.6, None), ("quickdraw_mini", 0.1, None), ("aaron_sheep", 0.1, "js")])
def test_reconstructions_resemble_their_originals(name, tau, softmax, request):
    """A sketch's own decode is closer to it than other sketches' decodes, and than most other sketches themselves
    ("js": the mixture and pen choices at sketch-rnn-js's 0.5 + 0.5 tau, with which most sheep decodes end)."""
    model, sketches = _bundled(name, request)
    check = reconstruction_check(model, sketches[:100], temperature=tau, softmax_temperature=softmax)
    assert check["own"] < check["random"] and check["own"] < check["random_original"]
    assert check["own_closer_all"] > 0.6  # than 60% of the other decodes, on average
    assert check["own_closer_than_originals"] > 0.55  # than most of the other test sketches


def test_sheep_decodes_that_end_resemble_their_originals(sheep_model, sheep):
    """At tau 0.1 most sheep decodes end, and those are nearer their own original than most other sheep are
    (decoding another sheep's z, or z = 0, gives 47-51%): what the xfail above lacks is a decoder that stops."""
    check = reconstruction_check(sheep_model, sheep["test"].sketches[:100], temperature=0.1)
    assert check["unended"] < 0.5 and check["ended_closer_than_originals"] > 0.58


@pytest.mark.parametrize("name", ["aaron_sheep", "quickdraw_mini"])
def test_decoder_knows_where_strokes_and_sketches_end(name, request):
    """Teacher forced, p(end) where a sketch ends is far above p(end) at its other pen lifts, p(lift) at a
    stroke's last point far above p(lift) inside strokes, and both match the card."""
    model, sketches = _bundled(name, request)
    ends = end_check(model, sketches)
    assert ends["n"] == sum(len(s) < model.hps.max_seq_len for s in sketches)
    assert ends["p_end_at_end"] > 5 * ends["p_end_elsewhere"] and ends["end_likeliest_elsewhere"] < 0.05
    assert ends["p_lift_at_stroke_end"] > 3 * ends["p_lift_inside"] and ends["lift_likeliest_inside"] < 0.05
    if name == "aaron_sheep":  # the whole test split, as on the card
        card = _card(name)["pen_states"]
        assert ends["p_end_at_end"] == pytest.approx(card["p_end_at_end"], abs=1e-3)
        assert ends["p_lift_at_stroke_end"] == pytest.approx(card["p_lift_at_stroke_end"], abs=1e-3)


@pytest.mark.parametrize("name", ["aaron_sheep", "quickdraw_mini"])
def test_prior_samples_land_where_the_data_is(name, request):
    """Decodes of z ~ N(0, I) are about as near real test sketches as decodes of the sketches' own mu are,
    and z drawn three times as far out lands clearly farther (the KL term put the data under the prior)."""
    model, sketches = _bundled(name, request)
    check = prior_check(model, sketches, n=300, scales=(1.0, 3.0))
    near, far = check["scales"]
    assert check["posterior"] < 1.1 * check["data"]
    assert near["prior"] < 1.15 * check["posterior"] < far["prior"]
    assert near["prior_unended"] <= far["prior_unended"] and near["prior_empty"] <= far["prior_empty"]
    if name == "aaron_sheep":  # the whole test split, as on the card
        for row, card in zip(check["scales"], _card(name)["prior"]["scales"]):
            assert row["scale"] == card["scale"]
            assert row["prior"] == pytest.approx(card["prior"], abs=0.05)
            assert row["prior_unended"] == pytest.approx(card["prior_unended"], abs=0.02)


def test_mini_model_matches_its_card(mini_model, quickdraw_mini_npz):
    card = _card("quickdraw_mini")
    test = load_dataset(quickdraw_mini_npz, max_seq_len=mini_model.hps.max_seq_len, quiet=True)["test"]
    ll = mini_model.log_likelihood(test.sketches, seed=0)
    assert len(test) == card["n"]
    assert np.mean(ll["Lr"]) == pytest.approx(card["Lr"], abs=0.01)


def test_evaluate_cli_prints_json_last(shared):
    res = subprocess.run([sys.executable, "-m", "latentlab", "evaluate", str(MODELS / "aaron_sheep"), str(SHEEP),
                          "--split", "test"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "InitializeLog" not in res.stderr and "I0000" not in res.stderr  # TensorFlow's start-up noise is gone
    result = json.loads(res.stdout.strip().splitlines()[-1])
    assert set(result) >= {"Lr", "Lkl", "n"} and result["n"] == 300
    assert result["Lr"] == pytest.approx(_card("aaron_sheep")["Lr"], abs=0.01)



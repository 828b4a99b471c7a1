"""A model card: the numbers measured beside the weights, the figures, and a card that states them."""
import json
import shutil

import pytest

from latentlab.eval.card import write_card
from latentlab.train.log import read_log

pytestmark = pytest.mark.training


def test_the_card_states_what_was_measured(tiny_model, subset, tmp_path):
    model = shutil.copytree(tiny_model, tmp_path / "model")
    card = write_card(model, subset, title="tiny", n_figure=2).read_text()
    measured = json.loads((model / "model_info.json").read_text())["measured_test"]
    check = measured["reconstruction"]["tau 0.1"]
    assert measured["n"] == 40 and 0 <= check["own_closer_than_originals"] <= 1 and 0 <= check["unended"] <= 1
    assert f"test Lr {measured['Lr']:.4f}" in card and "steps trained: 80" in card
    assert f"| 0.6 | {measured['reconstruction']['tau 0.6']['own']:.2f} px |" in card
    ends = measured["pen_states"]
    assert ends["n"] == 40 and f"| mean p(end) | {ends['p_end_at_end']:.2f} |" in card
    assert f"| mean p(lift) | {ends['p_lift_at_stroke_end']:.2f} |" in card
    assert all((model / f).is_file()
               for f in ("training_curve.png", "reconstructions.png", "temperature_grid.png", "latent_usage.png"))
    assert len(measured["kl_per_dim"]) == 8 and 0 <= measured["active_units"] <= 8
    assert f"{measured['active_units']} of 8 units are active on the test split" in card
    assert read_log(model) == read_log(tiny_model)  # the card reads the log, never changes it


def test_the_card_and_evaluate_measure_alike(tiny_model, subset, tmp_path):
    """One measurement path: the card's Lr, Lkl and latent usage are :func:`latentlab.eval.evaluate`'s."""
    from latentlab.eval import evaluate
    from latentlab.io.datasets import load_dataset
    from latentlab.model.runtime import SketchRNN

    model = shutil.copytree(tiny_model, tmp_path / "model")
    write_card(model, subset, n_figure=2)
    measured = json.loads((model / "model_info.json").read_text())["measured_test"]
    loaded = SketchRNN.load(model)
    again = evaluate(loaded, load_dataset(subset, max_seq_len=loaded.hps.max_seq_len, quiet=True)["test"])
    assert measured["Lr"] == again["Lr"] and measured["Lkl"] == again["Lkl"]
    assert measured["kl_per_dim"] == again["latent"]["kl_per_dim"]

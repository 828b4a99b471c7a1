"""Choosing a checkpoint on a selection part of the real drawings and measuring on the rest only."""
import json
import shutil

import numpy as np
import pytest

from latentlab.cli import main
from latentlab.eval.card import write_card
from latentlab.eval.selection import SELECTION_FRACTION, measured_part, split_parts
from latentlab.io.datasets import load_dataset
from latentlab.model.checkpoint import kept_steps
from latentlab.model.runtime import SketchRNN

from helpers.sketchfiles import npz

pytestmark = pytest.mark.training


def test_the_cut_is_per_class_disjoint_and_seeded():
    labels = np.repeat(np.arange(5), [9, 3, 1, 12, 6])
    selection, test = split_parts(labels, random_state=4)
    assert not set(selection) & set(test) and sorted([*selection, *test]) == list(range(len(labels)))
    for c, n in enumerate([9, 3, 1, 12, 6]):
        assert (labels[selection] == c).sum() == (0 if n == 1 else max(1, round(SELECTION_FRACTION * n)))
    again = split_parts(labels, random_state=4)
    assert np.array_equal(again[0], selection) and not np.array_equal(split_parts(labels, random_state=5)[0],
                                                                       selection)


@pytest.fixture(scope="module")
def labelled(quickdraw_mini_npz, tmp_path_factory):
    """Real drawings of quickdraw_mini's first 6 classes (its training drawings: enough of each class), labelled as
    a test split."""
    test = load_dataset(quickdraw_mini_npz, quiet=True)["train"]
    keep = np.flatnonzero(test.labels < 6)
    return npz(tmp_path_factory.mktemp("sel") / "six.npz", [test.sketches[i] for i in keep], test.labels[keep],
               test.class_names[:6])


def test_export_best_on_chooses_on_the_selection_part_and_the_card_measures_the_rest(tiny_run, subset, labelled,
                                                                                     tmp_path, capsys):
    run = tiny_run[0]
    assert main(["export", str(run), "-o", str(tmp_path / "model"), "--best-on", str(labelled)]) == 0
    out = capsys.readouterr().out
    scores = {int(line.split(":")[0].split()[1]): line for line in out.splitlines() if line.startswith("step ")}
    assert sorted(scores) == sorted(kept_steps(run))  # every kept checkpoint was scored
    info = json.loads((tmp_path / "model" / "model_info.json").read_text())
    labelled_set = load_dataset(labelled, quiet=True)
    labels = labelled_set["test"].labels
    selection, rest = split_parts(labels)
    assert info["selection"]["n_selection"] == len(selection) and "selection part" in info["checkpoint_choice"]
    assert f"(step {SketchRNN.load(tmp_path / 'model').step})" in out
    assert np.array_equal(measured_part(info, labelled_set.sha256, labels), rest)
    card = write_card(tmp_path / "model", subset, n_figure=2, test_data=labelled).read_text()
    measured = json.loads((tmp_path / "model" / "model_info.json").read_text())["measured_test"]
    assert measured["n"] == len(rest) and f"checkpoint chosen on: {len(selection)} other sketches" in card


def test_a_card_of_another_file_measures_all_of_it(tiny_model, subset, labelled, tmp_path):
    model = shutil.copytree(tiny_model, tmp_path / "model")
    info = json.loads((model / "model_info.json").read_text())
    labelled_set = load_dataset(labelled, quiet=True)
    assert measured_part(info, labelled_set.sha256, labelled_set["test"].labels) is None

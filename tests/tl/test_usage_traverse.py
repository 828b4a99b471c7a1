"""How a model uses its latent dimensions (active units, KL per dimension) and what a direction means
(traversals along a component, a dimension, or from one class towards another)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from latentlab.cli.main import main
from latentlab.model.metrics import latent_usage
from latentlab.tl._traverse import direction_vector
from helpers import SHEEP


def test_active_units_and_kl_per_dimension_of_known_posteriors():
    rng = np.random.default_rng(0)
    mu = np.zeros((1000, 6))
    mu[:, :2] = rng.normal(size=(1000, 2))  # two dimensions carry the data
    mu[:, 2] = rng.normal(scale=0.05, size=1000)  # one barely: variance 0.0025 < 0.01
    sigma = np.ones((1000, 6))
    sigma[:, :3] = 0.1
    usage = latent_usage(mu, sigma)
    assert usage["active_units"] == 2
    kl = np.array(usage["kl_per_dim"])
    assert np.allclose(kl[3:], 0) and kl[0] == pytest.approx(0.5 * (1 + 0.01 - 1 - np.log(0.01)), rel=0.1)


def test_evaluate_reports_the_sheep_model_s_latent_usage(tmp_path, capsys):
    assert main(["evaluate", "latentlab/aaron_sheep", str(SHEEP), "--split", "test", "-o",
                 str(tmp_path / "usage.png")]) == 0
    out = capsys.readouterr().out
    latent = json.loads(out.strip().splitlines()[-1])["latent"]
    assert f"latent usage: {latent['active_units']} of 128 units active" in out
    assert 10 < latent["active_units"] < 128  # some dimensions carry the sheep, many have collapsed
    assert sum(k < 0.01 for k in latent["kl_per_dim"]) > 20
    assert (tmp_path / "usage.png").stat().st_size > 10_000


def test_directions_and_a_traversal_strip(planted, tmp_path, capsys):
    store = planted[0]
    mu, labels, names = store.vectors("mu"), store.read("obs/label"), store.class_names
    dim, scaled = direction_vector(store, "dim:5")
    assert scaled and np.flatnonzero(dim).tolist() == [5] and dim[5] == pytest.approx(mu[:, 5].std())
    towards, scaled = direction_vector(store, "class:rain->palm tree")
    expected = mu[labels == names.index("palm tree")].mean(0) - mu[labels == names.index("rain")].mean(0)
    assert not scaled and np.allclose(towards, expected)
    pc1, _ = direction_vector(store, "pc1")
    assert abs(np.linalg.norm(pc1) - (mu @ pc1 / np.linalg.norm(pc1)).std()) < 0.1 * np.linalg.norm(pc1)
    assert main(["traverse", str(store.path), "3", "--direction", "pc1", "--steps", "5", "-o",
                 str(tmp_path / "pc1.png")]) == 0
    assert (tmp_path / "pc1.png").stat().st_size > 5_000
    for bad, message in (("pc0", "principal components 1.."), ("dim:500", "latent dimensions are 0..127"),
                         ("class:rain->unicorn", "no class 'unicorn'"), ("sideways", "use pcK")):
        capsys.readouterr()
        assert main(["traverse", str(store.path), "3", "--direction", bad, "-o", str(tmp_path / "x.png")]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.png").exists()

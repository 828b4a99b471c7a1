"""How a model uses its latent dimensions: active units and KL per dimension, of known posteriors and of the
sheep model."""
from __future__ import annotations

import json

import numpy as np
import pytest

from latentlab.cli.main import main
from latentlab.eval import latent_usage
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

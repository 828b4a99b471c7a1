"""What a direction in the space means: traversals along a component, a dimension, or from one class towards
another."""
from __future__ import annotations

import numpy as np
import pytest

from latentlab.cli.main import main
from latentlab.tl._traverse import direction_vector


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

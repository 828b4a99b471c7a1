"""The three notebooks execute top to bottom as real notebooks (nbclient + ipykernel, so %matplotlib inline runs,
bokeh's show and the explorer widget's cells too)."""
from __future__ import annotations

import pytest

from latentlab.paths import ROOT

pytestmark = pytest.mark.slow

NOTEBOOKS = ROOT / "notebooks"


def _execute(name: str) -> list[str]:
    """Run notebook ``name`` in the project root; the text of all its outputs, images as '<image>', bokeh figures
    as '<bokeh>' and the explorer widget as '<explorer>' (tqdm's bars are widgets too, shown as their text)."""
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data or "image/gif" in data:
                out.append("<image>")
            elif "application/vnd.bokehjs_exec.v0+json" in data:
                out.append("<bokeh>")
            elif "ExplorerWidget" in data.get("text/plain", ""):
                out.append("<explorer>")
            else:
                out.append(o.get("text", "") + data.get("text/plain", ""))
    return out


def test_original_exploration_notebook(shared):
    out = _execute("01_explore_latent_space.ipynb")
    assert out.count("<image>") >= 5 and any("PCA explained variance" in o for o in out)
    assert out.count("<bokeh>") == 1  # the slerp strip
    assert (ROOT / "out/notebook/side_by_side.gif").is_file()


def test_embedding_exploration_notebook(shared):
    out = "\n".join(_execute("02_embedding_exploration.ipynb"))
    assert "729 sketches, 28 classes" in out and "neighbours of the same class" in out
    assert "AnnData object with n_obs × n_vars = 729 × 0" in out and out.count("<image>") == 9 and "Warning" not in out
    assert "clusters, mean purity" in out and "near-duplicate sets" in out and "'linear_cka'" in out
    assert out.count("<explorer>") == 1 and "| coloured by: leiden" in out  # the explorer widget, set from Python


def test_interpolation_strips_notebook(shared):
    out = _execute("03_interpolation_strips.ipynb")
    assert out.count("<image>") == 2  # the norm plot, the analogy
    assert out.count("<bokeh>") == 5  # lerp and slerp strips, three quickdraw28 strips


def test_committed_notebooks_have_small_outputs():
    import json

    for path in NOTEBOOKS.glob("*.ipynb"):
        assert path.stat().st_size < 400_000, path
        assert "widgets" not in json.loads(path.read_text())["metadata"], path  # no widget state (the page's bytes)

"""The exploration notebook runs top to bottom (its code cells, in order, headless)."""
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore_latent_space.ipynb"


def test_notebook_code_cells_run(shared, tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    cells = [c for c in json.loads(NOTEBOOK.read_text())["cells"] if c["cell_type"] == "code"]
    assert len(cells) >= 8
    monkeypatch.chdir(NOTEBOOK.parents[1])
    scope: dict = {}
    for i, cell in enumerate(cells):
        source = "".join(line for line in cell["source"] if not line.startswith("%"))
        exec(compile(source, f"{NOTEBOOK.name}[cell {i}]", "exec"), scope)  # noqa: S102
        plt.close("all")
    assert len(scope["strip"]) == 8 and scope["store"].has("obsm/X_pca")
    assert (NOTEBOOK.parents[1] / "out/notebook/side_by_side.gif").is_file()

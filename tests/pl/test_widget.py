"""The explorer widget's Python side, without a browser: the traits it starts with, what it accepts from Python
(and refuses, in words), and the tiled folder's files it sends the page (nothing outside the folder). The page
linked to it in JupyterLab and Notebook 7: tests/explorer/test_widget.py."""
from __future__ import annotations

import shutil

import numpy as np
import pytest
import traitlets

from latentlab.explorer.packing import page_meta
from latentlab.pl import explorer
from latentlab.store import LatentStore


@pytest.fixture(scope="module")
def copy(analysed_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("widget") / "s.h5"
    shutil.copy(analysed_store.path, path)
    return LatentStore(path)


def test_the_widget_carries_the_page_and_knows_its_columns(copy):
    w = explorer(copy, color_by="Lr")
    meta = page_meta(w._page.decode(), copy.path)
    assert meta["widget"] is True and meta["files"] and w.color_by == "Lr" == meta["color_by"]
    assert repr(w) == "ExplorerWidget(s.h5, one page: 0 rows selected, coloured by Lr; run the cell to see it)"
    w.selected = np.array([3, 1])  # any integer sequence, as a list
    assert w.selected == [3, 1]
    w.highlight(range(3))
    assert w._highlight == [0, 1, 2]
    name = copy.label_names()[0]
    w.filter = {"class": [name], "length": [10, 40]}
    with pytest.raises(traitlets.TraitError, match="no column 'colour'"):
        w.color_by = "colour"
    with pytest.raises(traitlets.TraitError, match="no column 'size'"):
        w.filter = {"size": [1, 2]}
    with pytest.raises(traitlets.TraitError, match=r"length is numeric: give its range as \[lo, hi\]"):
        w.filter = {"length": 40}
    with pytest.raises(traitlets.TraitError, match="class has no \\['unicorn'\\]"):
        w.filter = {"class": [name, "unicorn"]}
    with pytest.raises(traitlets.TraitError):
        w.selected = ["a"]
    assert w.filter == {"class": [name], "length": [10, 40]}  # the refused left it as it was


def test_refresh_shows_a_column_added_in_python(copy):
    from latentlab import tl

    w = explorer(copy)
    with pytest.raises(traitlets.TraitError):
        w.color_by = "leiden"
    tl.leiden(copy, resolution=1.0)
    w.refresh()
    w.color_by = "leiden"
    assert "leiden" in [c["name"] for c in page_meta(w._page.decode(), copy.path)["columns"]]


def test_a_tiled_widget_sends_its_folder_files_and_nothing_else(copy, tmp_path):
    w = explorer(copy, tiled=True)
    folder = copy.path.with_suffix(".explorer")
    assert (folder / "index.html").is_file() and page_meta(w._page.decode(), folder)["widget"] is True
    sent = []
    w.send = lambda content, buffers=None: sent.append((content, buffers))
    tile = next(p for p in (folder / "tiles").rglob("*.bin"))
    (tmp_path / "secret.bin").write_bytes(b"not the explorer's")
    (folder / "link.bin").symlink_to(tmp_path / "secret.bin")
    for k, path in enumerate([tile.relative_to(folder).as_posix(), "../s.h5", "link.bin", ".latentlab-explorer.json",
                              "/etc/passwd"]):
        w._answer(w, {"type": "fetch", "id": k, "path": path, "view": "v1"}, [])
    assert sent[0] == ({"type": "file", "id": 0, "view": "v1"}, [tile.read_bytes()])
    assert all(content.get("error") and buffers is None for content, buffers in sent[1:])
    written = (folder / "index.html").stat().st_mtime_ns
    again = explorer(copy, tiled=True)  # the folder is kept: not written again
    assert again._source.folder == w._source.folder and (folder / "index.html").stat().st_mtime_ns == written
    from latentlab import tl

    tl.leiden(copy, resolution=2.0, key_added="leiden2")  # the store changes: refresh writes the tiles again
    again.refresh()
    assert (folder / "index.html").stat().st_mtime_ns > written and "leiden2" in again._columns

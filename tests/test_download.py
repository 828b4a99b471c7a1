import pytest

from latentlab.errors import LatentlabError
from latentlab.io.datasets import load_dataset
from latentlab.io.download import fetch, sources


def test_fetch_finds_a_usable_copy(shared, tmp_path):
    """Downloads when the network allows, else falls back to the shared offline copy; either way it loads."""
    path = fetch("sketchrnn/aaron_sheep", cache=tmp_path / "cache", shared=shared, timeout=5)
    ds = load_dataset(path, quiet=True)
    assert {k: len(v) for k, v in ds.splits.items()} == {"train": 7400, "valid": 300, "test": 300}
    assert not list((tmp_path / "cache").rglob("*.part"))  # no half-written download left behind
    again = fetch("sketchrnn/aaron_sheep", cache=tmp_path / "cache", shared=shared, timeout=5)
    assert again == path or again.stat().st_size == path.stat().st_size


def test_quickdraw_sources_and_errors(shared, tmp_path):
    url, rel = sources("quickdraw/raw/The Eiffel Tower")
    assert url == "https://storage.googleapis.com/quickdraw_dataset/full/raw/The%20Eiffel%20Tower.ndjson"
    assert (shared / rel).is_file()
    assert fetch("quickdraw/simplified/cat", cache=tmp_path, shared=shared, timeout=5).stat().st_size > 0
    with pytest.raises(LatentlabError, match="unknown dataset 'cats'"):
        fetch("cats")
    with pytest.raises(LatentlabError, match="no offline copy"):
        fetch("sketchrnn/no_such_set", cache=tmp_path, shared=tmp_path / "nowhere", timeout=2)

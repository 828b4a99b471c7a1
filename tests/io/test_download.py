"""Models and data by name, against a real HTTP server on 127.0.0.1 laid out like the public hosts.

The tree is built at test time from the bundled models and ../shared: a magenta-style ``sketch_rnn.zip``
(the bundled aaron_sheep LSTM as ``aaron_sheep/lstm``), a ``.vae.json`` exported by ``jsmodel``, a
``.gen.json`` from ../shared and small SketchRNN-style ``.npz`` files.  ``LATENTLAB_MIRROR`` points every
public URL at the server; ``LATENTLAB_CACHE`` and ``LATENTLAB_SHARED`` at temporary folders.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.io.datasets import load_dataset
from latentlab.io.digest import file_sha256
from latentlab.io.download import DownloadError, catalog, download, fetch
from latentlab.model.zoo import list_models, model_path
from helpers.mirror import host_path

BUNDLED = ("model_config.json", "checkpoint", "vector-95000.data-00000-of-00001", "vector-95000.index")
GEN = "sketchrnn-js/bird.gen"


def _url(key: str, **kw) -> str:
    return catalog()["urls"][key].format(**kw)


def _place(root: Path, url: str) -> Path:
    path = root / host_path(url).lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _zip(path: Path, folder: Path, variant: str = "aaron_sheep/lstm", config: dict | None = None) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name in BUNDLED:
            if name == "model_config.json" and config is not None:
                z.writestr(f"{variant}/{name}", json.dumps(config))
            else:
                z.write(folder / name, f"{variant}/{name}")


def _small_npz(path: Path, sketches: list[np.ndarray]) -> None:
    from latentlab.io.npz import save_npz
    from latentlab.io.quickdraw import object_array

    save_npz(path, {"train": object_array(sketches[:20]), "valid": object_array(sketches[20:25]),
                    "test": object_array(sketches[25:30])})


@pytest.fixture(scope="module")
def tree(tmp_path_factory, shared, sheep, sheep_model):
    from latentlab.model.jsmodel import export_js_model
    from latentlab.paths import MODELS_DIR

    root = tmp_path_factory.mktemp("mirror")
    _zip(_place(root, _url("magenta")), MODELS_DIR / "aaron_sheep")
    shutil.copy(shared / "models/sketch-rnn-js/bird.gen.json", _place(root, _url("sketchrnn-js", name="bird.gen")))
    export_js_model(sheep_model, _place(root, _url("sketchrnn-js", name="cat.vae")), name="cat")
    shutil.copy(shared / "data/sketchrnn/aaron_sheep.npz", _place(root, _url("sketchrnn", name="aaron_sheep")))
    test = sheep["test"].sketches
    _small_npz(_place(root, _url("quickdraw/sketchrnn", word="cat")), test[:30])
    _small_npz(_place(root, _url("quickdraw/sketchrnn", word="pig")), test[30:60])
    return root


def _leftovers(cache: Path) -> list[Path]:
    """Temporary downloads or unpack folders left in the cache."""
    return [p for p in cache.rglob("*") if ".download" in p.name or ".unpack" in p.name or p.name.endswith(".part")]


def test_fetch_converts_caches_and_hits_the_cache_offline(server, tmp_path, monkeypatch, shared):
    t0 = time.perf_counter()
    path = model_path(GEN)
    seconds = time.perf_counter() - t0
    assert path == tmp_path / "cache/models/sketchrnn-js/bird.gen.json"
    assert file_sha256(path) == file_sha256(shared / "models/sketch-rnn-js/bird.gen.json")
    assert server.hits[host_path(_url("sketchrnn-js", name="bird.gen"))] == 1
    from latentlab.model import load_model

    t0 = time.perf_counter()
    model = load_model(GEN)  # the cache: no second request
    print(f"fetch of bird.gen.json ({path.stat().st_size / 1e6:.1f} MB) {seconds:.2f}s; "
          f"load (convert) {time.perf_counter() - t0:.2f}s")
    assert server.hits[host_path(_url("sketchrnn-js", name="bird.gen"))] == 1
    assert not model.hps.conditional and model.hps.dec_rnn_size == 512
    monkeypatch.setenv("LATENTLAB_MIRROR", "http://127.0.0.1:9")  # nothing listens: a cache hit needs no network
    assert model_path(GEN) == path
    assert not _leftovers(tmp_path / "cache")
    assert [m.cached for m in list_models() if m.name == GEN] == [True]


def test_magenta_zip_unpacks_every_variant_checked_with_its_scale_factor(server, tmp_path, sheep):
    from latentlab.model import load_model

    folder = model_path("magenta/aaron_sheep/lstm")
    assert folder == tmp_path / "cache/models/magenta/aaron_sheep/lstm"
    info = json.loads((folder / "model_info.json").read_text())
    assert info["scale_factor"] == pytest.approx(sheep.scale_factor, rel=1e-6)  # from sketchrnn/aaron_sheep
    model = load_model("magenta/aaron_sheep/lstm")
    mu = model.encode(sheep["test"].sketches[:3]).mu
    assert mu.shape == (3, 128) and np.isfinite(mu).all()
    assert server.hits[host_path(_url("magenta"))] == 1
    model_path("magenta/aaron_sheep/lstm")
    assert server.hits[host_path(_url("magenta"))] == 1
    assert not _leftovers(tmp_path / "cache")


def test_a_vae_json_by_name_encodes_into_a_store_and_the_store_finds_it(server, tmp_path, sheep):
    from latentlab.cli.main import main
    from latentlab.store import LatentStore

    out = tmp_path / "cats_pigs.h5"
    assert main(["encode", "sketchrnn-js/cat.vae", "quickdraw/sketchrnn/cat", "quickdraw/sketchrnn/pig",
                 "-o", str(out)]) == 0
    store = LatentStore(out)
    assert len(store) == 10 and sorted(set(store.label_names())) == ["cat", "pig"]
    assert store.model().weights_sha256 == store.provenance["weights_sha256"]


def test_server_closing_mid_body_leaves_nothing(server, tmp_path):
    url = _url("sketchrnn-js", name="bird.gen")
    server.faults[host_path(url)] = "truncate"
    with pytest.raises(DownloadError, match="could not download .*bird.gen.json.* place it at"):
        model_path(GEN)
    assert server.hits[host_path(url)] == 3  # tried, then retried twice
    assert not (tmp_path / "cache/models/sketchrnn-js/bird.gen.json").exists()
    assert not _leftovers(tmp_path / "cache")


def test_404_names_the_url_and_where_to_place_the_file(server, tmp_path):
    with pytest.raises(DownloadError) as err:
        model_path("sketchrnn-js/owl.gen")
    text = str(err.value)
    assert "404" in text and "owl.gen.json" in text
    assert str(tmp_path / "cache/models/sketchrnn-js/owl.gen.json") in text and "\n" not in text


def test_corrupt_zip_is_refused_and_not_cached(server, tree, tmp_path):
    archive = _place(tree, _url("magenta"))
    good = archive.read_bytes()
    try:
        archive.write_bytes(good[: len(good) // 3])
        with pytest.raises(DownloadError, match="not a readable zip"):
            model_path("magenta/aaron_sheep/lstm")
        assert not (tmp_path / "cache/downloads/sketch_rnn.zip").exists()
        magenta = tmp_path / "cache/models/magenta"
        assert not magenta.exists() or not any(magenta.iterdir())
    finally:
        archive.write_bytes(good)


def test_weights_that_do_not_match_the_config_are_refused(server, tree, tmp_path):
    from latentlab.paths import MODELS_DIR

    archive = _place(tree, _url("magenta"))
    good = archive.read_bytes()
    config = json.loads((MODELS_DIR / "aaron_sheep/model_config.json").read_text())
    config["dec_rnn_size"] = 256
    try:
        _zip(archive, MODELS_DIR / "aaron_sheep", config=config)
        with pytest.raises(LatentlabError, match="aaron_sheep/lstm"):
            model_path("magenta/aaron_sheep/lstm")
        assert not (tmp_path / "cache/models/magenta/aaron_sheep/lstm").exists()
        assert not _leftovers(tmp_path / "cache")
    finally:
        archive.write_bytes(good)


def test_a_file_that_differs_from_its_known_hash_is_refused(server, tree, tmp_path, shared, monkeypatch):
    target = _place(tree, _url("sketchrnn-js", name="bird.gen"))
    good = target.read_bytes()
    try:
        target.write_bytes(good.replace(b'"bird"', b'"bard"'))  # the same size: refused for its hash
        with pytest.raises(DownloadError, match="hash"):
            model_path(GEN)
        assert not (tmp_path / "cache/models/sketchrnn-js/bird.gen.json").exists()
        monkeypatch.setenv("LATENTLAB_SHARED", str(shared))  # with an offline copy, that copy is used
        path = model_path(GEN)
        assert file_sha256(path) == file_sha256(shared / "models/sketch-rnn-js/bird.gen.json")
    finally:
        target.write_bytes(good)


def test_a_slow_server_times_out(server, tmp_path):
    url = _url("sketchrnn-js", name="bird.gen")
    server.faults[host_path(url)] = "slow"
    t0 = time.perf_counter()
    with pytest.raises(DownloadError, match="could not download"):
        download(url, tmp_path / "cache/bird.gen.json", timeout=0.5, retries=0, progress=False)
    assert time.perf_counter() - t0 < 2.5
    assert not (tmp_path / "cache/bird.gen.json").exists()


def test_two_processes_fetching_one_name_download_it_once(server, tmp_path, shared):
    url = _url("sketchrnn-js", name="bird.gen")
    server.faults[host_path(url)] = "slow"
    server.server.slow_s = 1.5
    code = "from latentlab.model.zoo import model_path; print(model_path('sketchrnn-js/bird.gen'))"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=os.environ.copy()) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert outs[0][0] == outs[1][0] == f"{tmp_path / 'cache/models/sketchrnn-js/bird.gen.json'}\n"
    assert server.hits[host_path(url)] == 1
    assert file_sha256(tmp_path / "cache/models/sketchrnn-js/bird.gen.json") == \
        file_sha256(shared / "models/sketch-rnn-js/bird.gen.json")


def test_offline_falls_back_to_shared_checked_and_cached(tmp_path, monkeypatch, shared):
    monkeypatch.setenv("LATENTLAB_MIRROR", "http://127.0.0.1:9")  # no server: the network is down
    monkeypatch.setenv("LATENTLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LATENTLAB_SHARED", str(shared))
    path = model_path(GEN)
    assert path == tmp_path / "cache/models/sketchrnn-js/bird.gen.json"
    assert file_sha256(path) == catalog()["offline"][GEN]["sha256"]
    data = fetch("sketchrnn/aaron_sheep")
    assert {k: len(v) for k, v in load_dataset(data, quiet=True).splits.items()} == \
        {"train": 7400, "valid": 300, "test": 300}
    ndjson = fetch("quickdraw/raw/The Eiffel Tower")  # a sample of the published file: used where it lies
    assert ndjson == shared / "data/quickdraw/raw/The Eiffel Tower.ndjson"
    with pytest.raises(DownloadError, match="Connection refused; no offline copy. .*place it at"):
        fetch("quickdraw/sketchrnn/cat")


def test_names_and_errors():
    assert {m.name for m in list_models()} >= {"latentlab/aaron_sheep", "magenta/aaron_sheep/layer_norm",
                                                "magenta/flamingo/lstm_uncond", "sketchrnn-js/cat.vae",
                                                "sketchrnn-js-large/owl.gen"}
    assert len(catalog()["sketchrnn-js"]) >= 100
    with pytest.raises(LatentlabError, match="unknown model 'sketchrnn-js/no_such.gen'"):
        model_path("sketchrnn-js/no_such.gen")
    with pytest.raises(LatentlabError, match="unknown dataset 'cats'"):
        fetch("cats")
    with pytest.raises(LatentlabError, match="unknown dataset"):
        fetch("sketchrnn/../../etc")


def test_cli_sample_models_list_and_the_unconditional_refusal(tmp_path, monkeypatch, shared, capsys):
    from latentlab.cli.main import main
    from latentlab.io.datasets import load_dataset

    monkeypatch.setenv("LATENTLAB_MIRROR", "http://127.0.0.1:9")
    monkeypatch.setenv("LATENTLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LATENTLAB_SHARED", str(shared))
    assert main(["models", "list", "--source", "magenta"]) == 0
    listed = capsys.readouterr().out
    assert "magenta/aaron_sheep/layer_norm_uncond" in listed and "unconditional" in listed
    assert main(["sample", GEN, "-n", "6", "--seed", "1", "-o", str(tmp_path / "birds.png")]) == 0
    assert (tmp_path / "birds.png").stat().st_size > 1000
    assert main(["sample", GEN, "-n", "6", "--seed", "1", "-o", str(tmp_path / "birds.npz")]) == 0
    test = load_dataset(tmp_path / "birds.npz", quiet=True)["test"]
    assert len(test) == 6 and test.label_names() == ["bird"] * 6
    capsys.readouterr()
    assert main(["encode", GEN, str(tmp_path / "birds.npz"), "-o", str(tmp_path / "z.h5")]) == 2
    err = capsys.readouterr().err
    assert "unconditional" in err and err.count("\n") == 1 and not (tmp_path / "z.h5").exists()


def test_an_offline_copy_that_is_not_the_published_file_is_refused(tmp_path, monkeypatch, shared):
    fake = tmp_path / "shared"
    (fake / "models/sketch-rnn-js").mkdir(parents=True)
    header, shapes, weights = json.loads((shared / "models/sketch-rnn-js/bird.gen.json").read_text())
    header["scale_factor"] = 1.0
    (fake / "models/sketch-rnn-js/bird.gen.json").write_text(json.dumps([header, shapes, weights]))
    monkeypatch.setenv("LATENTLAB_MIRROR", "http://127.0.0.1:9")
    monkeypatch.setenv("LATENTLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LATENTLAB_SHARED", str(fake))
    with pytest.raises(LatentlabError, match="offline copy of sketchrnn-js/bird.gen is not the published file"):
        model_path(GEN)
    assert not (tmp_path / "cache/models/sketchrnn-js/bird.gen.json").exists()

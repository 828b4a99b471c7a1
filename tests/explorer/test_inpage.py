"""The model inside the report: the page's encoder, sampler and search against the Python runtime, in Chromium."""
from __future__ import annotations

import json

import numpy as np
import pytest

from latentlab.io.quickdraw import drawing_to_stroke3
from latentlab.model.config import HParams
from latentlab.model.layout import variable_shapes
from latentlab.model.runtime import SketchRNN
from latentlab.explorer.report import write_report
from latentlab.store import LatentStore, encode_to_store
from latentlab import tl

from helpers.browser import DOUBLE_CLICK_MS, replay, show_tab
from helpers.tiled import PINNED, TiledPage, page_files, page_meta
from helpers import MODELS, QUICKDRAW, SHEEP

ROWS = [0, 7, 42, 101, 250]
W_HH = "vector_rnn/RNN/LSTMCell/W_hh"
LENGTH = '#ll-ranges .range[data-column="length"]'


@pytest.fixture(scope="module")
def sheep_store(sheep_model, tmp_path_factory):
    """aaron_sheep's test split (300 sketches), projected."""
    s = LatentStore(encode_to_store(sheep_model, [SHEEP], tmp_path_factory.mktemp("inpage") / "sheep.h5",
                                    splits=["test"], progress=False))
    tl.pca(s, n_components=5)
    return s


@pytest.fixture(scope="module")
def pages(sheep_store, sheep_model, tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    return {p: write_report(sheep_store, out / f"{p}.html", basis="pca", with_model=True, model=sheep_model,
                            model_precision=p) for p in ("float32", "int8")}


DRAWN = "latentlab.debug.S.drawing ? latentlab.debug.S.neighbors.map((p) => p.tile.A.row[p.k]) : null"


def _open(browser, path) -> TiledPage:
    page = TiledPage(browser, path.as_uri())
    page.wait_for_function("document.body.dataset.model === 'ready'", timeout=60_000)
    return page


def test_the_report_carries_the_model_only_when_asked(sheep_store, pages, tmp_path):
    plain = write_report(sheep_store, tmp_path / "plain.html", basis="pca")
    assert page_meta(plain)["model"] is None and "ll-model-js\"></script>" in plain.read_text()
    m8 = page_meta(pages["int8"])["model"]
    assert m8["precision"] == "int8" and page_files(pages["int8"])["model.bin"][W_HH].dtype == np.int8
    assert page_files(pages["float32"])["model.bin"][W_HH].dtype == np.float32
    assert m8["weights_sha256"] == sheep_store.provenance["weights_sha256"]
    # aaron_sheep was made with magenta's lines_to_strokes: the first point is the origin, not a row
    assert m8["drawing"]["first_point"] == "origin" and 200 < m8["drawing"]["side"] < 280


def test_page_encoder_matches_the_runtime(browser, sheep_store, sheep_model, pages):
    sketches = sheep_store.sketches(ROWS)
    want = sheep_model.encode(sketches, deterministic=True).mu
    for precision, bound in (("float32", 1e-4), ("int8", 0.1)):
        page = _open(browser, pages[precision])
        got = np.array([page.evaluate("(p) => latentlab.encode(p)", s.tolist()) for s in sketches])
        err = np.abs(got - want).max()
        assert err <= bound, (precision, err)
        assert np.abs(want).max() > 0.5  # not two near-zero vectors
        page.close_clean()


def test_page_neighbours_are_the_cosine_ranking_of_the_stored_mu(browser, sheep_store, pages):
    page = _open(browser, pages["int8"])
    mu = sheep_store.read("obsm/mu")
    cell = page_files(pages["int8"])["search/0.bin"]  # one cell: every row of the page, searched whole
    assert page_meta(pages["int8"])["model"]["search"]["cells"] == 1 and len(cell["row"]) == len(sheep_store)
    stored = cell["mu_q"].astype(np.float64) * cell["mu_scale"]  # what the page holds
    unit = stored / np.linalg.norm(stored, axis=1, keepdims=True)
    for row in ROWS:
        got = page.evaluate("(m) => latentlab.neighbors(m, 6)", mu[row].tolist())
        sims = unit @ (mu[row] / np.linalg.norm(mu[row]))
        assert got == cell["row"][np.argsort(-sims, kind="stable")[:6]].tolist() and got[0] == row
    page.close_clean()


def test_greedy_decode_follows_the_runtime_for_50_steps(browser, sheep_store, sheep_model, pages):
    page = _open(browser, pages["float32"])
    z = sheep_store.read("obsm/mu")[ROWS[:3]]
    for zi, want in zip(z, sheep_model.decode(z, greedy=True)):
        got = np.array(page.evaluate("(z) => latentlab.decode(z, {greedy: true})", zi.tolist()))
        steps = min(50, len(want))
        assert len(got) >= steps
        assert np.array_equal(got[:steps, 2], want[:steps, 2])
        assert np.abs(got[:steps, :2] - want[:steps, :2]).max() <= 1e-2  # data units (a sheep spans ~240)
    page.close_clean()


def test_a_replayed_sketch_finds_itself(browser, sheep_store, pages, tmp_path):
    page = _open(browser, pages["int8"])
    show_tab(page, "draw")
    for row in ROWS[:3]:
        page.click("#ll-draw-clear")
        page.wait_for_function("!latentlab.debug.S.drawing")
        replay(page, sheep_store.sketches([row])[0])
        page.wait_for_function("latentlab.debug.S.drawing && latentlab.debug.S.drawing.rows.length === "
                               f"{len(sheep_store.sketches([row])[0])}",
                               timeout=20_000)
        assert page.evaluate(DRAWN)[0] == row
        strip = page.evaluate("Array.from(document.querySelectorAll('#ll-strip canvas'), c => +c.dataset.row)")
        assert strip[0] == row and len(strip) == 12  # the strip shows them
        assert page.evaluate("latentlab.debug.S.neighbors.length") == 12  # ringed on the map
    page.screenshot(path=tmp_path / "drawn.png")
    page.close_clean()


def test_draw_to_search_finds_only_sketches_that_pass_the_filters(browser, sheep_store, pages, tmp_path):
    page = _open(browser, pages["int8"])
    page.set_viewport_size({"width": 1280, "height": 800})
    show_tab(page, "draw")
    for selector in ("#ll-draw", LENGTH):  # the drawing pad and the length filter in view together
        r = page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().toJSON()")
        assert r["top"] >= 0 and r["bottom"] <= 800 and r["height"] > 0, selector
    row = ROWS[0]
    sketch = sheep_store.sketches([row])[0]
    replay(page, sketch)
    page.wait_for_function(f"({DRAWN}) && ({DRAWN}).length", timeout=20_000)
    assert page.evaluate(DRAWN)[0] == row
    lengths = sheep_store.read("obs/length")
    cut = int(lengths[row]) + 1  # a length filter that leaves the drawn sheep's own row out
    assert (lengths >= cut).sum() >= 12
    lo, hi = page.evaluate("latentlab.debug.M.columns.find((c) => c.name === 'length').range")
    page.fill(f"{LENGTH} input >> nth=0", str(int(np.ceil(1000 * (cut - lo) / (hi - lo)))))
    page.wait_for_function(f"!({DRAWN}).includes({row})")
    found = page.evaluate(DRAWN)
    assert len(found) == 12 and all(lengths[r] >= cut for r in found)  # searched again, among those that pass
    assert "pass the filters" in page.text_content("#ll-nn-note")
    page.screenshot(path=tmp_path / "filtered_search.png")
    page.close_clean()


@pytest.mark.parametrize("first_point", ["offset", "origin"])
def test_page_converts_drawings_as_python_does(browser, pages, first_point):
    """Raw Quick, Draw! drawings (timed, so simplified): the page's conversion equals drawing_to_stroke3."""
    page = _open(browser, pages["int8"])
    settings = {"side": 255.0, "rdp_epsilon": 2.0, "first_point": first_point}
    with open(sorted((QUICKDRAW / "raw").glob("*.ndjson"))[0]) as fh:
        drawings = [json.loads(next(fh))["drawing"] for _ in range(6)]
    for drawing in drawings:
        want = drawing_to_stroke3(drawing, settings["rdp_epsilon"], side=settings["side"], first_point=first_point)[0]
        got = page.evaluate("([d, s]) => latentlab.fromDrawing(d.map((k) => [k[0], k[1]]), s)", [drawing, settings])
        assert np.array_equal(np.array(got), want)
    page.close_clean()


def test_interpolation_strip_decodes_in_the_page_without_freezing_it(browser, sheep_store, pages):
    page = _open(browser, pages["int8"])
    show_tab(page, "interp")
    for end, row in (("a", 3), ("b", 150)):
        page.wait_for_timeout(DOUBLE_CLICK_MS)  # a second click on the map, not a double click
        page.mouse.click(*page.point_of(row))
        page.wait_for_function(f"({PINNED}) === {row}")
        page.click(f"#ll-{end}-pin")
    page.fill("#ll-steps", "6")
    cores = page.evaluate("navigator.hardwareConcurrency")
    assert page.evaluate("latentlab.workerCount()") == max(1, min(4, cores - 1))  # a core left to draw the page
    # the decode runs in the workers (how long the page's frames wait meanwhile is measured by bench/explorer_scale.py)
    page.click("#ll-run")
    page.wait_for_function("latentlab.debug.S.interpStrip && latentlab.debug.S.interpStrip.length === 6 && "
                           "latentlab.debug.S.interpStrip.every((s) => s)",
                           timeout=60_000)
    assert all(len(s) > 5 for s in page.evaluate("latentlab.debug.S.interpStrip"))
    assert page.locator("#ll-istrip .cell").count() == 6 and page.locator("#ll-istrip .pending").count() == 0
    page.close_clean()


def _random_model(cell: str, seed: int = 0) -> SketchRNN:
    hps = HParams(enc_model=cell, dec_model=cell, enc_rnn_size=16, dec_rnn_size=24, z_size=128, num_mixture=3,
                  max_seq_len=250, conditional=True, is_training=False, use_recurrent_dropout=False)
    rng = np.random.default_rng(seed)
    weights = {name: rng.normal(0, 0.3, shape).astype(np.float32) for name, shape in variable_shapes(hps).items()}
    return SketchRNN(hps, weights, scale_factor=18.5, model_dir=f"random {cell}")


def test_layer_norm_cells_run_in_the_page(browser, sheep_store, tmp_path):
    model = _random_model("layer_norm")
    path = write_report(sheep_store, tmp_path / "ln.html", basis="pca", model=model, model_precision="float32")
    page = _open(browser, path)
    sketches = sheep_store.sketches(ROWS[:3])
    want = model.encode(sketches, deterministic=True).mu
    got = np.array([page.evaluate("(p) => latentlab.encode(p)", s.tolist()) for s in sketches])
    assert np.abs(got - want).max() <= 1e-4
    decoded = model.decode(want[:1], greedy=True, max_len=50)[0]
    greedy = np.array(page.evaluate("(z) => latentlab.decode(z, {greedy: true, maxLen: 50})", want[0].tolist()))
    assert len(greedy) == len(decoded) and np.abs(greedy - decoded).max() <= 1e-2
    page.close_clean()


def test_a_hyper_model_says_it_does_not_run_in_the_page(browser, sheep_store, tmp_path):
    path = write_report(sheep_store, tmp_path / "hyper.html", basis="pca", model=_random_model("hyper"))
    page = TiledPage(browser, path.as_uri())
    page.wait_for_function("document.getElementById('ll-draw-note').textContent.includes('hyper')")
    assert page.is_hidden("#ll-draw-box") and page.is_hidden("#ll-interp")
    assert page.evaluate("typeof window.latentlab.encode") == "undefined"  # the explorer runs, no model API
    page.close_clean()


def test_cli_writes_the_model_into_the_report(sheep_store, tmp_path, capsys):
    from latentlab.cli.main import main

    out = tmp_path / "cli.html"
    assert main(["report", str(sheep_store.path), "--basis", "pca", "--with-model", "--model-precision", "float32",
                 "-o", str(out)]) == 0
    model = page_meta(out)["model"]
    assert model["precision"] == "float32" and model["model_dir"] == sheep_store.provenance["model_dir"]
    # another model than the store's is refused in one line, and nothing is written
    assert main(["report", str(sheep_store.path), "--basis", "pca", "--with-model", "--model",
                 str(MODELS / "quickdraw_mini"), "-o", str(tmp_path / "other.html")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not the model that encoded" in err[0] and not (tmp_path / "other.html").exists()

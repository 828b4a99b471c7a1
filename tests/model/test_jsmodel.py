"""sketch-rnn-js JSON models: the published ones load and draw their class; ours run in @magenta/sketch."""
import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

from latentlab.errors import LatentlabError
from latentlab.model.jsmodel import export_js_model
from latentlab.model.runtime import SketchRNN

JS_DIR = Path(__file__).parents[1] / "js"


@pytest.fixture(scope="module")
def sheep_gen(shared):
    return SketchRNN.load(shared / "models/sketch-rnn-js/sheep.gen.json")


def test_published_gen_models_load(shared):
    for path in sorted((shared / "models/sketch-rnn-js").glob("*.gen.json")):
        model = SketchRNN.load(path)
        header = json.loads(path.read_text())[0]
        assert not model.hps.conditional and model.hps.dec_rnn_size == 512 and model.hps.num_mixture == 20
        assert model.scale_factor == pytest.approx(header["scale_factor"])


def test_sheep_gen_model_draws_sheep_not_noise(sheep_gen, sheep):
    """Samples from the published sheep decoder are explained far better by it than random walks."""
    samples = sheep_gen.decode(n=8, temperature=0.3, seed=0)
    assert all(10 < len(s) <= sheep_gen.hps.max_seq_len for s in samples)
    real = [s for s in sheep["test"].sketches if len(s) <= sheep_gen.hps.max_seq_len][:8]
    rng = np.random.default_rng(0)
    noise = [np.column_stack([rng.normal(0, 30, (60, 2)), rng.random(60) < 0.1]).astype(np.float32)
             for _ in range(8)]
    lr_real = sheep_gen.log_likelihood(real)["Lr"].mean()
    lr_noise = sheep_gen.log_likelihood(noise)["Lr"].mean()
    assert lr_real < lr_noise - 0.5


def test_export_round_trip_within_quantisation(sheep_gen, tmp_path):
    path = export_js_model(sheep_gen, tmp_path / "sheep.json")
    again = SketchRNN.load(path)
    for name, value in sheep_gen.weights.items():
        np.testing.assert_allclose(again.weights[name], value, atol=10 / 32767 * 0.51)


def test_bad_js_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{}, [[1]], ["AAAA"]]))
    with pytest.raises(LatentlabError, match="1 weight arrays; expected 5"):
        SketchRNN.load(bad)


@pytest.fixture(scope="module")
def node_client():
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("node and npm are needed to check models in the real @magenta/sketch client")
    if not (JS_DIR / "node_modules/@magenta/sketch").is_dir():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=JS_DIR, check=True,
                       timeout=600)
    return JS_DIR / "pdf_after_strokes.js"


@pytest.fixture
def loopback(tmp_path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _stroke5_rows(sketch):
    rows = [[0.0, 0.0, 1.0, 0.0, 0.0]]
    rows += [[float(dx), float(dy), float(1 - p), float(p), 0.0] for dx, dy, p in sketch]
    return rows


def test_exported_conditional_model_runs_in_magenta_js(node_client, loopback, sheep):
    """Our conditional model, exported for one z, gives @magenta/sketch the PDF our runtime computes."""
    from latentlab.model.checkpoint import write_checkpoint
    from latentlab.model.config import HParams, save_config
    from latentlab.train.state import init_weights

    folder, url = loopback
    hps = HParams(enc_rnn_size=32, dec_rnn_size=64, z_size=16, num_mixture=20, max_seq_len=250)
    rng = np.random.default_rng(0)
    weights = {k: v + rng.normal(0, 0.1, v.shape).astype(np.float32) for k, v in init_weights(hps, 0).items()}
    write_checkpoint(folder / "model", weights, 1)
    save_config(hps, folder / "model")
    (folder / "model/model_info.json").write_text(json.dumps({"scale_factor": sheep.scale_factor}))
    model = SketchRNN.load(folder / "model")
    sketch = sheep["test"].sketches[3][:30]
    z = model.encode([sketch]).mu
    export_js_model(model, folder / "cond.json", z=z[0])
    (folder / "strokes.json").write_text(json.dumps(_stroke5_rows(sketch)))
    res = subprocess.run(["node", str(node_client), f"{url}/cond.json", str(folder / "strokes.json")],
                         capture_output=True, text=True, timeout=300, cwd=JS_DIR)
    assert res.returncode == 0, res.stderr[-2000:]
    js = json.loads(res.stdout.strip().splitlines()[-1])
    ours = model.mixture_params([sketch], z)
    step = len(sketch)  # after the start token and every point: the PDF of the next point
    pairs = {"pi": "pi", "muX": "mu1", "muY": "mu2", "sigmaX": "sigma1", "sigmaY": "sigma2", "corr": "corr",
             "pen": "pen"}
    for js_name, our_name in pairs.items():
        np.testing.assert_allclose(js[js_name], getattr(ours, our_name)[0, step], atol=5e-3, rtol=2e-2,
                                   err_msg=js_name)
    assert len(js["sample"]) == 5 and sum(js["sample"][2:]) == 1


@pytest.mark.parametrize("header, shapes, message", [
    ([], None, "its header is '[]', not an object"),
    ("x", None, "its header is 'x', not an object"),
    ({"max_seq_len": 10 ** 12}, None, "header max_seq_len 1000000000000: expected an integer in 2..10000"),
    ({"max_seq_len": 2.5}, None, "header max_seq_len 2.5"),
    ({"name": "a\x07" * 1650}, None, "model name 0 'a\\x07"),
    ({"scale_factor": "big"}, None, "header scale_factor big"),
    ({}, [[512.0, 123]], "[shape 0]: [512.0, 123]: expected 1 or 2 integer sizes"),
    ({}, [["512", 123]], "[shape 0]"),
    ({}, [[-512, 123]], "[shape 0]: [-512, 123]"),
])
def test_a_bad_header_or_shape_is_one_line_before_any_work(shared, tmp_path, capsys, header, shapes, message):
    from latentlab.cli.main import main

    real_header, real_shapes, blobs = json.loads((shared / "models/sketch-rnn-js/bird.gen.json").read_text())
    header = {**real_header, **header} if isinstance(header, dict) else header
    if shapes is not None:
        real_shapes = shapes + real_shapes[1:]
    path = tmp_path / "bad.gen.json"
    path.write_text(json.dumps([header, real_shapes, blobs]))
    assert main(["sample", str(path), "-n", "1", "-o", str(tmp_path / "s.png")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert not (tmp_path / "s.png").exists()

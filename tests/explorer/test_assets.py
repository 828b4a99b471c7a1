"""The explorer's JavaScript: its pure modules agree with the Python they mirror (packing, RDP, sampling, slerp,
the page's SketchRNN) and node's tests cover them (`node --test tests/js`, given a fixture written here from
latentlab's own functions); the bundles the pages carry are esbuild's build of the modules as they are."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from latentlab.io.quickdraw import drawing_to_stroke3
from latentlab.explorer.inpage import model_arrays
from latentlab.explorer.packing import UNSAFE, from_text, pack_binary, to_text
from latentlab.explorer.sketchtable import quantise
from latentlab.explorer.strokecode import code_table, encode_steps
from latentlab.io.npz import load_npz
from latentlab.tl import slerp

JS = Path(__file__).parents[1] / "js"
SOURCES = Path(__file__).parents[2] / "latentlab/explorer/js"
ASSETS = SOURCES.parent / "assets"
# the modules that touch no page: node's tests must cover >= 80% of each one's lines
PURE = ("categories", "core", "glyphs", "histogram", "hittest", "labels", "ramp", "search", "share", "sketchrnn",
        "strokecode")
MIN_COVERAGE = 80.0


def _sample_index(logits: np.ndarray, tau: float, u: float) -> int:
    """latentlab.model.mixture.sample_index in numpy: the inverse CDF of softmax(log_softmax(logits) / tau)."""
    z = (logits - logits.max()) / tau
    cdf = np.cumsum(np.exp(z) / np.exp(z).sum())
    return int(min((cdf < u).sum(), len(logits) - 1))


def _model_fixture(model, sketches: list[np.ndarray]) -> dict:
    """The model packed as a page carries it (``model.bin``, inlined as text; both precisions), the runtime's mu of
    ``sketches`` and its greedy decode of the first (30 steps)."""
    packed = {}
    for precision in ("float32", "int8"):
        meta, tensors = model_arrays(model, precision=precision)
        packed[precision] = {"meta": meta, "file": to_text(pack_binary(tensors))}
    mu = model.encode(sketches, deterministic=True).mu
    greedy = model.decode(mu[:1], greedy=True, max_len=30)[0]
    return {**packed, "sketches": [s.tolist() for s in sketches], "mu": mu.tolist(), "greedy": greedy.tolist()}


@pytest.fixture(scope="module")
def fixture(tmp_path_factory, mini_model, shared):
    rng = np.random.default_rng(0)
    arrays = {"x": rng.normal(size=7).astype(np.float32), "label": np.array([3, -1, 2], np.int16),
              "steps": rng.integers(-128, 128, 11).astype(np.int8), "row": np.arange(5, dtype=np.uint32)}
    # every byte value, and the 7-bit groups that need escaping (0, 13 and 60 spread across byte boundaries)
    raw = bytes(range(256)) + bytes([0] * 9) + bytes([0b00011010, 0b01111000]) + rng.bytes(300)
    pairs = [(rng.normal(size=8), rng.normal(size=8)) for _ in range(4)]
    pairs += [(np.array([1.0, 2, 3]), np.array([-2.0, -4, -6])), (np.zeros(3), np.ones(3))]  # opposite, zero
    drawings = []
    for k in range(3):
        strokes = [[np.cumsum(rng.normal(0, 9, 30)).tolist(), np.cumsum(rng.normal(0, 9, 30)).tolist()]
                   for _ in range(k + 1)]
        for settings in ({"side": 255, "rdp_epsilon": 2.0, "first_point": "offset"},
                         {"side": 100, "rdp_epsilon": 0.5, "first_point": "origin"}):
            rows, _ = drawing_to_stroke3(strokes, settings["rdp_epsilon"], side=settings["side"],
                                         first_point=settings["first_point"], simplify=True)
            drawings.append({"strokes": strokes, "settings": settings, "rows": rows.tolist()})
    samples = []
    for _ in range(200):
        logits, tau, u = rng.normal(0, 2, 6), float(rng.uniform(0.05, 1.5)), float(rng.uniform())
        samples.append({"logits": logits.tolist(), "tau": tau, "u": u, "want": _sample_index(logits, tau, u)})
    table = quantise(load_npz(shared / "data/sketchrnn/aaron_sheep.npz")["train"][:1500])
    lengths = np.diff(table.offsets).astype(np.uint16)
    coded = code_table({"orig_steps": table.steps, "orig_len": lengths}, "orig")
    rare = rng.integers(-127, 128, (3000, 2)).astype(np.int8)  # more distinct steps than the alphabet: escapes
    escaping = {f"orig_{k}": v for k, v in encode_steps(rare, [0, 1000, 2000]).items()}
    escaping["orig_len"] = np.array([0, 1000, 2000], np.uint16)
    data = {
        "strokecode": [{"arrays": {k: [v.dtype.name, v.ravel().tolist()] for k, v in a.items()},
                        "steps": s.ravel().tolist()}
                       for a, s in ((coded, table.steps), (escaping, rare))],
        "text": {"bytes": list(raw), "text": to_text(raw)},
        "pack": {"file": to_text(pack_binary(arrays)), "arrays": {k: v.tolist() for k, v in arrays.items()}},
        "slerp": [{"a": a.tolist(), "b": b.tolist(), "t": t, "want": slerp(a, b, t)[0].tolist()}
                  for a, b in pairs for t in (0.0, 0.3, 0.5, 1.0)],
        "drawings": drawings, "sample": samples,
        "model": _model_fixture(mini_model, [s for s in load_npz(shared / "data/sketchrnn/aaron_sheep.npz")["test"]
                                             if len(s) <= mini_model.hps.max_seq_len][:4]),
    }
    path = tmp_path_factory.mktemp("js") / "fixture.json"
    path.write_text(json.dumps(data))
    return path


def _coverage(stdout: str) -> dict[str, float]:
    """Line coverage by module of latentlab/explorer/js from the report of node's --experimental-test-coverage."""
    out = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.lstrip("# ").split("|")]
        if len(cells) >= 2 and cells[0].endswith(".js") and "latentlab/explorer/js/" in cells[0]:
            out[Path(cells[0]).stem] = float(cells[1])
    return out


def test_the_pure_modules_agree_with_python_and_are_covered(fixture):
    if shutil.which("node") is None:
        pytest.fail("node is needed to test the explorer's JavaScript")
    env = {"PATH": os.environ["PATH"], "LATENTLAB_JS_FIXTURE": str(fixture)}
    done = subprocess.run(["node", "--test", "--experimental-test-coverage", str(JS)], capture_output=True,
                          text=True, timeout=300, env=env)
    summary = dict(line[2:].split(" ", 1) for line in done.stdout.splitlines() if line.startswith("# ") and
                   line[2:].split(" ", 1)[0] in ("pass", "fail", "skipped"))
    assert done.returncode == 0 and summary.get("fail") == "0", done.stdout[-4000:] + done.stderr[-2000:]
    assert summary.get("skipped") == "0" and int(summary["pass"]) >= 25, summary
    coverage = _coverage(done.stdout)
    low = {name: coverage.get(name) for name in PURE if coverage.get(name, 0.0) < MIN_COVERAGE}
    assert not low, (low, coverage)


def test_the_bundles_are_the_build_of_the_modules(tmp_path):
    """The bundles the wheel ships are what `make js` builds from latentlab/explorer/js now (a module edited
    without a rebuild fails here)."""
    esbuild = SOURCES / "node_modules/.bin/esbuild"
    if not esbuild.exists():
        pytest.fail("esbuild is needed: run `make js` (npm install in latentlab/explorer/js)")
    subprocess.run(["node", str(SOURCES / "build.mjs"), str(tmp_path)], check=True, timeout=120)
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == ["explorer.bundle.js", "sketchrnn.worker.js", "widget.bundle.js"]
    for name in built:
        assert (tmp_path / name).read_bytes() == (ASSETS / name).read_bytes(), f"{name} is stale: run `make js`"


def test_packed_text_round_trips_and_stays_inert_in_a_script_element():
    rng = np.random.default_rng(1)
    for n in (0, 1, 6, 7, 8, 9, 1000, (7 << 20) + 5):
        data = rng.bytes(n)
        text = to_text(data, chunk=7 << 10)
        assert from_text(text) == data
        assert len(text) == -(-n * 8 // 7)
        assert not {chr(u) for u in UNSAFE} & set(text)  # no NUL, CR or "<" reaches the page
    data = rng.bytes(1 << 20)
    assert len(to_text(data).encode("utf-8")) < 1.2 * len(data)  # base64 would be 1.33

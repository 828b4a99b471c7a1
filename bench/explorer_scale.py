"""Explorer report budgets: file size (and what fills it), write time and memory, and in headless Chromium
page-ready time, first-hover and hover-to-inspector latency, and whether hover shows the point under the cursor.

Two stores, each with UMAP, PCA, 10 neighbours, per-sketch Lr and decodes at tau 0.1 (sketch-rnn-js's choices):
aaron_sheep's three splits (8,000 real sketches) encoded by the bundled model; and 100,000 DISTINCT sheep,
samples of the official sketch-rnn-js sheep decoder converted as real drawings are (repeats dropped), encoded
and decoded by the same model, so 100,000 distinct sketches and 100,000 distinct decodes (made once, kept in
--out: about 40 minutes on 2 cores).

Hover is measured on points with the sketches drawn on the map turned off (a drawn sketch answers the pointer
before the points it covers); the first hover after the page is ready is measured with them on, as a user meets it.

    python bench/explorer_scale.py [--out out/bench]
    python bench/explorer_scale.py --in-page     # the model in the page (report --with-model) on the 8,000 sheep
    python bench/explorer_scale.py --sheep-length 100000   # 100,000 distinct sketches of aaron_sheep's length

Prints its figures; the last line is one JSON object.  Needs Chromium (apt-get install chromium).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' helpers (tests/helpers)

from latentlab.model import tf_environment  # noqa: E402
from latentlab.paths import DEFAULT_MODEL  # noqa: E402
from latentlab.errors import LatentlabError  # noqa: E402
from latentlab.store import LatentStore  # noqa: E402

SHEEP = Path(os.environ.get("LATENTLAB_SHARED", ROOT.parent / "shared")) / "data/sketchrnn/aaron_sheep.npz"
# The child's own peak memory is VmHWM (ru_maxrss would carry the parent's high-water mark across exec).
WRITE = ("import re, sys, time; from latentlab.store import LatentStore; "
         "from latentlab.explorer.report import write_report; t = time.perf_counter(); "
         "write_report(LatentStore(sys.argv[1]), sys.argv[2]); "
         "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
         "print(time.perf_counter() - t, hwm)")


def sheep_store(path: Path) -> LatentStore:
    """The 8,000-sheep store with everything the report shows (kept between runs)."""
    from latentlab.model import SketchRNN
    from latentlab.store import encode_to_store
    from latentlab import tl
    from latentlab.tl._score import score

    try:
        if LatentStore(path).has("obs/Lr"):
            return LatentStore(path)
    except LatentlabError:  # absent, or of an earlier layout: made again
        pass
    path.unlink(missing_ok=True)
    model = SketchRNN.load(DEFAULT_MODEL)
    store = LatentStore(encode_to_store(model, [SHEEP], path, splits=["train", "valid", "test"]))
    tl.pca(store, n_components=20)
    tl.umap(store, random_state=0)
    tl.neighbors(store, n_neighbors=10)
    tl.decode(store, model, temperature=0.1, random_state=0, softmax_temperature="js")
    score(store, model)
    return store


def distinct_store(path: Path, n: int, seed: int = 0) -> tuple[LatentStore, dict]:
    """``n`` distinct sheep: samples of the official sketch-rnn-js sheep decoder (converted as real drawings
    are, repeats dropped), encoded by the bundled sheep model, with everything the report shows; each step's
    seconds returned.  Kept between runs."""
    from latentlab import tl
    from latentlab.model import SketchRNN
    from latentlab.store import encode_to_store
    from latentlab.tl._score import score
    from latentlab.train.generate import generate_dataset

    try:
        if LatentStore(path).has("obs/Lr") and len(LatentStore(path)) == n:
            return LatentStore(path), {}
    except LatentlabError:  # absent, or of an earlier layout: made again
        pass
    path.unlink(missing_ok=True)
    times, t0 = {}, time.perf_counter()
    model = SketchRNN.load(DEFAULT_MODEL)
    npz = path.with_suffix(".npz")
    if not npz.exists():
        generate_dataset(["sketchrnn-js/sheep.gen"], npz, split_sizes={"train": n, "valid": 0, "test": 0},
                         max_len=model.hps.max_seq_len, seed=seed)
    times["generate_s"], t0 = time.perf_counter() - t0, time.perf_counter()
    store = LatentStore(encode_to_store(model, [npz], path, splits=["train"]))
    times["encode_s"], t0 = time.perf_counter() - t0, time.perf_counter()
    tl.pca(store, n_components=20)
    tl.umap(store, random_state=0)
    times["umap_s"], t0 = time.perf_counter() - t0, time.perf_counter()
    tl.neighbors(store, n_neighbors=10)
    times["neighbors_s"], t0 = time.perf_counter() - t0, time.perf_counter()
    tl.decode(store, model, temperature=0.1, random_state=0, softmax_temperature="js")
    times["decode_s"], t0 = time.perf_counter() - t0, time.perf_counter()
    score(store, model)
    times["score_s"] = time.perf_counter() - t0
    return store, times


def jittered_store(path: Path, n: int, seed: int = 0) -> LatentStore:
    """``n`` distinct sketches of aaron_sheep's length: its 8,000 sketches, then copies of them with every
    offset moved by -1, 0 or 1 data units (seeded), encoded and decoded by the bundled model with everything the
    report shows.  Kept between runs."""
    from latentlab import tl
    from latentlab.io.npz import load_npz, save_npz
    from latentlab.model import SketchRNN
    from latentlab.store import encode_to_store
    from latentlab.tl._score import score

    try:
        if LatentStore(path).has("obs/Lr") and len(LatentStore(path)) == n:
            return LatentStore(path)
    except LatentlabError:  # absent, or of an earlier layout: made again
        pass
    path.unlink(missing_ok=True)
    data = load_npz(SHEEP)
    real = [s for split in ("train", "valid", "test") for s in data[split]]
    rng = np.random.default_rng(seed)
    sketches = []
    for k in range(n):
        s = np.array(real[k % len(real)], np.int16)
        if k >= len(real):
            s[:, :2] += rng.integers(-1, 2, (len(s), 2)).astype(np.int16)
        sketches.append(s)
    npz = path.with_suffix(".npz")
    save_npz(npz, {"train": np.array(sketches, dtype=object), "valid": np.array(sketches[:1], dtype=object),
                   "test": np.array(sketches[:1], dtype=object)})
    model = SketchRNN.load(DEFAULT_MODEL)
    store = LatentStore(encode_to_store(model, [npz], path, splits=["train"]))
    tl.pca(store, n_components=20)
    tl.umap(store, random_state=0)
    tl.neighbors(store, n_neighbors=10)
    tl.decode(store, model, temperature=0.1, random_state=0, softmax_temperature="js")
    score(store, model)
    return store


def write(store: LatentStore, out: Path) -> dict:
    """Write the report in a child process: its own seconds and peak memory."""
    done = subprocess.run([sys.executable, "-c", WRITE, str(store.path), str(out)], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    seconds, peak_kb = done.stdout.split()[-2:]
    return {"write_s": float(seconds), "rss_mb": int(peak_kb) / 1024, "mb": out.stat().st_size / 1e6}


def in_browser(path: Path, hovers: int = 100, seed: int = 0) -> dict:
    """Page ready time, first hover (sketches on the map on), hover-to-inspector latency and the share of hovers on
    a point that show it (sketches on the map off)."""
    from playwright.sync_api import sync_playwright

    from helpers.browser import launch
    from helpers.tiled import hover_rightness

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("document.body.dataset.ready === '1'", timeout=120_000)
        ready = time.perf_counter() - t0
        box = page.evaluate("document.querySelector('#ll-map').getBoundingClientRect().toJSON()")
        x, y = page.evaluate("[latentlab.debug.S.drawn.X[0], latentlab.debug.S.drawn.Y[0]]")
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.wait_for_function("latentlab.debug.S.hoverMs.length > 0", timeout=30_000)
        first_ms = page.evaluate("latentlab.debug.S.hoverMs[0]")
        page.uncheck("#ll-thumbs")
        right, lat = hover_rightness(page, box, hovers, np.random.default_rng(seed))
        drawn = page.evaluate("latentlab.debug.S.drawn.X.length")
        browser.close()
    return {"ready_s": ready, "first_hover_ms": first_ms, "hover_ms": float(np.median(lat)),
            "hover_ms_p95": float(np.percentile(lat, 95)), "hover_right": right / hovers, "hovers": hovers,
            "drawn": drawn}


def page_parts(path: Path) -> dict:
    """Megabytes each part of the page's data takes in the file (each part deflated alone, 7 bits a character):
    the sketches, their decodes and the per-point arrays of the first projection's tile, the further projections'
    coordinates, the row files (neighbours) and the model's files."""
    from latentlab.explorer.packing import deflate_arrays

    from helpers.tiled import page_files, page_meta

    files, sizes = page_files(path), page_meta(path)["files"]
    tile = files["tiles/0/0-0.bin"]
    groups = {"orig": [k for k in tile if k.startswith("orig_")], "decoded": [k for k in tile if k.startswith("dec")]}
    groups["points"] = [k for k in tile if k not in groups["orig"] + groups["decoded"]]
    mb = {f"mb_{name}": len(deflate_arrays({k: tile[k] for k in keys})[0]) * 8 / 7 / 1e6
          for name, keys in groups.items()}
    for name, prefix in (("projections", "tiles_"), ("rows", "rows/"), ("model", ("model", "search/"))):
        mb[f"mb_{name}"] = sum(n for f, (_, n) in sizes.items() if f.startswith(prefix)) * 8 / 7 / 1e6
    return mb


def in_page(out: Path, samples: int = 20, seed: int = 0) -> dict:
    """The model in the page: size it adds, encode and strip times, agreement with the Python runtime."""
    from playwright.sync_api import sync_playwright

    from helpers.browser import launch, replay, show_tab  # the tests' pointer replay
    from helpers.tiled import page_meta

    from latentlab.model import SketchRNN
    from latentlab.explorer.report import write_report

    store = sheep_store(out / "sheep_all.h5")
    model = SketchRNN.load(DEFAULT_MODEL)
    pages, r = {}, {}
    for precision in ("int8", "float32"):
        pages[precision] = write_report(store, out / f"inpage_{precision}.html", with_model=True, model=model,
                                        model_precision=precision)
        r[f"inpage_model_mb_{precision}"] = page_meta(pages[precision])["files"]["model.bin"][1] * 8 / 7 / 1e6
    r["inpage_model_mb"] = r["inpage_model_mb_int8"]
    plain = write_report(store, out / "inpage_none.html")
    r["inpage_page_mb_added"] = (pages["int8"].stat().st_size - plain.stat().st_size) / 1e6  # model, mu, runtime
    rng = np.random.default_rng(seed)
    lengths = store.read("obs/length")
    rows = sorted(rng.choice(len(store), samples, replace=False).tolist())
    longest = int(np.flatnonzero(lengths == lengths.max())[0])
    sketches = store.sketches(rows)
    mu_py = model.encode(sketches, deterministic=True).mu
    mu_all = store.read("obsm/mu")
    unit = mu_all / np.linalg.norm(mu_all, axis=1, keepdims=True)
    with sync_playwright() as p:
        browser = launch(p)
        for precision, path in pages.items():
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function("document.body.dataset.model === 'ready'", timeout=120_000)
            r[f"inpage_model_ready_s_{precision}"] = time.perf_counter() - t0
            got = np.array([page.evaluate("(p) => latentlab.encode(p)", s.tolist()) for s in sketches])
            r[f"inpage_mu_max_abs_diff_{precision}"] = float(np.abs(got - mu_py).max())
            # the 10 nearest stored sketches of the page's mu against those of Python's (float32) mu
            nn_page = np.argsort(-(got / np.linalg.norm(got, axis=1, keepdims=True)) @ unit.T, axis=1)[:, :10]
            nn_py = np.argsort(-(mu_py / np.linalg.norm(mu_py, axis=1, keepdims=True)) @ unit.T, axis=1)[:, :10]
            r[f"inpage_knn10_overlap_{precision}"] = float(np.mean([len(set(a) & set(b)) / 10
                                                                    for a, b in zip(nn_page, nn_py)]))
            if precision == "int8":
                long_pts = store.sketches([longest])[0].tolist()
                times = page.evaluate("""async (p) => { const t = [];
                    for (let k = 0; k < 6; k++) { const t0 = performance.now(); await latentlab.encode(p);
                                                  t.push(performance.now() - t0); }
                    return t.slice(1); }""", long_pts)
                r["inpage_encode_ms"] = float(np.median(times))
                r["inpage_encode_points"] = len(long_pts)
                # the strip decodes in Web Workers: the page keeps drawing frames meanwhile (the longest wait)
                strip = page.evaluate("""async ([a, b]) => { const gaps = []; let last = performance.now(), on = 1;
                    const tick = (t) => { gaps.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
                    requestAnimationFrame(tick);
                    const t0 = performance.now();
                    const s = await latentlab.interpolate(a, b, {steps: 8, temperature: 0.1});
                    on = 0;
                    return [performance.now() - t0, s.map((x) => x.length), Math.max(...gaps)]; }""",
                                      [mu_all[rows[0]].tolist(), mu_all[rows[1]].tolist()])
                r["inpage_strip_longest_frame_gap_ms"] = float(strip[2])
                r["inpage_strip8_s_measured"] = strip[0] / 1000
                r["inpage_strip8_steps"] = int(sum(strip[1]) + 8)  # + each sketch's end-of-sketch step
                # the strip at 250 steps a sketch, from the measured time per step
                r["inpage_strip8_s"] = r["inpage_strip8_s_measured"] * 8 * 250 / r["inpage_strip8_steps"]
                r["inpage_workers"] = page.evaluate("latentlab.workerCount()")
                own = 0
                show_tab(page, "draw")
                for row, sketch in zip(rows, sketches):
                    page.click("#ll-draw-clear")
                    page.wait_for_function("!latentlab.debug.S.drawing")
                    replay(page, sketch)
                    page.wait_for_function("latentlab.debug.S.drawing && latentlab.debug.S.drawing.found",
                                           timeout=30_000)
                    page.wait_for_timeout(200)
                    own += page.evaluate("(s => s.tile.A.row[s.k])(latentlab.debug.S.drawing.found[0])") == row
                r["inpage_replay_own_nearest"] = own / len(rows)
            else:
                z = mu_py[:5]
                steps = []
                for zi, want in zip(z, model.decode(z, greedy=True)):
                    got_g = np.array(page.evaluate("(z) => latentlab.decode(z, {greedy: true})", zi.tolist()))
                    m = min(len(got_g), len(want))
                    same = (got_g[:m, 2] == want[:m, 2]) & (np.abs(got_g[:m, :2] - want[:m, :2]).max(1) <= 1e-2)
                    steps.append(int(np.argmin(same)) if not same.all() else m)
                r["inpage_greedy_steps_equal"] = min(steps)
            page.close()
        browser.close()
    print(f"in-page model: {r['inpage_model_mb']:.2f} MB int8 ({r['inpage_model_mb_float32']:.2f} MB float32); "
          f"page grows {r['inpage_page_mb_added']:.2f} MB with the 8,000 stored mu")
    print(f"encode of a {r['inpage_encode_points']}-point sketch: {r['inpage_encode_ms']:.0f} ms; 8-sketch strip: "
          f"{r['inpage_strip8_s_measured']:.2f} s for {r['inpage_strip8_steps']} steps "
          f"({r['inpage_strip8_s']:.2f} s at 250 steps each), {r['inpage_workers']} workers; the page's longest "
          f"frame meanwhile {r['inpage_strip_longest_frame_gap_ms']:.0f} ms")
    print(f"mu max |page - python|: float32 {r['inpage_mu_max_abs_diff_float32']:.2e}, "
          f"int8 {r['inpage_mu_max_abs_diff_int8']:.3f}; 10-NN overlap int8 {r['inpage_knn10_overlap_int8']:.2f}; "
          f"greedy steps equal (float32) {r['inpage_greedy_steps_equal']}; replayed drawings finding themselves "
          f"{r['inpage_replay_own_nearest']:.2f} of {samples}")
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=lambda p: Path(p).resolve(), default=ROOT / "out" / "bench",
                    help="working folder (stores are kept)")
    ap.add_argument("--n", type=int, default=100_000, help="distinct sketches of the large store")
    ap.add_argument("--in-page", action="store_true", help="measure the model in the page instead")
    ap.add_argument("--sheep-length", type=int, metavar="N",
                    help="measure N distinct sketches of aaron_sheep's length (its 8,000, then jittered copies) "
                         "instead")
    a = ap.parse_args()
    tf_environment()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.in_page:
        print(json.dumps(in_page(out)))
        return
    result = {}
    if a.sheep_length:
        jittered = jittered_store(out / f"sheep_jittered_{a.sheep_length}.h5", a.sheep_length)
        stores = ((f"{a.sheep_length // 1000}k_sheep_length", jittered),)
    else:
        stores = (("8k", sheep_store(out / "sheep_all.h5")), ("100k_distinct", None))
    for label, store in stores:
        if store is None:
            t0 = time.perf_counter()
            store, times = distinct_store(out / f"sheep_distinct_{a.n}.h5", a.n)
            result.update({f"{k}_100k_distinct": v for k, v in times.items()})
            if times:
                print(f"{a.n:,} distinct sheep made in {time.perf_counter() - t0:.0f}s: " +
                      ", ".join(f"{k} {v:.0f}" for k, v in times.items()))
        w = write(store, out / f"report_{label}.html")
        w.update(page_parts(out / f"report_{label}.html"))
        b = in_browser(out / f"report_{label}.html")
        for k, v in {**w, **b}.items():
            result[f"{k}_{label}"] = v
        print(f"{label} ({len(store):,} points): {w['mb']:.1f} MB (strokes {w['mb_orig']:.1f}, decodes "
              f"{w['mb_decoded']:.1f}, per point {w['mb_points']:.1f}, further projections {w['mb_projections']:.1f}, "
              f"neighbours {w['mb_rows']:.1f}), written in {w['write_s']:.1f}s "
              f"({w['rss_mb']:.0f} MB peak RSS); ready {b['ready_s']:.2f}s with {b['drawn']:,} points drawn; first "
              f"hover {b['first_hover_ms']:.0f} ms; hover -> inspector median "
              f"{b['hover_ms']:.1f} ms (p95 {b['hover_ms_p95']:.1f}); hover right {b['hover_right']:.2f} "
              f"over {b['hovers']} hovers")
    result["hover_right"] = min(v for k, v in result.items() if k.startswith("hover_right_"))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

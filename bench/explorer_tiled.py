"""Tiled explorer budgets (``latentlab report STORE -o FOLDER``): write time and peak memory, bytes a sketch,
and in headless Chromium through a loopback server: first view, hover-to-inspector latency and whether hover
shows the point under the cursor, time to draw a deeper level after a zoom, and the browser's memory.

The store: the 100,000 distinct generated sheep of ``bench/explorer_scale.py`` (made there, kept in --out), each
with ``--copies - 1`` augmented copies: every copy of a sketch and of its decode rescaled in x and y by its own
random factors in [0.9, 1.1] (magenta's training augmentation, rounded to whole units) and every point moved by
-1, 0 or 1 unit, its projection moved by 0.2% of the map and its mu by noise of 0.01; its neighbours are the
same copy's.  So 1,000,000 distinct sketches and decodes at --copies 10; at --copies 100, 10,000,000 in which
each distinct sheep has 100 variants (say so when quoting it).  --with-model writes the model into the folder
and times draw-to-search over every row.

    python bench/explorer_tiled.py [--out out/bench] [--copies 10] [--with-model] [--rewrite]

Prints its figures; the last line is one JSON object.  Needs Chromium (apt-get install chromium).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' helpers (tests/helpers)

from latentlab.store import LatentStore  # noqa: E402

WRITE = """
import re, sys, threading, time
from latentlab.store import LatentStore
from latentlab.explorer.tiled import write_tiled
peak = [0]
def watch():  # anonymous memory, 5 times a second (VmHWM also counts the pages of memory-mapped files)
    while True:
        status = open("/proc/self/status").read()
        peak[0] = max(peak[0], int(re.search(r"RssAnon:\\s+(\\d+)", status).group(1)))
        time.sleep(0.2)
threading.Thread(target=watch, daemon=True).start()
t = time.perf_counter()
write_tiled(LatentStore(sys.argv[1]), sys.argv[2], with_model=sys.argv[3] == "1")
hwm = re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)
print(time.perf_counter() - t, hwm, peak[0])
"""
COPY = ("uns/latentlab", "uns/umap", "uns/knn/params", "obs/label/categories", "obs/source/categories")


def _augmented(points: np.ndarray, offsets: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each sketch of a ragged stroke-3 block rescaled by its own x and y factors, points moved by a unit."""
    n = len(offsets) - 1
    scale = np.repeat(rng.uniform(0.9, 1.1, (n, 2)), np.diff(offsets), axis=0)
    out = points.copy()
    out[:, :2] = np.rint(points[:, :2] * scale) + rng.integers(-1, 2, (len(points), 2))
    return out


def _ragged(src: h5py.File, dst: h5py.File, group: str, copies: int, rng: np.random.Generator) -> None:
    points, offsets = src[f"{group}/points"][:], src[f"{group}/offsets"][:]
    total = len(points)
    out = dst.create_dataset(f"{group}/points", (total * copies, 3), np.float32, chunks=(65536, 3),
                             compression="lzf")
    for c in range(copies):
        out[c * total:(c + 1) * total] = points if c == 0 else _augmented(points, offsets, rng)
    n = len(offsets) - 1
    dst[f"{group}/offsets"] = np.concatenate([offsets[:-1] + c * total for c in range(copies)] + [[total * copies]])
    assert n * copies + 1 == len(dst[f"{group}/offsets"])


def augmented_store(base: Path, path: Path, copies: int, seed: int = 0) -> LatentStore:
    """``base`` with ``copies - 1`` augmented copies of every row (see the module's docstring); kept."""
    if path.is_file():
        return LatentStore(path)
    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(".tmp")
    with h5py.File(base, "r") as src, h5py.File(tmp, "w") as dst:
        n = src["obs/length"].shape[0]
        for k, v in src.attrs.items():
            dst.attrs[k] = v
        for key in COPY + tuple(f"uns/decoded/{d}/params" for d in src["uns/decoded"]):
            src.copy(src[key], dst, name=key)
        for key in ("obs/length", "obs/Lr", "obs/Lkl", "obs/label/codes", "obs/source/codes"):
            dst[key] = np.tile(src[key][:], copies)
        dst["obs/index"] = np.arange(n * copies)
        span = np.ptp(src["obsm/X_umap"][:], axis=0)
        for key, noise in (("obsm/X_umap", 0.002 * span), ("obsm/mu", 0.01)):
            value = src[key][:]
            out = dst.create_dataset(key, (n * copies, value.shape[1]), np.float32,
                                     chunks=(min(n, 65536), value.shape[1]))
            for c in range(copies):  # a copy at a time: 10,000,000 mu are 5 GB
                out[c * n:(c + 1) * n] = value + (c > 0) * rng.normal(0, 1, value.shape) * noise
        knn = src["uns/knn/indices"][:]
        dst["uns/knn/indices"] = np.concatenate([knn + c * n for c in range(copies)]).astype(np.int32)
        for group in ["uns/strokes"] + [f"uns/decoded/{d}" for d in src["uns/decoded"]]:
            _ragged(src, dst, group, copies, rng)
        src.visititems(lambda name, obj: dst[name].attrs.update(obj.attrs) if name in dst else None)
    tmp.rename(path)
    return LatentStore(path)


def write(store: LatentStore, out: Path, with_model: bool) -> dict:
    """Write the tiled explorer in a child process: its own seconds and peak memory, and its bytes."""
    from latentlab.explorer.tiled import tiled_size

    done = subprocess.run([sys.executable, "-c", WRITE, str(store.path), str(out), str(int(with_model))],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak_kb, anon_kb = done.stdout.split()[-3:]
    size = tiled_size(out)
    search = size.pop("search") + size.pop("model")
    return {"write_s": float(seconds), "rss_mb": int(peak_kb) / 1024, "anon_mb": int(anon_kb) / 1024,
            "bytes_per_sketch": sum(size.values()) /
            len(store), **{f"mb_{k}": v / 1e6 for k, v in size.items()},
            **({"model_bytes_per_sketch": search / len(store)} if with_model else {})}


def _browser_mb() -> float:
    """Resident memory of this process's Chromium processes (browser, renderer, GPU), summed."""
    import psutil

    procs = [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name().lower()]
    return sum(p.memory_info().rss for p in procs if p.is_running()) / 1e6


def _searches(page, rng: np.random.Generator, queries: int = 10) -> dict:
    """Draw-to-search over every row: a drawn row's sketch, as its tile holds it, converted as a drawing made in the
    page is and encoded there, then its 12 nearest found in the cells nearest it (timed apart); whether the row
    finds itself (or one of its augmented copies) first."""
    page.wait_for_function("document.body.dataset.model === 'ready'", timeout=120_000)
    encode_ms, search_ms, self_found = [], [], 0
    for _ in range(queries):
        j = int(rng.integers(page.evaluate("latentlab.debug.S.drawn.X.length")))
        got = page.evaluate(f"""(async () => {{ const S = latentlab.debug.S, d = S.drawn, A = S.tiles.get(d.T[{j}]).A;
            const strokes = latentlab.debug.polylines(A, "orig", d.K[{j}]).map(
              (l) => [l.filter((_, p) => p % 2 === 0), l.filter((_, p) => p % 2 === 1)]);
            const t0 = performance.now(), mu = await latentlab.encode(latentlab.fromDrawing(strokes));
            const t1 = performance.now(), found = await latentlab.neighbors(mu, 12), t2 = performance.now();
            return [t1 - t0, t2 - t1, A.row[d.K[{j}]], found]; }})()""")
        encode_ms.append(got[0])
        search_ms.append(got[1])
        self_found += got[2] % 100_000 == got[3][0] % 100_000  # itself or one of its augmented copies
    return {"encode_ms": float(np.median(encode_ms)), "search_ms": float(np.median(search_ms)),
            "search_ms_first": search_ms[0], "search_self_first": self_found / queries}


def in_browser(folder: Path, hovers: int = 100, zooms: int = 5, seed: int = 0) -> dict:
    """First view, hover latency and rightness, zoom time and browser memory, served from 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    from helpers.browser import launch
    from helpers.tiled import hover_rightness
    from latentlab.explorer.serve import serve

    server = serve(folder.parent, port=0, background=True)
    rng = np.random.default_rng(seed)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(f"http://127.0.0.1:{server.server_port}/{folder.name}/index.html")
        page.wait_for_function("document.body.dataset.ready === '1'", timeout=120_000)
        first_view = time.perf_counter() - t0
        box = page.evaluate("document.querySelector('#ll-map').getBoundingClientRect().toJSON()")
        page.uncheck("#ll-thumbs")  # on points: a sketch drawn for its region answers the pointer before them
        right, lat = hover_rightness(page, box, hovers, rng)
        page.check("#ll-thumbs")
        zoom_s = []
        for _ in range(zooms):  # into the densest drawn spot, a level at a time
            x, y = page.evaluate("(() => { const d = latentlab.debug.S.drawn, g = latentlab.debug.S.drawn.grid;"
                                 "let best = 0; for (let c = 1; c < g.start.length - 1; c++)"
                                 " if (g.start[c + 1] - g.start[c] > g.start[best + 1] - g.start[best]) best = c;"
                                 "const i = g.items[g.start[best]]; return [d.X[i], d.Y[i]]; })()")
            zoom_s.append(page.evaluate(f"(async () => {{ const t = performance.now();"
                                        f"await latentlab.debug.zoomAt([{x}, {y}], 2); "
                                        "return (performance.now() - t) / 1000; })()"))
        page.uncheck("#ll-thumbs")  # zoomed in, on points too: where a sketch is drawn, it answers the pointer
        right2, lat2 = hover_rightness(page, box, hovers // 2, rng)
        search = _searches(page, rng) if page.evaluate("!!latentlab.debug.M.model") else {}
        memory = _browser_mb()
        level = page.evaluate("latentlab.debug.level()")
        browser.close()
    server.shutdown()
    lat = np.array(lat + lat2)
    return {"first_view_s": first_view, "hover_ms": float(np.median(lat)),
            "hover_ms_p95": float(np.percentile(lat, 95)), "hover_right": (right + right2) / (hovers + hovers // 2),
            "zoom_s": float(max(zoom_s)),
            "zoom_s_median": float(np.median(zoom_s)), "level_reached": level, "browser_mb": memory, **search}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=lambda p: Path(p).resolve(), default=ROOT / "out" / "bench",
                    help="working folder (stores are kept)")
    ap.add_argument("--copies", type=int, default=10, help="rows of the store, in copies of the 100,000")
    ap.add_argument("--rewrite", action="store_true", help="write the tiles again (else a kept folder is reused)")
    ap.add_argument("--with-model", action="store_true", help="with the model in the page: draw-to-search timed")
    a = ap.parse_args()
    out = Path(a.out)
    base = out / "sheep_distinct_100000.h5"
    if not base.is_file():
        sys.exit(f"{base} is missing: run bench/explorer_scale.py first (it makes the 100,000 distinct sheep)")
    t0 = time.perf_counter()
    store = augmented_store(base, out / f"sheep_augmented_{a.copies}x.h5", a.copies)
    label = f"{len(store) // 1_000_000}m" if len(store) >= 1_000_000 else f"{len(store) // 1000}k"
    print(f"store of {len(store):,} rows ready in {time.perf_counter() - t0:.0f}s")
    label += "_model" * a.with_model
    folder, kept = out / f"tiled_{label}", out / f"tiled_{label}.write.json"
    if a.rewrite or not kept.is_file():  # the folder and its write's figures are kept for browser-only reruns
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        kept.write_text(json.dumps(write(store, folder, a.with_model)))
    w = json.loads(kept.read_text())
    print(f"tiles written in {w['write_s']:.0f}s ({w['rss_mb']:.0f} MB peak RSS, "
          f"{w.get('anon_mb', float('nan')):.0f} MB of it anonymous): {w['bytes_per_sketch']:.0f} bytes "
          f"a sketch (tiles {w['mb_tiles']:.0f} MB, row files {w['mb_rows']:.0f} MB, page {w['mb_page']:.2f} MB)")
    b = in_browser(folder)
    print(f"first view {b['first_view_s']:.2f}s; hover -> inspector median {b['hover_ms']:.1f} ms "
          f"(p95 {b['hover_ms_p95']:.1f}), right {b['hover_right']:.2f}; a level deeper in {b['zoom_s_median']:.2f}s "
          f"(slowest {b['zoom_s']:.2f}s, level {b['level_reached']}); browser {b['browser_mb']:.0f} MB")
    result = {f"tiles_{k}_{label}": v for k, v in {**w, **b}.items()}
    result["rows"] = len(store)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

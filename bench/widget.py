"""The explorer as a notebook widget (latentlab.pl.explorer) in JupyterLab, driven in headless Chromium: seconds
from the cell's call to the page ready, and hover latency, both pointer -> the page's inspector and pointer ->
``w.hovered`` in the kernel.

Stores: the 100,000 distinct sheep of bench/explorer_scale.py, opened as the widget opens them (tiled above
50,000 rows; the tiled folder written on the first open, timed apart, and kept beside the store) and, for
comparison, as one page (``tiled=False``); and 1,000,000 rows, bench/explorer_tiled.py's store (ten augmented
copies of those 100,000 sheep: distinct drawings, each sheep ten times perturbed) and its folder.

    python bench/widget.py [--out out/bench_scale] [--hovers 40]

Prints its figures; the last line is one JSON object.  Needs Chromium (apt-get install chromium).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' helpers (tests/helpers)

from helpers.browser import launch  # noqa: E402
from helpers.jupyter import evaluate, lab, write_notebook  # noqa: E402

CELL = """import time
from latentlab import pl
T0 = time.time()
w = pl.explorer({path!r}, tiled={tiled!r})
moves = []
w.observe(lambda c: moves.append((time.time(), c["new"])), names="hovered")
w"""
# a drawn point's place in the frame, the row the inspector shows, the page's hover timings
POINT = """(i) => { const d = latentlab.debug.S.drawn, j = i % d.X.length,
                     r = document.querySelector('#ll-map').getBoundingClientRect();
                     return [r.x + d.X[j], r.y + d.Y[j]]; }"""
INSPECTED = "latentlab.debug.S.hover ? latentlab.debug.S.hover.tile.A.row[latentlab.debug.S.hover.k] : -1"
PAGE_MS = "latentlab.debug.S.hoverMs"


def open_widget(browser, server, name: str, hovers: int, seed: int) -> dict:
    """Open notebook ``name`` (one cell: CELL), time the widget until ready, then hover ``hovers`` points."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(server.url(name))
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    element = page.locator("iframe.latentlab-explorer").first
    element.wait_for(timeout=600_000)
    frame = element.element_handle().content_frame()
    frame.wait_for_function("document.body.dataset.ready === '1'", timeout=600_000, polling=20)
    ready = time.time()
    kernel = server.kernel(name)
    open_s = ready - evaluate(kernel, "T0")
    frame.evaluate("document.querySelector('#ll-thumbs').click()")  # hover points, not the sketches on the map
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    rng, sent = np.random.default_rng(seed), []
    for i in rng.integers(0, 1 << 30, hovers):
        x, y = frame.evaluate(POINT, int(i))
        before = frame.evaluate(INSPECTED)
        t = time.time()
        page.mouse.move(box["x"] + x, box["y"] + y)
        try:  # the inspector shows a new row (a point drawn over another shows the one on top)
            frame.wait_for_function(f"({INSPECTED}) !== {before}", polling=5, timeout=5000)
        except Exception:  # noqa: BLE001 - the row under the pointer was the one shown already
            continue
        sent.append((t, frame.evaluate(INSPECTED)))  # the row shown: one drawn over another is on top
        time.sleep(0.12)  # the kernel's copy of `hovered` is sent at most every 50 ms
    time.sleep(0.5)
    got = evaluate(kernel, "moves")
    kernel_ms = [1000 * (next(t for t, r in got if r == row and t >= t0) - t0) for t0, row in sent
                 if any(r == row and t >= t0 for t, r in got)]
    page_ms = frame.evaluate(PAGE_MS)
    kernel.stop_channels()
    page.close()
    server.shut_down(name)
    return {"open_s": open_s, "hover_page_ms": float(np.median(page_ms)),
            "hover_kernel_ms": float(np.median(kernel_ms)), "hover_kernel_ms_p95": float(np.percentile(kernel_ms, 95)),
            "hovers_reaching_kernel": len(kernel_ms) / len(sent)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=lambda p: Path(p).resolve(), default=ROOT / "out" / "bench_scale",
                    help="the folder of bench/explorer_scale.py's and bench/explorer_tiled.py's stores")
    ap.add_argument("--hovers", type=int, default=40, help="points hovered in each widget")
    a = ap.parse_args()
    base, big = a.out / "sheep_distinct_100000.h5", a.out / "sheep_augmented_10x.h5"
    for path in (base, big):
        if not path.is_file():
            sys.exit(f"{path} is missing: run bench/explorer_scale.py and bench/explorer_tiled.py first")
    from latentlab.pl.widget import _folder_for
    from latentlab.store import LatentStore

    import shutil

    shutil.rmtree(base.with_suffix(".explorer"), ignore_errors=True)  # as on the first open
    t0 = time.perf_counter()
    _folder_for(LatentStore(base), None, {})  # the widget's first open of the 100,000 writes their tiled folder
    first_write = time.perf_counter() - t0
    print(f"first open of the 100,000: their tiled folder written in {first_write:.1f}s (kept for later opens)")
    cases = {"100k_tiled": (base, None), "100k_one_page": (base, False), "1m_tiled": (big, a.out / "tiled_1m")}
    result = {"tiled_write_100k_s": first_write}
    with tempfile.TemporaryDirectory() as tmp, lab(Path(tmp)) as server:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            for label, (path, tiled) in cases.items():
                write_notebook(Path(tmp) / f"{label}.ipynb", [CELL.format(path=str(path), tiled=tiled and str(tiled))])
                r = open_widget(browser, server, f"{label}.ipynb", a.hovers, seed=0)
                print(f"{label}: open {r['open_s']:.2f}s; hover -> inspector {r['hover_page_ms']:.1f} ms, "
                      f"-> w.hovered in the kernel {r['hover_kernel_ms']:.1f} ms (p95 {r['hover_kernel_ms_p95']:.1f}, "
                      f"{r['hovers_reaching_kernel']:.0%} of hovers)")
                result.update({f"{k}_{label}": v for k, v in r.items()})
            browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

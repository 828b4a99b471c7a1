"""Peak memory (VmHWM of a child process) of the commands that read a whole store.

* ``report`` of 80,000 distinct sketches with their decodes: the strokes are quantised a chunk at a time.
  Budget 250 MB.
* ``neighbors`` of the 300 aaron_sheep test sketches: no model, so no TensorFlow.  Budget 300 MB.
* ``neighbors`` (exact) of the 80,000: distances in blocks, not an n x n matrix.

The 80,000 are the generated Quick, Draw! training sketches (``latentlab data generate``, all distinct),
encoded by ``latentlab/quickdraw28``, with PCA and decodes at tau 0.1 (sketch-rnn-js's choices); the store
is built once into ``--out`` (about 4 minutes on 2 cores).

    python bench/memory.py --data data/built/quickdraw28_generated.npz [--out out/bench]

Prints its figures; the last line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LATENTLAB_SHARED", ROOT.parent / "shared"))
# The child's own peak memory is VmHWM (ru_maxrss would carry the parent's high-water mark across exec).
CHILD = ("import re, sys, time; from latentlab.cli.main import main; t = time.perf_counter(); "
         "rc = main(sys.argv[1:]); assert rc == 0, rc; "
         "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
         "print(time.perf_counter() - t, hwm, 'tensorflow' in sys.modules)")
BUDGET_MB = {"report_80k": 250, "neighbors_300": 300}


def latentlab(*argv: str) -> dict:
    """Run one command in a child process: its seconds, peak memory and whether it imported TensorFlow."""
    done = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"latentlab {' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    seconds, peak_kb, tf = done.stdout.split()[-3:]
    return {"s": round(float(seconds), 2), "peak_mb": round(int(peak_kb) / 1024, 1), "tensorflow": tf == "True"}


def build(store: Path, *args: str, project: bool = True, decode: bool = True) -> Path:
    if not store.exists():
        latentlab("encode", *args, "-o", str(store))
        if project:
            latentlab("project", str(store), "--method", "pca")
        if decode:
            latentlab("decode", str(store), "--temperature", "0.1", "--softmax-temperature", "js")
    return store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "data/built/quickdraw28_generated.npz"),
                    help="the generated 28-class set (`latentlab data generate`, see the quickdraw28 card)")
    ap.add_argument("--out", default=str(ROOT / "out" / "bench"), help="working folder (stores are kept)")
    ap.add_argument("--rows", type=int, default=80_000, help="sketches shown in the report")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    big = build(out / "memory_qd28_train.h5", "latentlab/quickdraw28", a.data, "--split", "train")
    sheep = build(out / "memory_sheep_test.h5", "latentlab/aaron_sheep", str(SHARED / "data/sketchrnn/aaron_sheep.npz"),
                  project=False, decode=False)
    print(f"stores ready in {time.perf_counter() - t0:.0f} s")
    figures = {
        "report_80k": latentlab("report", str(big), "--basis", "pca", "--max-points", str(a.rows), "-o",
                                str(out / "memory_report.html")),
        "neighbors_300": latentlab("neighbors", str(sheep)),
        "neighbors_80k_exact": latentlab("neighbors", str(big), "--method", "exact"),
    }
    for name, f in figures.items():
        budget = BUDGET_MB.get(name)
        within = "" if budget is None else f" (budget {budget} MB: {'within' if f['peak_mb'] <= budget else 'OVER'})"
        print(f"{name}: peak {f['peak_mb']:.0f} MB{within}, {f['s']:.1f} s, TensorFlow imported: {f['tensorflow']}")
    print(json.dumps({"rows": a.rows, **figures, "budget_mb": BUDGET_MB}))


if __name__ == "__main__":
    main()

"""What the analysis commands cost on 100,000 distinct sketches, past the encoding: ``neighbors`` (the graph the
others read), ``cluster``, ``audit`` (with and without ``score``'s Lr) and ``compare`` (quickdraw28 against
quickdraw_mini on the same sketches), each in a child process (seconds, peak memory).

The sketches are generated Quick, Draw! drawings of quickdraw28's 28 classes, all distinct (``latentlab data
generate``, 3,600 a class, temperatures 0.5-1.0; about 10 minutes on 2 cores), encoded by both models into
``--out`` (kept: a second run measures only the commands):

    python bench/analysis.py --data data/built/generated_100k.npz [--out out/bench]

Prints its figures; the last line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import ROOT, build, latentlab  # noqa: E402 - the bench folder's shared runner

BUDGET_S = 60  # each command past the encoding, on 2 cores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "data/built/generated_100k.npz"), help="generated sketches (.npz)")
    ap.add_argument("--out", default=str(ROOT / "out" / "bench"), help="working folder (stores are kept)")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    qd28 = build(out / "analysis_qd28.h5", "latentlab/quickdraw28", a.data, "--split", "train", project=False,
                 decode=False)
    mini = build(out / "analysis_mini.h5", "latentlab/quickdraw_mini", a.data, "--split", "train", project=False,
                 decode=False)
    print(f"stores ready in {time.perf_counter() - t0:.0f} s")
    figures = {"neighbors": latentlab("neighbors", str(qd28)),
               "cluster": latentlab("cluster", str(qd28)),
               "audit": latentlab("audit", str(qd28))}
    figures["score"] = latentlab("score", str(qd28))
    figures["audit_with_Lr"] = latentlab("audit", str(qd28))
    figures["compare"] = latentlab("compare", str(qd28), str(mini))
    from latentlab.store import LatentStore

    rows = len(LatentStore(qd28))
    for name, f in figures.items():
        verdict = "" if name in ("neighbors", "score") else \
            f" (budget {BUDGET_S} s: {'within' if f['s'] <= BUDGET_S else 'OVER'})"
        print(f"{name}: {f['s']:.1f} s{verdict}, peak {f['peak_mb']:.0f} MB")
    print(json.dumps({"rows": rows, "distinct": True, **figures, "budget_s": BUDGET_S}))


if __name__ == "__main__":
    main()

"""How close samples of the sketch-rnn-js decoders come to real drawings, by temperature, and how fast they come.

For each decoder in ../shared/models/sketch-rnn-js (28 Quick, Draw! classes), N samples
at each temperature are converted as real drawings are (train.generate.to_quickdraw_domain)
and compared with that class's real drawings in ../shared (simplified and raw, by
data build's pipeline): the Kolmogorov-Smirnov distance of their lengths (points) and of
their stroke counts, and the share of samples that never end.  Prints a table and ends
with a JSON line.

    python bench/generate.py [--n 300] [--temperatures 0.6,0.8,1.0]
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np

from latentlab.model import tf_environment

tf_environment()

from latentlab.io.download import shared_dir  # noqa: E402
from latentlab.io.quickdraw import BuildReport, class_word, collect  # noqa: E402
from latentlab.model import load_model  # noqa: E402
from latentlab.train.generate import to_quickdraw_domain  # noqa: E402


def ks(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov-Smirnov statistic."""
    grid = np.union1d(a, b)
    ca = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    cb = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(np.abs(ca - cb).max())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300, help="samples per class and temperature")
    ap.add_argument("--temperatures", default="0.6,0.8,1.0")
    ap.add_argument("--max-len", type=int, default=96)
    args = ap.parse_args()
    temps = [float(t) for t in args.temperatures.split(",")]
    shared = shared_dir()
    paths = sorted(p for p in (shared / "models/sketch-rnn-js").glob("*.gen.json") if p.name != "antyoga.gen.json")
    rows = {t: {"ks_length": [], "ks_strokes": [], "unended": [], "too_long": []} for t in temps}
    drawn, seconds = 0, 0.0
    for path in paths:
        model = load_model(path)
        word = class_word(model.hps.data_set[0])
        files = [shared / f"data/quickdraw/{kind}/{word}.ndjson" for kind in ("simplified", "raw")]
        real = [d.strokes for d in collect([f for f in files if f.is_file()], BuildReport())]
        real_len = np.array([len(s) for s in real])
        real_str = np.array([int(s[:, 2].sum()) for s in real])
        line = (f"{word:15s} real {len(real):3d} (median {np.median(real_len):3.0f} points, "
                f"{np.median(real_str):2.0f} strokes)")
        for t in temps:
            t0 = time.perf_counter()
            out = model.decode(n=args.n, temperature=t, seed=0)
            seconds += time.perf_counter() - t0
            drawn += len(out)
            ended = [s for s in out if len(s) < model.hps.max_seq_len and s[:, 2].any()]
            conv = [to_quickdraw_domain(s) for s in ended]
            kept = [s for s in conv if len(s) <= args.max_len]
            g_len = np.array([len(s) for s in kept])
            g_str = np.array([int(s[:, 2].sum()) for s in kept])
            r = rows[t]
            r["ks_length"].append(ks(g_len, real_len))
            r["ks_strokes"].append(ks(g_str, real_str))
            r["unended"].append(1 - len(ended) / len(out))
            r["too_long"].append(1 - len(kept) / max(len(conv), 1))
            line += f" | tau {t:g}: KS len {r['ks_length'][-1]:.2f} strokes {r['ks_strokes'][-1]:.2f} " \
                    f"unended {r['unended'][-1]:.2f}"
        print(line, flush=True)
    summary = {f"tau{t:g}": {k: round(float(np.mean(v)), 4) for k, v in r.items()} for t, r in rows.items()}
    print("mean over classes:")
    for key, value in summary.items():
        print(f"  {key}: " + ", ".join(f"{k} {v:.3f}" for k, v in value.items()))
    rate = drawn / seconds
    print(f"decode rate {rate:.0f} samples/s (batches of {args.n}, one model at a time, decode only)")
    print(json.dumps({"bench": "generate", "n": args.n, "classes": len(paths), "by_temperature": summary,
                      "samples_per_s": round(rate, 1)}))


if __name__ == "__main__":
    main()

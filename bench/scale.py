"""Scale-out figures: encode through Dask LocalClusters against one process, and the analysis past memory.

1. Encode: the same sketches (aaron_sheep's train split, three times over: 22,200 sketches) by the bundled model
   in one process (TensorFlow on every core), and through LocalClusters of 1 and 2 single-threaded worker
   processes; wall times from the call to the finished store, cluster start and model loading included.
   ``cluster_overhead`` = LocalCluster of 2 single-threaded workers / the single process.
2. Analysis on ``--n`` synthetic 128-d vectors (a mixture of 64 Gaussians): streamed PCA, UMAP fitted on a
   sample and transformed over every row on 2 workers, approximate neighbours (pynndescent) built once and
   queried on 2 workers; each step in a fresh child process, with its seconds and the peak memory (VmHWM)
   of the client and of each worker.

    python bench/scale.py [--n 1000000] [--sample 20000] [--out out/bench]

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

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHEEP = Path(os.environ.get("LATENTLAB_SHARED", ROOT.parent / "shared")) / "data/sketchrnn/aaron_sheep.npz"


# defined in each child's __main__, so that the workers receive the function itself
PEAK = """
def peak_mb():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024
"""


def encode_input(out: Path, copies: int = 3) -> Path:
    from latentlab.io.npz import load_npz, save_npz

    path = out / f"sheep_train_x{copies}.npz"
    if not path.exists():
        train = list(load_npz(SHEEP)["train"]) * copies
        arr = np.empty(len(train), dtype=object)
        arr[:] = train
        save_npz(path, {"train": arr})
    return path


def encode_run(data: Path, out: Path, workers: int | None) -> dict:
    """One encode in a child process: {seconds, sketches, peak MB of the client, and of each worker}."""
    code = f"""
import json, os, sys, time
sys.path.insert(0, {str(ROOT)!r})
from latentlab.model import tf_environment
tf_environment()
t0 = time.perf_counter()
from latentlab.model import load_model
from latentlab.store import encode_to_store, LatentStore
from latentlab.distributed import connect
import contextlib
{PEAK}
workers = {workers!r}
with (connect(workers=workers) if workers else contextlib.nullcontext()) as client:
    path = encode_to_store(load_model("data/models/aaron_sheep"), [{str(data)!r}], {str(out)!r}, splits=["train"],
                           block_size=512, progress=False, client=client)
    seconds = time.perf_counter() - t0
    w = list(client.run(peak_mb).values()) if client else []
print(json.dumps({{"seconds": seconds, "sketches": len(LatentStore(path)), "client_mb": peak_mb(), "worker_mb": w}}))
"""
    out.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def synthetic_store(path: Path, n: int, d: int = 128, seed: int = 0) -> Path:
    """A store of ``n`` one-point sketches whose mu is a mixture of 64 Gaussians (written a block at a time)."""
    from latentlab.store import LatentStore

    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (64, d))
    with LatentStore.create(path, d=d, lengths=np.ones(n, np.int32), index=np.arange(n),
                            source_codes=np.zeros(n, np.int32), sources=["synthetic"],
                            label_codes=np.full(n, -1, np.int32), classes=[],
                            provenance={"model_dir": "synthetic", "seed": seed}) as e:
        mu = e.dataset("obsm/mu")
        for a in range(0, n, 65536):
            m = min(65536, n - a)
            mu[a:a + m] = centres[rng.integers(0, 64, m)] + rng.normal(0, 0.6, (m, d))
    return path


STEPS = {
    "pca": "tl.pca(store, n_components=50, stream=True)",
    "umap": "tl.umap(store, sample_size={sample}, random_state=0, client=client)",
    "knn": "tl.neighbors(store, n_neighbors=10, method='approx', client=client)",
}


def analysis_step(store: Path, step: str, sample: int) -> dict:
    code = f"""
import json, sys, time
sys.path.insert(0, {str(ROOT)!r})
from latentlab.store import LatentStore
from latentlab import tl
from latentlab.distributed import connect
{PEAK}
store = LatentStore({str(store)!r})
with connect(workers=2) as client:
    t0 = time.perf_counter()
    {STEPS[step].format(sample=sample)}
    seconds = time.perf_counter() - t0
    w = list(client.run(peak_mb).values())
print(json.dumps({{"seconds": seconds, "client_mb": peak_mb(), "worker_mb": w}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "out" / "bench"), help="working folder (inputs are kept)")
    ap.add_argument("--n", type=int, default=1_000_000, help="synthetic vectors for the analysis")
    ap.add_argument("--sample", type=int, default=20_000, help="UMAP's fitting sample")
    ap.add_argument("--skip-encode", action="store_true")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    r: dict = {"cores": os.cpu_count()}
    if not a.skip_encode:
        data = encode_input(out)
        for label, workers in (("single", None), ("workers1", 1), ("workers2", 2)):
            e = encode_run(data, out / f"scale_{label}.h5", workers)
            r[f"encode_{label}_s"] = e["seconds"]
            r[f"encode_{label}_per_s"] = e["sketches"] / e["seconds"]
            r[f"encode_{label}_mb"] = [round(e["client_mb"])] + [round(m) for m in e["worker_mb"]]
            print(f"encode {e['sketches']:,} sketches, {label}: {e['seconds']:.1f} s "
                  f"({e['sketches'] / e['seconds']:.0f}/s); peak MB client/workers {r[f'encode_{label}_mb']}")
        r["cluster_overhead"] = r["encode_workers2_s"] / r["encode_single_s"]
        print(f"cluster_overhead (2 single-threaded workers / one process): {r['cluster_overhead']:.3f}")
    t0 = time.perf_counter()
    store = synthetic_store(out / f"synthetic_{a.n}.h5", a.n)
    print(f"synthetic store of {a.n:,} vectors ready in {time.perf_counter() - t0:.0f} s")
    r["n"] = a.n
    r["umap_sample"] = a.sample
    for step in STEPS:
        s = analysis_step(store, step, a.sample)
        r[f"{step}_s"] = s["seconds"]
        r[f"{step}_mb"] = [round(s["client_mb"])] + [round(m) for m in s["worker_mb"]]
        print(f"{step} on {a.n:,} vectors: {s['seconds']:.1f} s; peak MB client/workers {r[f'{step}_mb']}")
    print(json.dumps(r))


if __name__ == "__main__":
    main()

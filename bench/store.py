"""Latent store benchmark: encode throughput into HDF5, peak memory, file size; neighbour query latency.

    python bench/store.py [--model data/models/aaron_sheep] [--data ../shared/data/sketchrnn/aaron_sheep.npz]

Encodes the aaron_sheep test split, then ~20k sketches (every split of the file,
three times over, as separate sources), into fresh stores; times an all-or-nothing write
into the larger one, in place and into a copy; then times exact
(scikit-learn) and approximate (pynndescent) k=10 queries over 10k and 100k
synthetic 128-d vectors, with the approximate index's recall.  The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import shutil
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from latentlab.model.runtime import SketchRNN  # noqa: E402
from latentlab.store import LatentStore, encode_to_store  # noqa: E402
from latentlab.tl._neighbors import NeighborIndex, recall_at_k  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def encode_case(model: SketchRNN, data: list[str], splits: list[str], folder: Path, name: str) -> dict:
    out = folder / f"{name}.h5"
    before = peak_rss_mb()
    t0 = time.perf_counter()
    encode_to_store(model, data, out, splits=splits, progress=False)
    seconds = time.perf_counter() - t0
    n = len(LatentStore(out))
    size = out.stat().st_size
    row = {"case": name, "n": n, "seconds": seconds, "sketches_per_s": n / seconds,
           "bytes_per_sketch": size / n, "peak_rss_mb": peak_rss_mb(), "rss_growth_mb": peak_rss_mb() - before}
    print(f"{name}: {n} sketches in {seconds:.1f}s = {n / seconds:.0f}/s; {size / n:.0f} bytes/sketch "
          f"({size / 1e6:.1f} MB); peak RSS {row['peak_rss_mb']:.0f} MB (+{row['rss_growth_mb']:.0f})")
    return row


def edit_case(path: Path) -> dict:
    """What an all-or-nothing write costs: one new obs column written in place (the journal), the same write into a
    copy (what happens while another process holds the store open), and PCA with its write."""
    import h5py
    import numpy as np

    from latentlab import tl

    store = LatentStore(path)
    size, column = path.stat().st_size, np.arange(len(store), dtype=np.float32)

    def timed_write(key: str) -> float:
        t0 = time.perf_counter()
        with store.edit("bench") as e:
            e.write(key, column)
        return time.perf_counter() - t0

    in_place_s = timed_write("obs/bench_in_place")
    with h5py.File(path, "r"):  # a reader holds it: the edit goes into a copy
        copy_s = timed_write("obs/bench_copy")
    t0 = time.perf_counter()
    tl.pca(store, n_components=20)
    pca_s = time.perf_counter() - t0
    row = {"n": len(store), "store_mb": size / 1e6, "edit_in_place_s": in_place_s, "edit_copy_s": copy_s,
           "copy_over_in_place": copy_s / in_place_s, "pca_with_write_s": pca_s}
    print(f"all-or-nothing write of one column into {row['n']} sketches ({row['store_mb']:.0f} MB): in place "
          f"{in_place_s:.3f}s, into a copy (a reader holds the store) {copy_s:.3f}s "
          f"({row['copy_over_in_place']:.1f}x); PCA with its write {pca_s:.2f}s")
    return row


def neighbour_case(n: int, queries: int = 200, k: int = 10, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(200, 128))
    vectors = (centres[rng.integers(0, 200, n)] + 0.5 * rng.normal(size=(n, 128))).astype(np.float32)
    q = vectors[rng.choice(n, queries, replace=False)] + 0.01 * rng.normal(size=(queries, 128)).astype(np.float32)
    row = {"n": n}
    results = {}
    for method in ("exact", "approx"):
        t0 = time.perf_counter()
        index = NeighborIndex(metric="euclidean", method=method, random_state=seed).fit(vectors)
        build = time.perf_counter() - t0
        index.kneighbors(q[:5], k)  # warm-up (numba compilation for pynndescent)
        t0 = time.perf_counter()
        _, idx = index.kneighbors(q, k)
        per_query = (time.perf_counter() - t0) / queries
        results[method] = idx
        row[f"{method}_build_s"] = build
        row[f"{method}_ms_per_query"] = per_query * 1e3
    row["recall_at_10"] = recall_at_k(results["approx"], results["exact"])
    print(f"neighbours n={n}: exact {row['exact_ms_per_query']:.2f} ms/query (build {row['exact_build_s']:.1f}s), "
          f"approx {row['approx_ms_per_query']:.2f} ms/query "
          f"(build {row['approx_build_s']:.1f}s, the first one compiles numba), "
          f"recall@10 {row['recall_at_10']:.3f}")
    return row


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(ROOT / "data/models/aaron_sheep"))
    p.add_argument("--data", default=str(ROOT.parent / "shared/data/sketchrnn/aaron_sheep.npz"))
    p.add_argument("--sizes", default="10000,100000", help="neighbour benchmark sizes")
    a = p.parse_args()
    model = SketchRNN.load(a.model)
    model.encode([np.array([[1, 1, 0], [2, 2, 1]], np.float32)])  # compile once, outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = encode_case(model, [a.data], ["test"], folder, "aaron_sheep_test")
        copies = [shutil.copy(a.data, folder / f"sheep_{k}.npz") for k in range(3)]  # the same sketches thrice
        large = encode_case(model, copies, ["train", "valid", "test"], folder, "sheep_x3_all_splits")
        edit = edit_case(folder / "sheep_x3_all_splits.h5")
    neighbours = [neighbour_case(int(n)) for n in a.sizes.split(",")]
    print(json.dumps({"encode": [small, large], "edit": edit, "neighbors": neighbours}))


if __name__ == "__main__":
    main()

"""``make demo``: the main job end to end on the default model and data.

aaron_sheep (fetched, or the offline copy) -> bundled model -> HDF5 latent store
of the test split -> PCA + UMAP -> decoded thumbnails -> interactive HTML report,
plus the original notebook's figures.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from latentlab.datasets import load_dataset
from latentlab.download import fetch
from latentlab.draw import grid, save_animation, save_png


def run_demo(out: Path, shared: str | None = None, model_dir: Path | None = None) -> dict:
    from latentlab import project
    from latentlab.cli import DEFAULT_MODEL
    from latentlab.decoded import decode_store
    from latentlab.figures import side_by_side, temperature_grid
    from latentlab.interpolate import slerp
    from latentlab.model import SketchRNN
    from latentlab.report import write_report
    from latentlab.store import LatentStore, encode_to_store

    out.mkdir(parents=True, exist_ok=True)
    data_path = fetch("sketchrnn/aaron_sheep", shared=shared)
    dataset = load_dataset(data_path, quiet=True)
    test = dataset["test"]
    print(f"dataset {data_path}: " + ", ".join(f"{k} {len(v)}" for k, v in dataset.splits.items()))
    save_png(grid(test.sketches[:32], [str(i) for i in range(32)], ncols=8, title="aaron_sheep test split"),
             out / "sketches.png")

    model = SketchRNN.load(model_dir or DEFAULT_MODEL)
    print(f"model {model.model_dir} (step {model.step})")
    t0 = time.time()
    store_path = out / "sheep_test.h5"
    if store_path.exists():
        store_path.unlink()  # the demo always shows a fresh encode
    encode_to_store(model, [data_path], store_path, splits=["test"], seed=0)
    t_encode = time.time() - t0
    store = LatentStore(store_path)
    project.pca(store, n_components=20)
    project.umap(store, seed=0)
    t0 = time.time()
    key = decode_store(store, model, temperature=0.1, seed=0)
    t_decode = time.time() - t0
    write_report(store, out / "report.html", "umap", decoded=key, title="aaron_sheep test set: UMAP of mu")
    print(f"encoded {len(store)} sketches into {store_path.name} in {t_encode:.1f}s; decoded them in {t_decode:.1f}s")

    ll = model.log_likelihood(test.sketches)
    mu = store.read("obsm/mu")
    strip = model.decode(slerp(mu[0], mu[1], np.linspace(0, 1, 8)), temperature=0.1, seed=0)
    save_png(grid(strip, [f"t={t:.2f}" for t in np.linspace(0, 1, 8)], ncols=8, title="slerp: test #0 -> #1"),
             out / "interpolation.png")
    save_png(temperature_grid(model, test.sketches[:5]), out / "temperature_grid.png")
    save_animation(side_by_side(model, test.sketches[0]), out / "side_by_side.gif")
    summary = {"dataset": str(data_path), "model": str(model.model_dir), "model_step": model.step, "n": len(store),
               "encode_seconds": t_encode, "decode_seconds": t_decode,
               "Lr": float(np.mean(ll["Lr"])), "Lkl": float(np.mean(ll["Lkl"]))}
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"test Lr {summary['Lr']:.4f}  Lkl {summary['Lkl']:.4f}")
    print(f"wrote {out}/: sketches.png sheep_test.h5 report.html interpolation.png temperature_grid.png "
          "side_by_side.gif summary.json")
    return summary

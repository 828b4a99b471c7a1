"""``make demo``: the main job end to end on the default model and data."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from latentlab.datasets import load_dataset
from latentlab.download import fetch
from latentlab.draw import grid, save_animation, save_png


def run_demo(out: Path, shared: str | None = None, model_dir: Path | None = None) -> dict:
    """Fetch aaron_sheep, draw a page, and with the bundled model encode, evaluate and reconstruct."""
    from latentlab.cli import DEFAULT_MODEL

    out.mkdir(parents=True, exist_ok=True)
    data_path = fetch("sketchrnn/aaron_sheep", shared=shared)
    dataset = load_dataset(data_path, quiet=True)
    test = dataset["test"]
    print(f"dataset {data_path}: " + ", ".join(f"{k} {len(v)}" for k, v in dataset.splits.items()))
    save_png(grid(test.sketches[:32], [str(i) for i in range(32)], ncols=8, title="aaron_sheep test split"),
             out / "sketches.png")
    summary: dict = {"dataset": str(data_path)}
    model_dir = model_dir or DEFAULT_MODEL
    if not (model_dir / "model_config.json").is_file():
        print(f"no bundled model at {model_dir}: skipping the model steps")
        return summary
    from latentlab.figures import side_by_side, temperature_grid
    from latentlab.model import SketchRNN

    model = SketchRNN.load(model_dir)
    t0 = time.time()
    enc = model.encode(test.sketches)
    t_enc = time.time() - t0
    t0 = time.time()
    decoded = model.decode(enc.mu, temperature=0.6, seed=0)
    t_dec = time.time() - t0
    ll = model.log_likelihood(test.sketches)
    summary.update(model=str(model_dir), n=len(test), encode_per_s=len(test) / t_enc,
                   decode_per_s=len(test) / t_dec, Lr=float(np.mean(ll["Lr"])), Lkl=float(np.mean(ll["Lkl"])))
    print(f"encoded {len(test)} test sketches in {t_enc:.2f}s, decoded them (tau 0.6) in {t_dec:.2f}s; "
          f"test Lr {summary['Lr']:.4f} Lkl {summary['Lkl']:.4f}")
    save_png(grid(decoded[:32], [str(i) for i in range(32)], ncols=8, title="decoded from mu at tau 0.6"),
             out / "decoded.png")
    save_png(temperature_grid(model, test.sketches[:5]), out / "temperature_grid.png")
    save_animation(side_by_side(model, test.sketches[0]), out / "side_by_side.gif")
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"wrote {out}/: sketches.png decoded.png temperature_grid.png side_by_side.gif summary.json")
    return summary

"""``make demo``: the main job end to end on the bundled models and their data.

aaron_sheep (fetched, or the offline copy) -> bundled model -> HDF5 latent store
of the test split -> PCA + UMAP -> decoded thumbnails -> interactive HTML report,
plus the original notebook's figures; a published model fetched by name (offline:
from ``../shared``) and sampled; then the same store and report for quickdraw28 on
every real drawing of its 28 classes in ``../shared``, clustered (the report labelled
by cluster, a gallery beside it) and audited, with cross-class interpolation strips
and its space compared with quickdraw_mini's.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from latentlab.io.datasets import load_dataset
from latentlab.io.download import fetch, shared_dir
from latentlab.model.layout import read_info
from latentlab.pl.draw import grid, save_animation, save_png

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN

# Thumbnail and strip temperatures.  The paper reconstructs at 0.1, where quickdraw_mini's
# decodes all end; under magenta's sampler a third of aaron_sheep's do not, so its pen and
# mixture choices are made at sketch-rnn-js's 0.5 + 0.5 tau (its MODEL_CARD.md: 12% unended).
SHEEP_TAU, SHEEP_SOFTMAX = 0.1, "js"
QD28_TAU = 0.1
QD28_STRIPS = (("ambulance", "bulldozer"), ("bird", "parrot"), ("dog", "tiger"), ("rabbit", "sheep"))


def explore(model: "SketchRNN", data_path: Path, store_path: Path, report_path: Path, temperature: float,
            title: str, softmax_temperature: str | None = None, analyse: bool = False) -> dict:
    """Encode a test split into a fresh store, project it (PCA, UMAP), find neighbours, score and decode the
    sketches, write the explorer report; with ``analyse``, first cluster (the report is coloured and labelled by
    the clusters, their gallery written beside it) and audit the sketches.

    Parameters
    ----------
    model
        The model that encodes and decodes.
    data_path
        The ``.npz`` whose test split is encoded.
    store_path, report_path
        Where the store and the explorer go.
    temperature, softmax_temperature
        Of the cached decodes.
    title
        The explorer's title.
    analyse
        Cluster and audit.
    """
    from latentlab.explorer.report import write_report
    from latentlab.store import LatentStore, encode_to_store
    from latentlab import tl

    t0 = time.time()
    if store_path.exists():
        store_path.unlink()  # the demo always shows a fresh encode
    encode_to_store(model, [data_path], store_path, splits=["test"], seed=0)
    t_encode = time.time() - t0
    store = LatentStore(store_path)
    tl.pca(store, n_components=20)
    tl.umap(store, random_state=0)
    tl.neighbors(store, n_neighbors=10)
    tl.score(store, model)
    t0 = time.time()
    key = tl.decode(store, model, temperature=temperature, random_state=0, softmax_temperature=softmax_temperature)
    t_decode = time.time() - t0
    found = {}
    if analyse:
        from latentlab.pl.clusters import clusters

        summary, issues = tl.leiden(store, random_state=0), tl.audit(store)
        save_png(clusters(store), report_path.with_name(report_path.stem + "_clusters.png"))
        found = {"clusters": summary["n_clusters"], "mean_purity": summary["mean_purity"],
                 "issues": {k: issues[k]["issues"] for k in ("label", "outlier", "near_duplicate") if k in issues}}
        print(f"{summary['n_clusters']} Leiden clusters (mean purity {summary['mean_purity']:.2f}); flagged: "
              + ", ".join(f"{n} {k.replace('_', '-')}" for k, n in found["issues"].items()))
    write_report(store, report_path, decoded=key, title=title, model=model,  # draw to search in the page
                 color_by="leiden" if analyse else "auto")
    print(f"encoded {len(store)} sketches into {store_path.name} in {t_encode:.1f}s; decoded them ({key}) in "
          f"{t_decode:.1f}s; wrote {report_path.name}")
    return {"store": str(store_path), "report": str(report_path), "n": len(store), "temperature": temperature,
            "softmax_temperature": softmax_temperature, "encode_seconds": t_encode, "decode_seconds": t_decode,
            **found}


def quickdraw28(out: Path, quickdraw: Path) -> dict:
    """quickdraw28 on every real drawing of its classes: store, clusters and data issues, explorer with the model,
    cross-class strips, and its space against quickdraw_mini's on the same drawings.

    Parameters
    ----------
    out
        The demo's output folder.
    quickdraw
        The Quick, Draw! ndjson folder (``simplified/`` and ``raw/``).
    """
    from latentlab.io.quickdraw import build_classes_npz
    from latentlab.model.runtime import SketchRNN
    from latentlab.paths import MODELS_DIR
    from latentlab.store import LatentStore
    from latentlab.tl import slerp

    model = SketchRNN.load(MODELS_DIR / "quickdraw28")
    classes = read_info(MODELS_DIR / "quickdraw28")["classes"]
    data = out / "quickdraw28_real.npz"
    build_classes_npz(quickdraw, classes, data)
    result = explore(model, data, out / "quickdraw28_test.h5", out / "quickdraw28_report.html", QD28_TAU,
                     f"quickdraw28: the real drawings of its {len(classes)} classes, UMAP of mu", analyse=True)
    store = LatentStore(out / "quickdraw28_test.h5")
    result["compare_quickdraw_mini"] = _compare_mini(store, data, out)
    names = store.label_names()
    steps = np.linspace(0, 1, 8)
    rows, captions = [], []
    for a, b in [(a, b) for a, b in QD28_STRIPS if a in classes and b in classes]:
        ends = store.read("obsm/mu")[[names.index(a), names.index(b)]]
        rows += model.decode(slerp(ends[0], ends[1], steps), temperature=QD28_TAU, seed=0)
        captions += [a if t == 0 else b if t == 1 else f"t={t:.2f}" for t in steps]
    save_png(grid(rows, captions, ncols=8, title=f"quickdraw28: slerp between real drawings (tau {QD28_TAU:g})"),
             out / "quickdraw28_strips.png")
    return result


def _compare_mini(store, data: Path, out: Path) -> dict:
    """quickdraw_mini's space against ``store``'s on the same drawings: the figures and the maps side by side."""
    from latentlab import tl
    from latentlab.model.runtime import SketchRNN
    from latentlab.paths import MODELS_DIR
    from latentlab.pl.compare import compare_maps
    from latentlab.store import LatentStore, encode_to_store

    path = out / "quickdraw_mini_test.h5"
    path.unlink(missing_ok=True)
    mini = LatentStore(encode_to_store(SketchRNN.load(MODELS_DIR / "quickdraw_mini"), [data], path, splits=["test"],
                                       seed=0, progress=False))
    result = tl.compare(store, mini)
    save_png(compare_maps(store, mini), out / "quickdraw28_vs_mini.png")
    print(f"quickdraw28 against quickdraw_mini on {result['rows']} drawings: linear CKA {result['linear_cka']:.2f}, "
          f"10 nearest shared {result['mutual_knn10']:.0%}, neighbours name the class {result['separation_a']:.0%} "
          f"against {result['separation_b']:.0%}")
    return {k: result[k] for k in ("rows", "linear_cka", "mutual_knn10", "separation_a", "separation_b")}


def run_demo(out: Path, shared: str | None = None, model_dir: Path | None = None) -> dict:
    """Everything ``make demo`` shows, written into ``out``; returns the summary (also ``summary.json``).

    Parameters
    ----------
    out
        The output folder.
    shared
        Where the offline copies of the data are (default ``../shared`` or ``LATENTLAB_SHARED``).
    model_dir
        The sheep model to use (default the bundled one).
    """
    from latentlab.model import load_model
    from latentlab.model.runtime import SketchRNN
    from latentlab.paths import DEFAULT_MODEL
    from latentlab.model.sample import sample
    from latentlab.pl.figures import side_by_side, temperature_grid
    from latentlab.store import LatentStore
    from latentlab.tl import slerp

    out.mkdir(parents=True, exist_ok=True)
    data_path = fetch("sketchrnn/aaron_sheep", shared=shared)
    dataset = load_dataset(data_path, quiet=True)
    test = dataset["test"]
    print(f"dataset {data_path}: " + ", ".join(f"{k} {len(v)}" for k, v in dataset.splits.items()))
    save_png(grid(test.sketches[:32], [str(i) for i in range(32)], ncols=8, title="aaron_sheep test split"),
             out / "sketches.png")

    model = SketchRNN.load(model_dir or DEFAULT_MODEL)
    print(f"model {model.model_dir} (step {model.step})")
    sheep = explore(model, data_path, out / "sheep_test.h5", out / "report.html", SHEEP_TAU,
                    "aaron_sheep test set: UMAP of mu", SHEEP_SOFTMAX)
    ll = model.log_likelihood(test.sketches)
    mu = LatentStore(out / "sheep_test.h5").read("obsm/mu")
    steps = np.linspace(0, 1, 8)
    strip = model.decode(slerp(mu[0], mu[1], steps), temperature=SHEEP_TAU, seed=0, softmax_temperature=SHEEP_SOFTMAX)
    title = f"slerp: test #0 -> #1 (tau {SHEEP_TAU:g}, choices as sketch-rnn-js)"
    save_png(grid(strip, [f"t={t:.2f}" for t in steps], ncols=8, title=title), out / "interpolation.png")
    save_png(temperature_grid(model, test.sketches[:5]), out / "temperature_grid.png")
    save_animation(side_by_side(model, test.sketches[0]), out / "side_by_side.gif")
    summary = {"dataset": str(data_path), "model": str(model.model_dir), "model_step": model.step, **sheep,
               "Lr": float(np.mean(ll["Lr"])), "Lkl": float(np.mean(ll["Lkl"]))}
    print(f"test Lr {summary['Lr']:.4f}  Lkl {summary['Lkl']:.4f}")
    written = "sketches.png sheep_test.h5 report.html interpolation.png temperature_grid.png side_by_side.gif"

    birds = sample(load_model("sketchrnn-js/bird.gen"), 16, temperature=0.5, seed=0)
    save_png(grid(birds, [str(i) for i in range(16)], ncols=8, title="sketchrnn-js/bird.gen by name: 16 samples, "
                  "tau 0.5"), out / "birds.png")
    written += " birds.png"

    quickdraw = shared_dir(shared) / "data" / "quickdraw"
    if (quickdraw / "simplified").is_dir():
        summary["quickdraw28"] = quickdraw28(out, quickdraw)
        written += (" quickdraw28_real.npz quickdraw28_test.h5 quickdraw28_report.html quickdraw28_report_clusters.png"
                    " quickdraw28_strips.png quickdraw_mini_test.h5 quickdraw28_vs_mini.png")
    else:
        print(f"no Quick, Draw! drawings in {quickdraw}: the quickdraw28 part is skipped")
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"wrote {out}/: {written} summary.json")
    return summary

"""``latentlab`` command line: a thin layer over the Python API.

Every command reports bad input as one line (file, record, reason) and exits 2;
no traceback unless ``LATENTLAB_DEBUG=1``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from latentlab.atomic import output_path
from latentlab.errors import LatentlabError
from latentlab.model import load_model
from latentlab.pl.inpage import PRECISIONS
from latentlab.pl.report import BASES, COLOR_BY, MAX_POINTS
from latentlab.pl.report import SUFFIXES as REPORT_SUFFIXES
from latentlab.store.format import SUFFIXES as STORE_SUFFIXES
from latentlab.tl.interpolate import MAX_STRIP
from latentlab.tl.interpolate import METHODS as PATHS
from latentlab.tl.neighbors import AUTO_EXACT_MAX
from latentlab.tl.neighbors import METHODS as NN_METHODS
from latentlab.tl.neighbors import METRICS
from latentlab.tl.project import METHODS as PROJECTIONS
from latentlab.tl.project import USE_REPS
from latentlab.train.generate import DEFAULT_TEMPERATURES


def cmd_data_build(a: argparse.Namespace) -> None:
    from tqdm.auto import tqdm

    from latentlab.io.quickdraw import build_npz, expand_inputs

    output_path(a.output, (".npz",), "dataset")
    with tqdm(total=len(expand_inputs(a.inputs)), desc="reading ndjson", unit="file", leave=False) as bar:
        report = build_npz(a.inputs, a.output, seed=a.seed, fractions=a.fractions, progress=lambda path: bar.update())
    print(report.summary())
    print(f"wrote {a.output}")


def cmd_data_generate(a: argparse.Namespace) -> None:
    from tqdm.auto import tqdm

    from latentlab.train.generate import generate_dataset

    output_path(a.output, (".npz",), "dataset")
    sizes = {"train": a.train, "valid": a.valid, "test": a.test}
    with tqdm(total=sum(sizes.values()) * len(a.models), desc="sampling", unit="sketch", leave=False) as bar:
        report = generate_dataset(a.models, a.output, split_sizes=sizes, temperatures=a.temperature,
                                  softmax_temperature=a.softmax_temperature, max_len=a.max_len, seed=a.seed,
                                  progress=bar.update)
    print(report.summary())
    print(f"wrote {a.output}")


def cmd_data_fetch(a: argparse.Namespace) -> None:
    from latentlab.io.download import fetch

    print(fetch(a.name, cache=a.cache, shared=a.shared))


def cmd_models_list(a: argparse.Namespace) -> None:
    from latentlab.model.zoo import list_models

    rows = [m for m in list_models() if (a.source is None or m.source.startswith(a.source))
            and (not a.cached or m.cached) and (a.pattern is None or a.pattern in m.name)]
    if not rows:
        raise LatentlabError("no model names match" + (f" {a.pattern!r}" if a.pattern else ""))
    width = max(len(m.name) for m in rows)
    print(f"{'name':{width}}  {'kind':13}  {'cell':10}  {'at hand':7}  classes / source")
    for m in rows:
        classes = ", ".join(m.classes[:4]) + (f" (+{len(m.classes) - 4})" if len(m.classes) > 4 else "")
        print(f"{m.name:{width}}  {m.kind:13}  {m.cell:10}  {'yes' if m.cached else '-':7}  {classes} / {m.source}")
    print(f"{len(rows)} models; 'at hand' = cached or bundled or in the offline copy; others are downloaded on "
          "first use")


def cmd_models_fetch(a: argparse.Namespace) -> None:
    from latentlab.model.zoo import model_path

    for name in a.names:
        print(f"{name}: {model_path(name)}")


def cmd_sample(a: argparse.Namespace) -> None:
    from latentlab.pl.draw import grid, save_png
    from latentlab.tl.sample import sample, save_samples_npz

    out = output_path(a.output, (".png", ".npz"), "sample grid (.png) or dataset (.npz)")
    model = load_model(a.model)
    sketches = sample(model, a.n, temperature=a.temperature, softmax_temperature=a.softmax_temperature,
                      seed=a.seed)
    if out.suffix == ".npz":
        save_samples_npz(model, sketches, out, seed=a.seed, temperature=a.temperature)
    else:
        title = f"{a.model}: {a.n} samples, tau {a.temperature:g}, seed {a.seed}"
        save_png(grid(sketches, [str(i) for i in range(len(sketches))], ncols=a.cols, title=title), out)
    print(f"wrote {out}")


def cmd_draw(a: argparse.Namespace) -> None:
    from latentlab.io.datasets import load_dataset
    from latentlab.pl.draw import grid, save_png

    output_path(a.output, (".png",), "page of sketches")
    split = load_dataset(a.data, quiet=True)[a.split]
    if not 0 <= a.start < len(split):
        raise LatentlabError(f"{a.data} [{a.split}]: --start {a.start} out of range (0..{len(split) - 1})")
    idx = list(range(a.start, min(len(split), a.start + a.n)))
    names = split.label_names()
    captions = [f"{i} {names[i]}".strip() for i in idx]
    save_png(grid([split.sketches[i] for i in idx], captions, ncols=a.cols), a.output)
    print(f"wrote {a.output}")


def cmd_train(a: argparse.Namespace) -> None:
    from latentlab.model.config import parse_hparams, target_steps
    from latentlab.train.loop import continued_hparams

    if a.init_from:
        from latentlab.model.zoo import is_model_name, model_path

        a.init_from = model_path(a.init_from) if is_model_name(a.init_from) else a.init_from
    hps = parse_hparams(a.hparams, continued_hparams(a.out, a.init_from))
    steps = target_steps(a.steps, a.hparams)
    if a.engine == "magenta":
        if a.keep is not None:
            raise LatentlabError("--keep is for --engine fast and jax (magenta's trainer keeps its own)")
        from latentlab.train.magenta import train_magenta

        train_magenta(a.data, a.out, hps, steps=steps, init_from=a.init_from)
    else:
        if a.engine == "jax":
            try:
                from latentlab.train.jax import train_jax as train
            except ImportError as exc:
                raise LatentlabError(f"--engine jax needs JAX ({exc}): pip install 'latentlab[jax]', or jax's CUDA "
                                     "build on a GPU machine") from None
        else:
            from latentlab.train.fast import train
        train(a.data, a.out, hps, steps=steps, save_every=a.save_every, seed=a.seed, init_from=a.init_from,
              keep=a.keep or 2)


def cmd_export(a: argparse.Namespace) -> None:
    if a.output.endswith(".json"):
        if a.best or a.average > 1:
            raise LatentlabError("--best and --average write a model folder; export that folder to .json afterwards")
        from latentlab.model.jsmodel import export_js_model

        print(f"wrote {export_js_model(load_model(a.train_dir), a.output)}")
        return
    from latentlab.train.export import export_model

    print(f"wrote {export_model(a.train_dir, a.output, best=a.best, average=a.average)}")


def cmd_evaluate(a: argparse.Namespace) -> None:
    from latentlab.io.datasets import load_dataset
    from latentlab.tl.metrics import evaluate

    model = load_model(a.model, data=a.data)
    split = load_dataset(a.data, max_seq_len=model.hps.max_seq_len, quiet=True)[a.split]
    if not len(split):
        raise LatentlabError(f"{a.data} [{a.split}]: no sketches to evaluate")
    fit_on = load_dataset(a.fit_on, max_seq_len=model.hps.max_seq_len, quiet=True)["train"] if a.fit_on else None
    t0 = time.time()
    result = evaluate(model, split, seed=a.seed, fit_on=fit_on)
    print(f"{a.data} [{a.split}]: Lr {result['Lr']:.4f}  Lkl {result['Lkl']:.4f}  n {len(split)} "
          f"({split.dropped} longer than max_seq_len dropped) in {time.time() - t0:.1f}s")
    sep = result.get("separation")
    if sep:
        print(f"class separation over {sep['n']} sketches of {sep['classes']} classes ({sep['folds']}-fold, cosine): "
              f"{sep['k']}-NN of mu {sep['knn_mu']:.1%}, 1-NN of mu {sep['nn1_mu']:.1%}, {sep['k']}-NN of 32x32 "
              f"raster pixels {sep['knn_raster']:.1%}, largest class {sep['chance']:.1%}"
              + (f"; {sep['k']}-NN fit on the mu of {a.fit_on}'s train split: {sep['transfer_mu']:.1%}"
                 if "transfer_mu" in sep else ""))
    print(json.dumps(result))


def cmd_reconstruct(a: argparse.Namespace) -> None:
    from latentlab.io.datasets import load_dataset
    from latentlab.pl.draw import save_animation, save_png
    from latentlab.pl.figures import side_by_side, temperature_grid

    output_path(a.output, (".png", ".gif", ".html"), "temperature grid (.png) or animation")
    model = load_model(a.model, data=a.data)
    split = load_dataset(a.data, max_seq_len=model.hps.max_seq_len, quiet=True)[a.split]
    for i in a.index:
        if not 0 <= i < len(split):
            raise LatentlabError(f"{a.data} [{a.split}]: index {i} out of range (0..{len(split) - 1})")
    sketches = [split.sketches[i] for i in a.index]
    if a.output.endswith((".gif", ".html")):
        save_animation(side_by_side(model, sketches[0], a.temperature, a.seed, a.softmax_temperature), a.output)
    else:
        temps = a.temperatures
        save_png(temperature_grid(model, sketches, temps, a.seed, a.softmax_temperature), a.output)
    print(f"wrote {a.output}")


def cmd_encode(a: argparse.Namespace) -> None:
    from latentlab.store import encode_to_store

    output_path(a.output, STORE_SUFFIXES, "latent store")
    model = load_model(a.model)
    with _client(a) as client:
        out = encode_to_store(model, a.data, a.output, splits=a.split, seed=a.seed, block_size=a.block_size,
                              client=client)
    print(f"wrote {out}")


def _client(a: argparse.Namespace):
    """A Dask client for --cluster ADDRESS or --workers N, else a context holding None (this process)."""
    import contextlib

    if a.cluster is None and a.workers is None:
        return contextlib.nullcontext(None)
    from latentlab.cluster import connect

    return connect(a.cluster, workers=a.workers)


def _add_cluster(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--cluster", metavar="ADDRESS", help="run on a Dask cluster: the scheduler's tcp://HOST:8786 "
                                                        "(needs latentlab[distributed])")
    g.add_argument("--workers", type=_between(1, 1024), metavar="N",
                   help="run on a LocalCluster of N single-threaded worker processes on this machine")


def _store(path: str):
    from latentlab.store import LatentStore

    return LatentStore(path)


def cmd_project(a: argparse.Namespace) -> None:
    from latentlab.tl import project

    store = _store(a.store)
    kwargs = {"use_rep": a.use_rep, "seed": a.seed, "key_added": a.key_added or a.method}
    with _client(a) as client:
        if a.method == "umap":
            kwargs.update(n_neighbors=a.n_neighbors, min_dist=a.min_dist, metric=a.metric,
                          sample_size=a.sample_size, client=client)
        else:
            kwargs.update(n_components=a.n_components, stream=a.stream)
        project.METHODS[a.method](store, **kwargs)
    print(f"wrote obsm/X_{kwargs['key_added']} {store.shape('obsm/X_' + kwargs['key_added'])} to {a.store}")
    if a.method == "pca":
        ratio = store.read(f"uns/{kwargs['key_added']}/variance_ratio")
        print("explained variance: " + ", ".join(f"PC{i + 1} {r:.3f}" for i, r in enumerate(ratio[:5]))
              + f"; first 10 together {ratio[:10].sum():.3f}")


def cmd_neighbors(a: argparse.Namespace) -> None:
    from latentlab.io.datasets import read_sketch
    from latentlab.pl.draw import grid, save_png
    from latentlab.tl import neighbors
    from latentlab.tl.project import vectors

    if a.output:
        output_path(a.output, (".png",), "neighbour grid")
    store = _store(a.store)
    if a.query is None and not a.sketch:
        with _client(a) as client:
            idx = neighbors.neighbors(store, n_neighbors=a.k, metric=a.metric, use_rep=a.use_rep, method=a.method,
                                      client=client)
        print(f"wrote uns/knn ({idx.shape[1]} nearest of each of {len(idx)} sketches, {a.metric} on "
              f"{a.use_rep}) to {a.store}")
        return
    index = neighbors.NeighborIndex(metric=a.metric, method=a.method).fit(vectors(store, a.use_rep))
    labels = store.label_names()
    if a.sketch:
        from latentlab.tl.decode import store_model  # the model (and TensorFlow) only for a sketch to encode

        query_sketch = read_sketch(a.sketch)
        dist, idx = index.kneighbors(store_model(store, a.model).encode([query_sketch]).mu, a.k)
        caption = f"query {Path(a.sketch).name}"
    else:
        dist, idx = neighbors.of_row(index, a.query, a.k, where=str(a.store))
        query_sketch = store.sketches([a.query])[0]
        caption = f"query #{a.query} {labels[a.query]}"
    rows = idx[0].tolist()
    for rank, (i, d) in enumerate(zip(rows, dist[0])):
        print(f"{rank + 1:3d}. #{i} {labels[i]} distance {d:.4f}")
    if a.output:
        sketches = [query_sketch] + store.sketches(rows)
        captions = [caption] + [f"#{i} {labels[i]} d={d:.3g}" for i, d in zip(rows, dist[0])]
        save_png(grid(sketches, captions, ncols=min(6, len(sketches))), a.output)
        print(f"wrote {a.output}")


def cmd_interpolate(a: argparse.Namespace) -> None:
    from latentlab.io.datasets import read_sketch
    from latentlab.pl.draw import grid, save_png, save_strip_svg
    from latentlab.tl.decode import store_model
    from latentlab.tl.interpolate import rows_mu, strip

    output_path(a.output, (".png", ".svg"), "strip")
    if a.sketch_a and a.sketch_b:
        model = load_model(a.model)
        ends = model.encode([read_sketch(a.sketch_a), read_sketch(a.sketch_b)]).mu
    elif a.i is not None and a.j is not None and a.store:
        store = _store(a.store)
        model = store_model(store, a.model)
        ends = rows_mu(store, [a.i, a.j])
    else:
        raise LatentlabError("give STORE I J, or --sketch-a A --sketch-b B")
    t, sketches = strip(model, ends[0], ends[1], steps=a.steps, method=a.method, temperature=a.temperature,
                        greedy=a.greedy, seed=a.seed, softmax_temperature=a.softmax_temperature)
    out = Path(a.output)
    if out.suffix == ".svg":
        save_strip_svg(sketches, out)
    else:
        save_png(grid(sketches, [f"t={x:.2f}" for x in t], ncols=len(sketches)), out)
    print(f"wrote {out} ({a.method}, {a.steps} steps, tau {a.temperature:g})")


def cmd_analogy(a: argparse.Namespace) -> None:
    from latentlab.pl.draw import grid, save_png
    from latentlab.tl.decode import store_model
    from latentlab.tl.interpolate import decode_analogy

    output_path(a.output, (".png",), "figure")
    store = _store(a.store)
    rows = [a.a, a.b, a.c]
    result = decode_analogy(store, *rows, model=store_model(store, a.model) if a.model else None,
                            temperature=a.temperature, seed=a.seed, softmax_temperature=a.softmax_temperature)
    labels = store.label_names()
    captions = [f"a: #{a.a} {labels[a.a]}", f"- b: #{a.b} {labels[a.b]}", f"+ c: #{a.c} {labels[a.c]}", "= a - b + c"]
    save_png(grid(store.sketches(rows) + [result], captions, ncols=4), a.output)
    print(f"wrote {a.output}")


def cmd_decode(a: argparse.Namespace) -> None:
    from latentlab.tl.decode import decode_store, store_model

    store = _store(a.store)
    key = decode_store(store, store_model(store, a.model), temperature=a.temperature, greedy=a.greedy, seed=a.seed,
                       use_rep=a.use_rep, softmax_temperature=a.softmax_temperature, key_added=a.key_added)
    print(f"wrote {key} ({len(store)} sketches) to {a.store}")


def cmd_report(a: argparse.Namespace) -> None:
    from latentlab.pl.report import NEIGHBORS_KEY, write_report
    from latentlab.tl import neighbors

    output_path(a.output, REPORT_SUFFIXES, "report")
    store = _store(a.store)
    if a.neighbors:
        stored = store.key_attrs(f"uns/{NEIGHBORS_KEY}") if store.has(f"uns/{NEIGHBORS_KEY}/indices") else {}
        if stored.get("n_neighbors") != a.neighbors:
            neighbors.neighbors(store, n_neighbors=a.neighbors)
            print(f"wrote uns/{NEIGHBORS_KEY} ({a.neighbors} nearest, cosine on mu) to {a.store}")
    out = write_report(store, a.output, basis=a.basis, decoded=a.decoded, color_by=a.color_by, title=a.title,
                       max_points=a.max_points, seed=a.seed, with_model=a.with_model, model=a.model,
                       model_precision=a.model_precision)
    print(f"wrote {out}")


def cmd_score(a: argparse.Namespace) -> None:
    import numpy as np

    from latentlab.tl.decode import store_model
    from latentlab.tl.score import score

    store = _store(a.store)
    lr = score(store, store_model(store, a.model), seed=a.seed)
    print(f"wrote obs/Lr and obs/Lkl ({len(lr)} sketches, mean Lr {np.mean(lr):.4f}) to {a.store}")


def cmd_card(a: argparse.Namespace) -> None:
    from latentlab.pl.card import write_card

    from latentlab.model.zoo import is_model_name, model_path

    folder = model_path(a.model) if is_model_name(a.model) else a.model
    print(f"wrote {write_card(folder, a.data, a.title or '', a.notes or '', test_data=a.test_data, compare=tuple(a.compare))}")


def cmd_demo(a: argparse.Namespace) -> None:
    from latentlab.cli.demo import run_demo

    run_demo(Path(a.out), shared=a.shared)


SPLITS = ("train", "valid", "test")


class _HelpFormatter(argparse.HelpFormatter):
    """Appends an option's default to its help, unless it is empty or the help already names one."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        empty = action.default is None or action.default is False or action.default in ("", argparse.SUPPRESS)
        if empty or "default" in text or not action.option_strings:
            return text
        default = " ".join(map(str, action.default)) if isinstance(action.default, list) else action.default
        return f"{text} (default: {default})".lstrip()


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


MAX_COUNT = 100_000_000  # rows, sketches, points shown: past every store this toolkit makes
MAX_STEPS = 100_000_000  # training steps


def _seed(text: str) -> int:
    """argparse type: a seed, 0 .. 2**30 (room below 2**31 for the per-batch offsets added to it)."""
    return _between(0, 2 ** 30)(text)


def _unit(text: str) -> float:
    """argparse type: a finite number in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not 0 <= value <= 1:  # NaN fails too
        raise argparse.ArgumentTypeError(f"must be in [0, 1], got {text}")
    return value


def _between(lo: int, hi: int):
    """argparse type: an integer in [lo, hi] (a usage error otherwise, before any work starts)."""
    def parse(text: str) -> int:
        value = int(text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be in {lo}..{hi:_}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def _fractions(text: str) -> tuple[float, float, float]:
    """argparse type: three shares 'TRAIN,VALID,TEST', each in [0, 1], adding up to 1."""
    try:
        parts = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"three numbers TRAIN,VALID,TEST, got {text!r}") from None
    if len(parts) != 3 or not all(0 <= x <= 1 for x in parts) or abs(sum(parts) - 1) > 1e-6:
        raise argparse.ArgumentTypeError(f"three shares in [0, 1] adding up to 1, got {text!r}")
    return parts


def _temperature_list(text: str) -> list[float]:
    """argparse type: comma-separated temperatures, each in (0, 10]."""
    return [_temperature(t) for t in text.split(",")]


def _temperature(text: str) -> float:
    """argparse type: a temperature, in (0, 10] (:func:`latentlab.model.sampling.check_temperature`)."""
    from latentlab.model.sampling import check_temperature

    try:
        return check_temperature(text.strip(), "")
    except LatentlabError as exc:
        raise argparse.ArgumentTypeError(str(exc).strip()) from None


def _softmax(text: str) -> float | str:
    """argparse type: 'js' or a float > 0 (the softmax temperature of a decode)."""
    if text == "js":
        return text
    try:
        return _temperature(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"'js' or a number in (0, 10], got {text!r}") from None


def _add_softmax_temperature(p: argparse.ArgumentParser) -> None:
    p.add_argument("--softmax-temperature", type=_softmax, default=None, metavar="{js,T}",
                   help="temperature of the mixture and pen-state choices: by default the same as --temperature "
                        "(magenta's sampler and the original notebook); 'js' for sketch-rnn-js's 0.5 + 0.5 * tau, "
                        "with which low-temperature decodes still lift the pen and stop where the model is unsure")


def _add_split(p: argparse.ArgumentParser) -> None:
    p.add_argument("--split", default="test", choices=SPLITS, help="which split of the .npz")


def _add_store_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="model name or folder (default: the one that wrote the store)")


def _add_use_rep(p: argparse.ArgumentParser) -> None:
    p.add_argument("--use-rep", choices=USE_REPS, default="mu",
                   help="stored vectors to use: mu (posterior mean) or z (a seeded posterior sample)")


def _add_decoding(p: argparse.ArgumentParser, greedy: bool = True) -> None:
    p.add_argument("--temperature", type=_temperature, default=0.1,
                   help="sampling temperature tau (low: close to the model's most likely strokes)")
    _add_softmax_temperature(p)
    if greedy:
        p.add_argument("--greedy", action="store_true", help="take the most likely strokes (no sampling)")
    p.add_argument("--seed", type=_seed, default=0, help="sampling seed")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="latentlab",
        description="Explore the latent space of SketchRNN models: data, training, encoding, figures.",
        epilog="Data flows: sketch files -> model -> HDF5 store -> analysis -> figures and reports. "
               "Run `latentlab COMMAND --help` for each command's options.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data = sub.add_parser("data", help="build or fetch sketch datasets").add_subparsers(dest="data_cmd", required=True)
    b = data.add_parser("build", help="Quick, Draw! ndjson files/folders -> magenta-format .npz",
                        description="Convert Quick, Draw! ndjson (simplified or raw) to stroke-3 (align, scale to "
                                    "255, RDP epsilon 2.0) and write a train/valid/test .npz split per class by a "
                                    "seeded shuffle; raw drawings keep their point times. Atomic: no half-written file.")
    b.add_argument("inputs", nargs="+", help="ndjson files or folders of them")
    b.add_argument("-o", "--output", required=True, help="output .npz")
    b.add_argument("--seed", type=_seed, default=0, help="split seed (recorded in the file)")
    b.add_argument("--fractions", type=_fractions, default=(0.8, 0.1, 0.1), metavar="TRAIN,VALID,TEST",
                   help="share of each class in each split, e.g. 0,0,1 to make every drawing a test sketch "
                        "(default: 0.8,0.1,0.1)")
    b.set_defaults(func=cmd_data_build)
    g = data.add_parser("generate", help="sample a labelled .npz from decoder-only models, one class per model",
                        description="Draw samples from each unconditional model (e.g. the sketch-rnn-js decoders), "
                                    "convert them as real Quick, Draw! drawings are converted (scale to 255, RDP "
                                    "epsilon 2.0, integer points), drop those that never end, run past --max-len "
                                    "or repeat, and write train/valid/test splits labelled by the model's class. "
                                    "Seeded and recorded in the file (`generation`).")
    g.add_argument("models", nargs="+", help="decoder-only models: names (sketchrnn-js/bird.gen) or .gen.json files")
    g.add_argument("-o", "--output", required=True, help="output .npz")
    g.add_argument("--train", type=_between(1, MAX_COUNT), default=2500, help="train sketches per class")
    g.add_argument("--valid", type=_between(0, MAX_COUNT), default=100, help="valid sketches per class")
    g.add_argument("--test", type=_between(0, MAX_COUNT), default=100, help="test sketches per class")
    g.add_argument("--temperature", type=_temperature, nargs="+", default=list(DEFAULT_TEMPERATURES), metavar="TAU",
                   help="sampling temperatures, taken in turn by successive batches of each class")
    _add_softmax_temperature(g)
    g.add_argument("--max-len", type=_between(2, 10_000), default=96, help="longest converted sketch kept (points)")
    g.add_argument("--seed", type=_seed, default=0, help="seed of every draw (recorded)")
    g.set_defaults(func=cmd_data_generate)
    f = data.add_parser("fetch", help="download a dataset (falls back to ../shared when offline)")
    f.add_argument("name", help="sketchrnn/<name> or quickdraw/<raw|simplified>/<word>")
    f.add_argument("--cache", help="cache folder (default data/cache)")
    f.add_argument("--shared", help="offline copy root (default ../shared)")
    f.set_defaults(func=cmd_data_fetch)

    models = sub.add_parser("models", help="published and bundled models by name: list, fetch").add_subparsers(
        dest="models_cmd", required=True)
    ml = models.add_parser("list", help="every model name, its kind, cell, classes and whether it is at hand",
                           description="Names: latentlab/<name> (bundled), magenta/<set>/<variant> (magenta's "
                                       "pretrained sketch_rnn.zip), sketchrnn-js/<class>.gen|.vae and "
                                       "sketchrnn-js-large/<class>.gen|.vae (the sketch-rnn-js / magenta-js zoo). "
                                       "Every command that takes a model takes its name; it is downloaded into "
                                       "the cache ($LATENTLAB_CACHE) on first use, or read from the offline copy "
                                       "($LATENTLAB_SHARED) when the network fails.")
    ml.add_argument("pattern", nargs="?", help="only names containing this")
    ml.add_argument("--source", choices=("latentlab", "magenta", "sketchrnn-js", "sketchrnn-js-large"),
                    help="only this source")
    ml.add_argument("--cached", action="store_true", help="only models at hand (no download needed)")
    ml.set_defaults(func=cmd_models_list)
    mf = models.add_parser("fetch", help="download, check and cache models by name (offline copy as fallback)")
    mf.add_argument("names", nargs="+", help="model names, e.g. magenta/aaron_sheep/layer_norm sketchrnn-js/cat.vae")
    mf.set_defaults(func=cmd_models_fetch)

    sm = sub.add_parser("sample", help="draw sketches from a model: a PNG grid or a magenta-format .npz",
                        description="Unconditional (decoder-only) models sample from scratch; conditional ones "
                                    "decode z drawn from the prior N(0, I). The .npz holds the samples as the "
                                    "'test' split (empty train/valid) with the model's class as their label, "
                                    "ready for `latentlab encode`; `latentlab data generate` makes training sets.")
    sm.add_argument("model", help="model name (e.g. sketchrnn-js/bird.gen) or folder / .json")
    sm.add_argument("-n", type=_between(1, 100_000), default=64, help="number of sketches")
    sm.add_argument("--temperature", type=_temperature, default=0.5, help="sampling temperature tau")
    _add_softmax_temperature(sm)
    sm.add_argument("--seed", type=_seed, default=0, help="sampling seed (and of z for conditional models)")
    sm.add_argument("--cols", type=_between(1, 1000), default=8, help="grid columns")
    sm.add_argument("-o", "--output", required=True, help=".png grid, or .npz dataset")
    sm.set_defaults(func=cmd_sample)

    d = sub.add_parser("draw", help="render sketches of a dataset split to a PNG grid")
    d.add_argument("data", help="magenta-format .npz")
    _add_split(d)
    d.add_argument("-n", type=_between(1, 10_000), default=32, help="number of sketches")
    d.add_argument("--start", type=_between(0, MAX_COUNT), default=0, help="first index")
    d.add_argument("--cols", type=_between(1, 1000), default=8, help="grid columns")
    d.add_argument("-o", "--output", required=True, help="output .png")
    d.set_defaults(func=cmd_draw)

    t = sub.add_parser("train", help="train a SketchRNN (resumable) in magenta's checkpoint format",
                       description="Train until --steps, resuming from the newest checkpoint in --out. "
                                   "--engine fast (default) is latentlab's compiled, length-bucketed trainer with "
                                   "magenta's loss; --engine jax is the same trainer on JAX (GPUs, no TensorFlow "
                                   "needed; vector-N.npz checkpoints); --engine magenta runs magenta's own trainer. "
                                   "fast and jax resume each other's folders.")
    t.add_argument("data", help="magenta-format .npz")
    t.add_argument("--out", required=True, help="training folder (checkpoints with optimizer state)")
    t.add_argument("--hparams", default="",
                   help="magenta-style overrides, e.g. 'dec_rnn_size=256,z_size=64', on top of --out's "
                        "model_config.json when resuming, else --init-from's, else magenta's defaults")
    t.add_argument("--steps", type=_between(1, MAX_STEPS), default=None,
                   help="train until this global step (default: --hparams num_steps=N, else 10000)")
    t.add_argument("--save-every", type=_between(1, MAX_STEPS), default=None, help="checkpoint interval (default hparams.save_every)")
    t.add_argument("--engine", choices=("fast", "jax", "magenta"), default="fast", help="which trainer (see above)")
    t.add_argument("--seed", type=_seed, default=0, help="seed of initial weights, batch order and noise")
    t.add_argument("--init-from", help="warm-start weights from this model (name or folder) when --out has no "
                                       "checkpoint")
    t.add_argument("--keep", type=_between(1, 1000), default=None,
                   help="checkpoints to keep in --out (default 2); keep more to export their average")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("export", help="write a weights-only model folder, or a sketch-rnn-js .json",
                       description="OUTPUT a folder: weights-only copy of the newest checkpoint (no optimizer "
                                   "slots). OUTPUT.json: the sketch-rnn-js / magenta-js format (decoder-only for "
                                   "unconditional models, the 17-array VAE layout for conditional ones).")
    e.add_argument("train_dir", help="training or model folder")
    e.add_argument("-o", "--output", required=True, help="folder, or .json for magenta-js")
    e.add_argument("--best", action="store_true",
                   help="export the lowest-validation-Lr checkpoint (the trainer's best/), not the newest")
    e.add_argument("--average", type=_between(1, 1000), default=1, metavar="N",
                   help="export the mean of the newest N scheduled checkpoints' weights (train with --keep N or more); "
                        "late in training it often beats each of them")
    e.set_defaults(func=cmd_export)

    v = sub.add_parser("evaluate", help="Lr and Lkl of a split, and class separation of a labelled one; last "
                                        "line is JSON",
                       description="Lr and Lkl (magenta's definitions) of a split; for a split of several labelled "
                                   "classes also how well mu sorts them: 10-NN and 1-NN accuracy of mu (cosine, "
                                   "5-fold), beside the same 10-NN on 32x32 blurred raster pixels.")
    v.add_argument("model", help="model name or folder")
    v.add_argument("data", help="magenta-format .npz")
    _add_split(v)
    v.add_argument("--seed", type=_seed, default=0, help="seed of the posterior samples z")
    v.add_argument("--fit-on", metavar="NPZ", help="a labelled .npz (e.g. the generated training set): also score "
                                                   "a 10-NN classifier fit on the mu of its train split")
    v.set_defaults(func=cmd_evaluate)

    r = sub.add_parser("reconstruct", help="the notebook's figures: temperature grid (.png) or animation (.gif/.html)")
    r.add_argument("data", help="magenta-format .npz")
    r.add_argument("--model", help="model name or folder (default latentlab/aaron_sheep)")
    _add_split(r)
    r.add_argument("--index", type=_between(0, MAX_COUNT), nargs="+", default=[0, 1, 2, 3, 4], help="sketch indices")
    r.add_argument("--temperatures", type=_temperature_list, default=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
                   metavar="T1,T2,...", help="grid columns (default: 0.1,0.2,...,0.9)")
    r.add_argument("--temperature", type=_temperature, default=0.1, help="for the animation")
    _add_softmax_temperature(r)
    r.add_argument("--seed", type=_seed, default=0, help="seed of z and of the sampling")
    r.add_argument("-o", "--output", required=True, help=".png grid, or .gif/.html animation")
    r.set_defaults(func=cmd_reconstruct)

    c = sub.add_parser("encode", help="encode dataset splits into an HDF5 latent store (resumable)",
                       description="Encode every sketch of the chosen splits into one HDF5 file: mu, sigma, z "
                                   "(seeded), per-sketch metadata and strokes, with provenance. Kill it and rerun "
                                   "the same command to resume; a store of another model or dataset is refused.")
    c.add_argument("model", help="model name (e.g. latentlab/quickdraw28, magenta/aaron_sheep/layer_norm) or folder")
    c.add_argument("data", nargs="+", help="magenta-format .npz file(s)")
    c.add_argument("--split", nargs="+", default=["test"], choices=SPLITS, help="splits to encode")
    c.add_argument("-o", "--output", required=True, help="store .h5")
    c.add_argument("--seed", type=_seed, default=0, help="seed of the posterior samples z")
    c.add_argument("--block-size", type=_between(1, 1_000_000), default=1024, help="sketches per resumable block (the unit "
                                                                        "of work on a cluster)")
    _add_cluster(c)
    c.set_defaults(func=cmd_encode)

    pr = sub.add_parser("project", help="PCA or UMAP of a store's vectors, written back into it")
    pr.add_argument("store", help="latent store .h5 (from `latentlab encode`)")
    pr.add_argument("--method", choices=tuple(PROJECTIONS), default="umap", help="projection (stored as obsm/X_<method>)")
    _add_use_rep(pr)
    pr.add_argument("--seed", type=_seed, default=0, help="UMAP's random_state (recorded)")
    pr.add_argument("--n-components", type=_between(1, 10_000), default=50, help="PCA")
    pr.add_argument("--n-neighbors", type=_between(2, 10_000), default=15, help="UMAP")
    pr.add_argument("--min-dist", type=_unit, default=0.1, help="UMAP")
    pr.add_argument("--metric", default="euclidean", help="UMAP")
    pr.add_argument("--key-added", help="store as obsm/X_<key> (default: the method), keeping earlier projections")
    pr.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                    help="PCA: fit and write a block of rows at a time (default: above 1,000,000 rows)")
    pr.add_argument("--sample-size", type=_between(2, MAX_COUNT), metavar="N",
                    help="UMAP: fit on N rows drawn with --seed, transform the others (on the cluster if given)")
    _add_cluster(pr)
    pr.set_defaults(func=cmd_project)

    nb = sub.add_parser("neighbors", help="nearest neighbours: of every sketch (stored), of a row, or of a file",
                        description="Without --query or --sketch: each sketch's k nearest others, stored as "
                                    "uns/knn (the report draws them). With --query ROW or --sketch FILE: that "
                                    "sketch's neighbours, printed and optionally drawn.")
    nb.add_argument("store", help="latent store .h5")
    nb.add_argument("--query", type=_between(0, MAX_COUNT), default=None, help="row of the store")
    nb.add_argument("--sketch", help="a sketch file (.npy, .json, .ndjson) to encode and query instead")
    nb.add_argument("-k", type=_between(1, 10_000), default=10, help="number of neighbours")
    nb.add_argument("--metric", choices=METRICS, default="cosine", help="distance")
    nb.add_argument("--method", choices=NN_METHODS, default="auto",
                    help="exact (scikit-learn), approx (pynndescent, for large stores), or auto: exact up to "
                         f"{AUTO_EXACT_MAX:,} sketches")
    _add_use_rep(nb)
    _add_store_model(nb)
    nb.add_argument("-o", "--output", help="grid .png of the query and its neighbours")
    _add_cluster(nb)
    nb.set_defaults(func=cmd_neighbors)

    ip = sub.add_parser("interpolate", help="decode a lerp/slerp path between two sketches into a strip")
    ip.add_argument("store", nargs="?", help="latent store")
    ip.add_argument("i", nargs="?", type=_between(0, MAX_COUNT), help="first row")
    ip.add_argument("j", nargs="?", type=_between(0, MAX_COUNT), help="second row")
    ip.add_argument("--sketch-a", help="or: a sketch file to start from")
    ip.add_argument("--sketch-b", help="and one to end at")
    ip.add_argument("--model", help="model name or folder (default: the store's, or the bundled sheep)")
    ip.add_argument("--steps", type=_between(2, MAX_STRIP), default=10,
                    help=f"points on the path, endpoints included (at most {MAX_STRIP})")
    ip.add_argument("--method", choices=tuple(PATHS), default="slerp",
                    help="straight line, or great circle (keeps the norm of a Gaussian latent)")
    _add_decoding(ip)
    ip.add_argument("-o", "--output", required=True, help="strip .png or .svg")
    ip.set_defaults(func=cmd_interpolate)

    an = sub.add_parser("analogy", help="latent arithmetic as in the paper: decode mu[a] - mu[b] + mu[c]")
    an.add_argument("store", help="latent store .h5")
    for row in "abc":
        an.add_argument(row, type=_between(0, MAX_COUNT), help=f"row {row} of the store")
    _add_store_model(an)
    _add_decoding(an, greedy=False)
    an.add_argument("-o", "--output", required=True, help="figure .png: a, b, c and the result")
    an.set_defaults(func=cmd_analogy)

    dc = sub.add_parser("decode", help="decode every stored vector once and keep the strokes (thumbnail cache)")
    dc.add_argument("store", help="latent store .h5")
    dc.add_argument("--key-added", help="store as decoded/<key> (default: from the parameters, e.g. tau0.1_js, "
                                        "tau0.1_z_seed3), so that no decode replaces another made differently")
    _add_decoding(dc)
    _add_use_rep(dc)
    _add_store_model(dc)
    dc.set_defaults(func=cmd_decode)

    rp = sub.add_parser("report", help="the explorer: one offline HTML page of the map, sketches drawn in it",
                        description="Writes one self-contained HTML file: the projection as a WebGL map (every "
                                    f"point up to {MAX_POINTS:,}), an inspector drawing the hovered sketch beside its "
                                    "decode, neighbours on click, a grid of box/lasso selections, class search, "
                                    "colour and filters, and representative sketches drawn on the map.")
    rp.add_argument("store", help="latent store .h5 with a projection (`latentlab project`)")
    rp.add_argument("--basis", choices=BASES, default="umap", help="projection shown first (the page switches)")
    rp.add_argument("--decoded", help="decoded group beside the originals, e.g. tau0.1_js (default: the newest "
                                      "cached decode); 'none' for none")
    rp.add_argument("--color-by", choices=COLOR_BY, default="auto",
                    help="auto: class when the store has several, else length; Lr needs `latentlab score`")
    rp.add_argument("--neighbors", type=_between(1, 10_000), metavar="K",
                    help="store each sketch's K nearest (cosine on mu) first, unless stored already")
    rp.add_argument("--max-points", type=_between(1, MAX_COUNT), default=MAX_POINTS,
                    help="above this, show a seeded random sample (the page says so)")
    rp.add_argument("--seed", type=_seed, default=0, help="seed of that sample")
    rp.add_argument("--title", help="page title (default: store name, projection and number of points)")
    rp.add_argument("--with-model", action="store_true",
                    help="embed the model (int8, about 2.5 MB for the bundled sheep) and the shown sketches' mu: "
                         "draw to search and interpolate inside the page, no server")
    _add_store_model(rp)
    rp.add_argument("--model-precision", choices=PRECISIONS, default="int8",
                    help="weights in the page: int8 (per-row scales) or float32 (exact, four times the size)")
    rp.add_argument("-o", "--output", required=True, help="report .html")
    rp.set_defaults(func=cmd_report)

    sc = sub.add_parser("score", help="per-sketch Lr and Lkl under the store's model, into obs/Lr and obs/Lkl",
                        description="The report colours and filters by Lr: high Lr marks the sketches the model "
                                    "explains worst.")
    sc.add_argument("store", help="latent store .h5")
    _add_store_model(sc)
    sc.add_argument("--seed", type=_seed, default=0, help="seed of the posterior samples z")
    sc.set_defaults(func=cmd_score)

    cd = sub.add_parser("card", help="measure a model folder and write its MODEL_CARD.md with figures")
    cd.add_argument("model", help="model folder (or a bundled model's name)")
    cd.add_argument("data", help="the .npz it was trained on")
    cd.add_argument("--title")
    cd.add_argument("--notes", help="a paragraph for the top of the card")
    cd.add_argument("--test-data", metavar="NPZ", help="measure on this .npz's test split instead (e.g. real drawings "
                                                      "for a model trained on generated ones)")
    cd.add_argument("--compare", nargs="+", default=[], metavar="MODEL",
                    help="models whose class separation is measured on the same test sketches")
    cd.set_defaults(func=cmd_card)

    m = sub.add_parser("demo", help="the main job end to end on the default model and data")
    m.add_argument("--out", default="out/demo", help="output folder")
    m.add_argument("--shared", help="offline data root (default ../shared)")
    m.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is printed escaped, never a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except LatentlabError as exc:
        if os.environ.get("LATENTLAB_DEBUG"):
            raise
        print(f"latentlab: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a read-only folder, a missing permission: the file and the reason
        if os.environ.get("LATENTLAB_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"latentlab: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("latentlab: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

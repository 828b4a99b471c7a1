"""``latentlab data``: build or fetch sketch datasets."""
from __future__ import annotations

import argparse

from latentlab.atomic import output_path
from latentlab.cli import options as o
from latentlab.io.classes import KINDS, classes_of, quickdraw_classes
from latentlab.io.quickdraw import build_npz, expand_inputs
from latentlab.train.generate import DEFAULT_TEMPERATURES, SPLIT_SIZES, generate_dataset


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    data = sub.add_parser("data", help="build or fetch sketch datasets").add_subparsers(dest="data_cmd", required=True)
    _add_build(data)
    _add_quickdraw(data)
    _add_generate(data)
    f = data.add_parser("fetch", help="download a dataset (falls back to ../shared when offline)")
    f.add_argument("name", help="sketchrnn/<name> or quickdraw/<raw|simplified>/<word>")
    f.add_argument("--cache", help="cache folder (default data/cache)")
    f.add_argument("--shared", help="offline copy root (default ../shared)")
    f.set_defaults(func=run_fetch)


def _add_build(data: "argparse._SubParsersAction") -> None:
    b = data.add_parser("build", help="Quick, Draw! ndjson files/folders -> magenta-format .npz",
                        description="Convert Quick, Draw! ndjson (simplified or raw) to stroke-3 (align, scale to "
                                    "255, RDP epsilon 2.0) and write a train/valid/test .npz split per class by a "
                                    "seeded shuffle; raw drawings keep their point times. Atomic: no half-written "
                                    "file.")
    b.add_argument("inputs", nargs="+", help="ndjson files or folders of them")
    b.add_argument("-o", "--output", required=True, help="output .npz")
    b.add_argument("--seed", type=o.seed, default=o.default(build_npz, "seed"),
                   help="split seed (recorded in the file)")
    b.add_argument("--fractions", type=o.fractions, default=o.default(build_npz, "fractions"),
                   metavar="TRAIN,VALID,TEST",
                   help="share of each class in each split, e.g. 0,0,1 to make every drawing a test sketch "
                        "(default: 0.8,0.1,0.1)")
    b.set_defaults(func=run_build)


def _add_quickdraw(data: "argparse._SubParsersAction") -> None:
    q = data.add_parser("quickdraw", help="Quick, Draw! drawings of named classes -> labelled .npz",
                        description="Every drawing of the named classes (or of a model's classes): each class's "
                                    "published ndjson, raw and simplified, downloaded once into the cache (with no "
                                    "network, the offline copy's sample), built as `data build` builds files (a "
                                    "drawing in both kinds kept once, raw first), split per class by a seeded "
                                    "shuffle. Says per class how many drawings are longer than the model's "
                                    "max_seq_len: encoding leaves those out.")
    q.add_argument("classes", nargs="*", help='class words, e.g. cat "palm tree"')
    q.add_argument("--classes-of", metavar="MODEL", help="every class of a model, e.g. latentlab/quickdraw28")
    q.add_argument("--kind", choices=("both", *KINDS), default="both", help="which published files")
    q.add_argument("--fractions", type=o.fractions, default=o.default(quickdraw_classes, "fractions"),
                   metavar="TRAIN,VALID,TEST", help="share of each class in each split (default 0,0,1: every drawing "
                                                    "a test sketch, to measure a model on)")
    q.add_argument("--seed", type=o.seed, default=o.default(quickdraw_classes, "seed"), help="split seed")
    q.add_argument("--max-seq-len", type=o.between(2, 10_000),
                   help="count the drawings longer than this (default: the model's, with --classes-of)")
    q.add_argument("--cache", help="cache folder")
    q.add_argument("--shared", help="offline copy root (default ../shared)")
    q.add_argument("-o", "--output", required=True, help="output .npz")
    q.set_defaults(func=run_quickdraw)


def _add_generate(data: "argparse._SubParsersAction") -> None:
    g = data.add_parser("generate", help="sample a labelled .npz from decoder-only models, one class per model",
                        description="Draw samples from each unconditional model (e.g. the sketch-rnn-js decoders), "
                                    "convert them as real Quick, Draw! drawings are converted (scale to 255, RDP "
                                    "epsilon 2.0, integer points), drop those that never end, run past --max-len "
                                    "or repeat, and write train/valid/test splits labelled by the model's class. "
                                    "Seeded and recorded in the file (`generation`).")
    g.add_argument("models", nargs="+", help="decoder-only models: names (sketchrnn-js/bird.gen) or .gen.json files")
    g.add_argument("-o", "--output", required=True, help="output .npz")
    g.add_argument("--train", type=o.between(1, o.MAX_COUNT), default=SPLIT_SIZES["train"],
                   help="train sketches per class")
    g.add_argument("--valid", type=o.between(0, o.MAX_COUNT), default=SPLIT_SIZES["valid"],
                   help="valid sketches per class")
    g.add_argument("--test", type=o.between(0, o.MAX_COUNT), default=SPLIT_SIZES["test"],
                   help="test sketches per class")
    g.add_argument("--temperature", type=o.temperature, nargs="+", default=list(DEFAULT_TEMPERATURES), metavar="TAU",
                   help="sampling temperatures, taken in turn by successive batches of each class")
    o.add_softmax_temperature(g)
    g.add_argument("--max-len", type=o.between(2, 10_000), default=o.default(generate_dataset, "max_len"),
                   help="longest converted sketch kept (points)")
    g.add_argument("--seed", type=o.seed, default=o.default(generate_dataset, "seed"),
                   help="seed of every draw (recorded)")
    g.set_defaults(func=run_generate)


def run_build(a: argparse.Namespace) -> None:
    """Build a magenta-format ``.npz`` from Quick, Draw! ndjson."""
    from tqdm.auto import tqdm

    output_path(a.output, (".npz",), "dataset")
    with tqdm(total=len(expand_inputs(a.inputs)), desc="reading ndjson", unit="file", leave=False) as bar:
        report = build_npz(a.inputs, a.output, seed=a.seed, fractions=a.fractions, progress=lambda path: bar.update())
    print(report.summary())
    print(f"wrote {a.output}")


def run_quickdraw(a: argparse.Namespace) -> None:
    """Build a labelled ``.npz`` of every drawing of the named classes."""
    output_path(a.output, (".npz",), "dataset")
    classes, limit = list(a.classes), a.max_seq_len
    if a.classes_of:
        model_classes, model_limit = classes_of(a.classes_of)
        classes += [c for c in model_classes if c not in classes]
        limit = limit or model_limit
    report, too_long = quickdraw_classes(classes, a.output, kinds=KINDS if a.kind == "both" else (a.kind,),
                                         fractions=a.fractions, seed=a.seed, max_seq_len=limit, cache=a.cache,
                                         shared=a.shared)
    print(report.summary())
    if limit:
        print(f"{sum(too_long.values())} drawings longer than max_seq_len {limit} (encoding leaves them out)"
              + (": " + ", ".join(f"{c} {n}" for c, n in sorted(too_long.items())) if too_long else ""))
    print(f"wrote {a.output}")


def run_generate(a: argparse.Namespace) -> None:
    """Sample a labelled dataset from decoder-only models."""
    from tqdm.auto import tqdm

    output_path(a.output, (".npz",), "dataset")
    sizes = {"train": a.train, "valid": a.valid, "test": a.test}
    with tqdm(total=sum(sizes.values()) * len(a.models), desc="sampling", unit="sketch", leave=False) as bar:
        report = generate_dataset(a.models, a.output, split_sizes=sizes, temperatures=a.temperature,
                                  softmax_temperature=a.softmax_temperature, max_len=a.max_len, seed=a.seed,
                                  progress=bar.update)
    print(report.summary())
    print(f"wrote {a.output}")


def run_fetch(a: argparse.Namespace) -> None:
    """Fetch a dataset by name (or find its offline copy) and print its path."""
    from latentlab.io.download import fetch

    print(fetch(a.name, cache=a.cache, shared=a.shared))

"""``latentlab models``: published and bundled models by name: list, show, fetch."""
from __future__ import annotations

import argparse

from latentlab.errors import LatentlabError


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    models = sub.add_parser("models", help="published and bundled models by name: list, show, fetch").add_subparsers(
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
    ml.set_defaults(func=run_list)
    ms = models.add_parser("show", help="one model: what it is, its card's summary and measures, its classes in full")
    ms.add_argument("name", help="a model name, e.g. latentlab/quickdraw28")
    ms.set_defaults(func=run_show)
    mf = models.add_parser("fetch", help="download, check and cache models by name (offline copy as fallback)")
    mf.add_argument("names", nargs="+", help="model names, e.g. magenta/aaron_sheep/layer_norm sketchrnn-js/cat.vae")
    mf.set_defaults(func=run_fetch)


def run_list(a: argparse.Namespace) -> None:
    """Print the model names, what they are and whether they are at hand."""
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


def run_fetch(a: argparse.Namespace) -> None:
    """Fetch models by name into the cache."""
    from latentlab.model.zoo import model_path

    for name in a.names:
        print(f"{name}: {model_path(name)}")


def run_show(a: argparse.Namespace) -> None:
    """Print one model's entry, its card's summary and measures (bundled models) and every class."""
    from latentlab.model.zoo import list_models, model_path

    found = [m for m in list_models() if m.name == a.name]
    if not found:
        model_path(a.name)  # says what the names are
        raise LatentlabError(f"unknown model {a.name!r}: `latentlab models list` shows the names")
    m = found[0]
    print(f"{m.name}: {m.kind}, {m.cell} cells, {m.source}; {'at hand' if m.cached else 'downloaded on first use'}")
    if m.source.startswith("bundled"):
        from latentlab.model.layout import read_info

        folder = model_path(m.name)
        card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8").split("\n\n") \
            if (folder / "MODEL_CARD.md").is_file() else []
        if len(card) > 1:
            print(card[1].strip())
        measured = read_info(folder).get("measured_test", {})
        if measured:
            sep = measured.get("separation", {})
            print(f"measured on {measured.get('test_data', 'its test split')} ({measured['n']} sketches): test Lr "
                  f"{measured['Lr']:.4f}, Lkl {measured['Lkl']:.4f}"
                  + (f"; its 10 nearest mu name the class {sep['knn_mu']:.1%}" if "knn_mu" in sep else ""))
        print(f"card: {folder / 'MODEL_CARD.md'}")
    print(f"{len(m.classes)} class{'es' if len(m.classes) != 1 else ''}:")
    for i, name in enumerate(m.classes):
        print(f"  {i:3d}  {name}")

"""``latentlab card``: measure a model folder and write its MODEL_CARD.md with figures."""
from __future__ import annotations

import argparse




def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    cd = sub.add_parser("card", help="measure a model folder and write its MODEL_CARD.md with figures")
    cd.add_argument("model", help="model folder (or a bundled model's name)")
    cd.add_argument("data", help="the .npz it was trained on")
    cd.add_argument("--title")
    cd.add_argument("--notes", help="a paragraph for the top of the card")
    cd.add_argument("--test-data", metavar="NPZ", help="measure on this .npz's test split instead (e.g. real drawings "
                                                      "for a model trained on generated ones)")
    cd.add_argument("--compare", nargs="+", default=[], metavar="MODEL",
                    help="models whose class separation is measured on the same test sketches")
    cd.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Measure a model and write its card."""
    from latentlab.eval.card import write_card

    from latentlab.model.zoo import is_model_name, model_path

    folder = model_path(a.model) if is_model_name(a.model) else a.model
    card = write_card(folder, a.data, a.title or "", a.notes or "", test_data=a.test_data, compare=tuple(a.compare))
    print(f"wrote {card}")

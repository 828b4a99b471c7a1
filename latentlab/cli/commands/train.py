"""``latentlab train``: train a SketchRNN (resumable) in magenta's checkpoint format."""
from __future__ import annotations

import argparse

from latentlab.cli import options as o
from latentlab.train import ENGINES, train


def register(sub: "argparse._SubParsersAction") -> None:
    """Add this command's parser to ``sub``."""
    t = sub.add_parser("train", help="train a SketchRNN (resumable) in magenta's checkpoint format",
                       description="Train until --steps, resuming from the newest checkpoint in --out. "
                                   "--engine tf (default) is latentlab's compiled, length-bucketed trainer with "
                                   "magenta's loss; --engine jax is the same trainer on JAX (GPUs, no TensorFlow "
                                   "needed; vector-N.npz checkpoints); --engine magenta runs magenta's own trainer. "
                                   "tf and jax resume each other's folders.")
    t.add_argument("data", help="magenta-format .npz")
    t.add_argument("--out", required=True, help="training folder (checkpoints with optimizer state)")
    t.add_argument("--hparams", default="",
                   help="magenta-style overrides, e.g. 'dec_rnn_size=256,z_size=64', on top of --out's "
                        "model_config.json when resuming, else --init-from's, else magenta's defaults")
    t.add_argument("--steps", type=o.between(1, o.MAX_STEPS), default=None,
                   help="train until this global step (default: --hparams num_steps=N, else 10000)")
    t.add_argument("--save-every", type=o.between(1, o.MAX_STEPS), default=None,
                   help="checkpoint interval (default hparams.save_every)")
    t.add_argument("--engine", choices=ENGINES, default=o.default(train, "engine"), help="which trainer (see above)")
    t.add_argument("--seed", type=o.seed, default=o.default(train, "seed"),
                   help="seed of initial weights, batch order and noise")
    t.add_argument("--init-from", help="warm-start weights from this model (name or folder) when --out has no "
                                       "checkpoint")
    t.add_argument("--keep", type=o.between(1, 1000), default=None,
                   help="checkpoints to keep in --out (default 2); keep more to export their average")
    t.add_argument("--class-weight", type=o.weight, default=0.0,
                   help="weight of an auxiliary class head on mu, so that sketches of one class lie together in "
                        "the latent space (needs labelled training data; tf and jax engines; default 0: off)")
    t.set_defaults(func=run)


def run(a: argparse.Namespace) -> None:
    """Train (or resume) a model with the chosen engine."""
    from latentlab.model.config import parse_hparams, target_steps
    from latentlab.train.loop import continued_hparams

    if a.init_from:
        from latentlab.model.zoo import is_model_name, model_path

        a.init_from = model_path(a.init_from) if is_model_name(a.init_from) else a.init_from
    hps = parse_hparams(a.hparams, continued_hparams(a.out, a.init_from))
    train(a.data, a.out, hps, engine=a.engine, steps=target_steps(a.steps, a.hparams), save_every=a.save_every,
          seed=a.seed, init_from=a.init_from, keep=a.keep, class_weight=a.class_weight)

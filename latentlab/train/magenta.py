"""Training with magenta's own SketchRNN trainer (graph mode, TF1 compat).

This is the reference path: magenta's ``Model``, ``DataLoader`` and ``train``
loop, fed by latentlab's safe dataset loader, resumable from the latest
``vector-N`` checkpoint in the output folder, and writing a correct
``model_config.json`` (magenta 2.1.4's trainer writes a broken one).
Importing this module imports magenta, which is slow: keep it off the runtime path.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from latentlab.model.tfquiet import tf as tf2  # before magenta: TensorFlow without its start-up noise
from magenta.models.sketch_rnn import model as mg_model
from magenta.models.sketch_rnn import sketch_rnn_train as mg_train
from magenta.models.sketch_rnn import utils as mg_utils

from latentlab.io.datasets import load_dataset
from latentlab.model.config import HParams, save_config

tf = tf2.compat.v1


def magenta_hparams(hps: HParams) -> "mg_model.contrib_training.HParams":
    """Our HParams as magenta's HParams object."""
    out = mg_model.get_default_hparams()
    for key, value in hps.to_official_dict().items():
        setattr(out, key, type(getattr(out, key))(value) if key != "data_set" else value)
    return out


def eval_hparams(mg_hps, batch_size: int | None = None):
    """Magenta's evaluation copy: no dropout, masked pen loss when ``is_training=0``.

    Parameters
    ----------
    mg_hps
        magenta's training hparams.
    batch_size
        The evaluation batch (default the training one).
    """
    out = mg_model.copy_hparams(mg_hps)
    out.use_input_dropout = 0
    out.use_recurrent_dropout = 0
    out.use_output_dropout = 0
    out.is_training = 1
    if batch_size:
        out.batch_size = batch_size
    return out


def _loader(sketch_set, hps, factor: float, train: bool) -> "mg_utils.DataLoader":
    loader = mg_utils.DataLoader(
        [s.copy() for s in sketch_set.sketches], hps.batch_size, max_seq_length=hps.max_seq_len,
        random_scale_factor=hps.random_scale_factor if train else 0.0,
        augment_stroke_prob=hps.augment_stroke_prob if train else 0.0)
    loader.normalize(factor)
    return loader


def train_magenta(data: str | os.PathLike, out_dir: str | os.PathLike, hps: HParams,
                  steps: int, init_from: str | os.PathLike | None = None) -> Path:
    """Train (or resume) with magenta's trainer until global step ``steps``.

    Saves ``vector-N`` checkpoints (magenta saves when validation improves,
    every ``save_every`` steps).  ``init_from`` warm-starts the weights from a
    weights-only checkpoint folder when ``out_dir`` has none of its own.

    Parameters
    ----------
    data
        The dataset ``.npz``.
    out_dir
        The training folder.
    hps
        The hparams.
    steps
        The global step to train to.
    init_from
        A model folder to warm-start from when ``out_dir`` has no checkpoint.

    Returns
    -------
    The training folder.
    """
    out_dir = Path(out_dir)
    dataset = load_dataset(data, max_seq_len=hps.max_seq_len)
    hps = hps.replace(max_seq_len=dataset.max_seq_len, data_set=[Path(data).name])
    mg_hps = magenta_hparams(hps)
    with tf.Graph().as_default():
        model = mg_model.Model(mg_hps)
        eval_model = mg_model.Model(eval_hparams(mg_hps), reuse=True)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        latest = tf.train.latest_checkpoint(str(out_dir))
        if latest:
            tf.train.Saver(tf.global_variables()).restore(sess, latest)
            print(f"resumed from {latest}")
        elif init_from:
            source = tf.train.latest_checkpoint(str(init_from))
            names = {name for name, _ in tf.train.list_variables(source)}
            var_list = [v for v in tf.global_variables() if v.op.name in names]
            tf.train.Saver(var_list).restore(sess, source)
            print(f"warm start: {len(var_list)} variables from {source} (fresh optimizer)")
        out_dir.mkdir(parents=True, exist_ok=True)
        save_config(hps, out_dir)
        (out_dir / "scale_factor.txt").write_text(f"{dataset.scale_factor!r}\n")
        remaining = steps - int(sess.run(model.global_step))
        if remaining <= 0:
            return out_dir
        mg_hps.num_steps = remaining
        mg_train.FLAGS([""])  # mark absl flags parsed; only log_root is read by train()
        mg_train.FLAGS.log_root = str(out_dir)
        np.random.seed()
        mg_train.train(sess, model, eval_model,
                       _loader(dataset["train"], mg_hps, dataset.scale_factor, True),
                       _loader(dataset["valid"], eval_hparams(mg_hps), dataset.scale_factor, False),
                       _loader(dataset["test"], eval_hparams(mg_hps), dataset.scale_factor, False))
    return out_dir

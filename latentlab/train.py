"""A compiled TF2 trainer for SketchRNN: magenta's loss, optimizer and schedules, less padding.

Same model, same checkpoint names, same loss as magenta's trainer
(``r_cost + kl_weight * max(kl, kl_tolerance)``, Adam with per-value gradient
clipping, magenta's learning-rate and KL-weight schedules, recurrent, input and
output dropout, and data augmentation), with two speed-ups that change nothing in the model:

* length bucketing: a batch holds sketches of similar length and is padded to
  its own longest sketch (+1 end token), not to ``max_seq_len``.  The loss is
  still divided by ``batch * max_seq_len`` as magenta's; only the pen terms of
  padding rows past the bucket's end are left out (end-after-end predictions).
* the input projections of a whole sequence (and of z) are one GEMM, not one per step.

Checkpoints carry the Adam slots under magenta's names (``<var>/Adam``,
``<var>/Adam_1``, ``beta1_power``...), so either trainer can resume the other's.
"""
from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tensorflow as tf

from latentlab.atomic import write_text
from latentlab.checkpoint import checkpoint_prefix, read_checkpoint, write_checkpoint
from latentlab.config import HParams, save_config
from latentlab.datasets import SketchDataset, augment, batch_arrays, length_buckets, load_dataset
from latentlab.errors import LatentlabError
from latentlab.model import (SCOPE, SketchRNN, read_info, reconstruction_terms, save_info, split_mixture,
                             variable_shapes)

BETA1, BETA2, ADAM_EPS = 0.9, 0.999, 1e-8
LOG_FILE = "train_log.jsonl"
BEST_DIR = "best"  # weights of the lowest validation Lr so far (magenta's trainer keeps that checkpoint too)


def init_weights(hps: HParams, seed: int) -> dict[str, np.ndarray]:
    """Fresh weights with magenta's initialisers (glorot-uniform inputs, orthogonal recurrent blocks...)."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in variable_shapes(hps).items():
        leaf = name.rsplit("/", 1)[-1]
        scope = name.rsplit("/", 2)[-2]
        if leaf == "W_hh":
            blocks = [np.linalg.qr(rng.standard_normal((shape[0], shape[0])))[0][:, :shape[1] // 4]
                      for _ in range(4)]
            value = np.concatenate(blocks, axis=1)
        elif leaf in ("bias", "ln_beta", "output_b", "super_linear_b") and scope != "zw":
            value = np.zeros(shape)
        elif leaf == "ln_gamma":
            value = np.ones(shape)
        elif scope in ("ENC_RNN_mu", "ENC_RNN_sigma", "linear"):
            value = rng.normal(0, 0.001, shape)
        elif scope == "zw":
            value = np.zeros(shape) if leaf == "super_linear_w" else np.ones(shape)
        elif scope == "alpha":
            value = np.full(shape, 0.1 / shape[0])
        elif scope == "zb":
            value = rng.normal(0, 0.01, shape)
        elif scope == "beta":
            value = np.zeros(shape)
        else:  # W_xh, output_w: TF's default glorot uniform
            limit = np.sqrt(6.0 / (shape[0] + shape[-1]))
            value = rng.uniform(-limit, limit, shape)
        out[name] = value.astype(np.float32)
    return out


@dataclass
class Schedule:
    """Magenta's per-step learning rate and KL weight."""

    hps: HParams

    def learning_rate(self, step: int) -> float:
        h = self.hps
        return (h.learning_rate - h.min_learning_rate) * h.decay_rate ** step + h.min_learning_rate

    def kl_weight(self, step: int) -> float:
        h = self.hps
        return h.kl_weight - (h.kl_weight - h.kl_weight_start) * h.kl_decay_rate ** step


class Trainer:
    """Owns the model variables, the Adam slots and the compiled train/eval steps."""

    def __init__(self, model: SketchRNN) -> None:
        self.model = model
        self.hps = model.hps
        self.names = sorted(model.variables)
        self.vars = [model.variables[n] for n in self.names]
        self.m = [tf.Variable(tf.zeros_like(v)) for v in self.vars]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in self.vars]
        self.beta_powers = tf.Variable([BETA1, BETA2], dtype=tf.float32)
        seq = tf.TensorSpec([None, None, 5], tf.float32)
        self.train_step = tf.function(self._train_step, input_signature=[
            seq, tf.TensorSpec([None], tf.int32), tf.TensorSpec([], tf.float32),
            tf.TensorSpec([], tf.float32), tf.TensorSpec([2], tf.int32)])
        self.eval_step = tf.function(lambda data, lengths, seed: self._losses(data, lengths, seed, False),
                                     input_signature=[seq, tf.TensorSpec([None], tf.int32), tf.TensorSpec([2], tf.int32)])

    def _losses(self, data, lengths, seed, dropout: bool):
        model, hps = self.model, self.hps
        batch = tf.shape(data)[0]
        drop_seed = seed + 7 if dropout else None  # the model applies the dropouts its hparams ask for
        if hps.conditional:
            mu, presig = model.encoder_outputs(data[:, 1:], lengths, seed + 3 if dropout else None)
            eps = tf.random.stateless_normal(tf.shape(mu), seed)
            z = mu + tf.exp(presig / 2.0) * eps
            kl = -0.5 * tf.reduce_mean(1 + presig - tf.square(mu) - tf.exp(presig))
        else:
            z = tf.zeros([batch, hps.z_size])
            kl = tf.constant(0.0)
        return self.r_cost(data, z, drop_seed), kl

    def r_cost(self, data: tf.Tensor, z: tf.Tensor, drop_seed: tf.Tensor | None = None) -> tf.Tensor:
        """Magenta's r_cost: offset NLL + pen cross-entropy, summed, over batch * max_seq_len."""
        out = self.model.decoder_outputs(data[:, :-1], z, drop_seed)
        offset, pen = reconstruction_terms(split_mixture(out, self.hps.num_mixture), data[:, 1:])
        return (tf.reduce_sum(offset) + tf.reduce_sum(pen)) / tf.cast(tf.shape(data)[0] * self.hps.max_seq_len,
                                                                      tf.float32)

    def _train_step(self, data, lengths, lr, kl_weight, seed):
        with tf.GradientTape() as tape:
            r_cost, kl = self._losses(data, lengths, seed, True)
            cost = r_cost + kl_weight * tf.maximum(kl, self.hps.kl_tolerance)
        grads = tape.gradient(cost, self.vars)
        clip = self.hps.grad_clip
        b1p, b2p = self.beta_powers[0], self.beta_powers[1]
        lr_t = lr * tf.sqrt(1 - b2p) / (1 - b1p)
        for var, m, v, g in zip(self.vars, self.m, self.v, grads):
            g = tf.clip_by_value(g, -clip, clip)
            m.assign(BETA1 * m + (1 - BETA1) * g)
            v.assign(BETA2 * v + (1 - BETA2) * tf.square(g))
            var.assign_sub(lr_t * m / (tf.sqrt(v) + ADAM_EPS))
        self.beta_powers.assign(self.beta_powers * [BETA1, BETA2])
        return cost, r_cost, kl

    def slots(self) -> dict[str, np.ndarray]:
        # magenta's TF1 Adam names its slots "<scope>/<variable name>/Adam[_1]".
        out = {f"{SCOPE}/{n}/Adam": m.numpy() for n, m in zip(self.names, self.m)}
        out.update({f"{SCOPE}/{n}/Adam_1": v.numpy() for n, v in zip(self.names, self.v)})
        b1, b2 = self.beta_powers.numpy()
        out.update({f"{SCOPE}/beta1_power": np.float32(b1), f"{SCOPE}/beta2_power": np.float32(b2)})
        return out

    def restore_slots(self, prefix: str) -> bool:
        reader = tf.train.load_checkpoint(prefix)
        have = reader.get_variable_to_shape_map()
        if not all(f"{SCOPE}/{n}/Adam" in have and f"{SCOPE}/{n}/Adam_1" in have for n in self.names):
            return False
        for n, m, v in zip(self.names, self.m, self.v):
            m.assign(reader.get_tensor(f"{SCOPE}/{n}/Adam"))
            v.assign(reader.get_tensor(f"{SCOPE}/{n}/Adam_1"))
        self.beta_powers.assign([reader.get_tensor(f"{SCOPE}/beta1_power"), reader.get_tensor(f"{SCOPE}/beta2_power")])
        return True

    def evaluate(self, dataset: SketchDataset, split: str, seed: int = 0, batch_size: int = 100) -> tuple[float, float]:
        """Magenta's trainer-side evaluation (no dropout, no augmentation, padded to max_seq_len)."""
        sketches = dataset[split].sketches
        r_total, kl_total, count = 0.0, 0.0, 0
        for start in range(0, len(sketches), batch_size):
            chunk = sketches[start:start + batch_size]
            data, lengths = batch_arrays(chunk, dataset.scale_factor, self.hps.max_seq_len)
            r, kl = self.eval_step(tf.constant(data), tf.constant(lengths), tf.constant([seed, start]))
            r_total += float(r) * len(chunk)
            kl_total += float(kl) * len(chunk)
            count += len(chunk)
        return r_total / count, kl_total / count


def write_info(out_dir: Path, dataset: SketchDataset, extra: dict | None = None) -> None:
    info = {"scale_factor": dataset.scale_factor, "dataset": dataset.path.name,
            "dataset_sha256": dataset.sha256, "max_seq_len": dataset.max_seq_len,
            "split_sizes": {k: len(v) for k, v in dataset.splits.items()}, **(extra or {})}
    save_info(out_dir, info)


def _append_log(out_dir: Path, **row: float) -> None:
    with open(out_dir / LOG_FILE, "a") as fh:
        fh.write(json.dumps({**row, "time": time.time()}) + "\n")


def read_log(train_dir: str | os.PathLike, until: int | None = None) -> list[dict]:
    """The trainer's log rows (train losses every 20 steps, validation at each save), up to step ``until``
    when given; empty without a log."""
    path = Path(train_dir) / LOG_FILE
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return rows if until is None else [row for row in rows if row["step"] <= until]


def write_log(folder: str | os.PathLike, rows: list[dict]) -> Path:
    """Write log rows (``read_log``'s format) as the folder's whole log, atomically."""
    return write_text(Path(folder) / LOG_FILE, "".join(json.dumps(row) + "\n" for row in rows))


HISTORY_KEYS = ("warm_start", "prior_train_hours")  # what a training folder inherits from a warm-start model


def _warm_start_history(init_from: Path, out_dir: Path, step: int) -> dict:
    """Carry a warm-start model's training record into a new training folder.

    The model folder's log (``export_model`` copies it there) becomes the start of
    the new log, so curves and hours continue across machines; hours that no log
    row covers (a model exported without its log carries only a total) become
    ``prior_train_hours``, which exports add to the log's time.
    """
    info = read_info(init_from)
    rows = read_log(init_from, until=step)
    if rows and not (out_dir / LOG_FILE).exists():
        write_log(out_dir, rows)
    prior = info.get("prior_train_hours", 0.0) if rows else info.get("train_hours", 0.0)
    return {"warm_start": {"model": str(init_from), "step": step}, "prior_train_hours": prior}


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m{int(seconds % 60):02d}s"


def train(data: str | os.PathLike, out_dir: str | os.PathLike, hps: HParams | None = None,
          steps: int = 10000, save_every: int | None = None, seed: int = 0, bucket_width: int = 10,
          end_padding: int = 16,
          init_from: str | os.PathLike | None = None, log=print) -> Path:
    """Train (or resume) until global step ``steps``; checkpoints with optimizer slots go in ``out_dir``.

    Batches are padded ``end_padding`` rows past their longest sketch, so the
    model also learns to stay ended (magenta's Lr counts pen loss up to max_seq_len).
    Each save also measures validation Lr; the weights of the lowest so far go
    to ``out_dir/best`` (export them with ``export_model(..., best=True)``).
    Resumes from the newest checkpoint in ``out_dir`` (Adam slots included).  With
    none there, ``init_from`` (a model folder, e.g. a committed weights-only model)
    warm-starts the weights with a fresh optimizer.  Ctrl-C / SIGTERM save first.
    """
    out_dir = Path(out_dir)
    hps = hps or HParams()
    dataset = load_dataset(data, max_seq_len=hps.max_seq_len)
    hps = hps.replace(max_seq_len=dataset.max_seq_len, data_set=[Path(data).name])
    save_every = save_every or hps.save_every
    resume_prefix = None
    try:
        resume_prefix = checkpoint_prefix(out_dir)
    except LatentlabError:
        pass
    if resume_prefix:
        weights, step = read_checkpoint(out_dir)
        log(f"resuming from {resume_prefix} at step {step}")
    elif init_from:
        weights, _ = read_checkpoint(init_from)
        step = int(read_info(init_from).get("steps") or 0)  # schedules continue where it stopped
        log(f"warm start from {init_from} (step {step}, fresh optimizer)")
    else:
        weights, step = init_weights(hps, seed), 0
    step = step or 0
    model = SketchRNN(hps, weights, dataset.scale_factor)
    trainer = Trainer(model)
    if resume_prefix and not trainer.restore_slots(resume_prefix):
        log("checkpoint has no optimizer slots: fresh Adam state")
    out_dir.mkdir(parents=True, exist_ok=True)
    save_config(hps, out_dir)
    if init_from and not resume_prefix:
        history = _warm_start_history(Path(init_from), out_dir, step)
    else:
        history = {k: v for k, v in read_info(out_dir).items() if k in HISTORY_KEYS}
    write_info(out_dir, dataset, history)
    schedule = Schedule(hps)
    train_set = dataset["train"]
    lengths = train_set.lengths
    rng = np.random.default_rng([seed, step])
    batches = length_buckets(lengths, hps.batch_size, bucket_width, rng)
    stop = {"flag": False}

    def request_stop(signum, frame):  # noqa: ARG001
        stop["flag"] = True

    old = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def save(step: int) -> dict[str, np.ndarray]:
        weights = trainer.model.weights
        write_checkpoint(out_dir, weights, step, extra=trainer.slots())
        return weights

    best_valid = min((r["valid_recon"] for r in read_log(out_dir) if "valid_recon" in r), default=np.inf)
    t0, window = time.time(), []
    try:
        while step < steps and not stop["flag"]:
            idx = next(batches)
            chunk = [augment(s, rng, hps.random_scale_factor, hps.augment_stroke_prob)
                     for s in model.to_model_units([train_set.sketches[i] for i in idx])]
            data, lens = batch_arrays(chunk, 1.0, min(max(len(s) for s in chunk) + end_padding, hps.max_seq_len))
            cost, r, kl = trainer.train_step(tf.constant(data), tf.constant(lens),
                                             tf.constant(schedule.learning_rate(step), tf.float32),
                                             tf.constant(schedule.kl_weight(step), tf.float32),
                                             tf.constant([seed, step], tf.int32))
            step += 1
            window.append((float(cost), float(r), float(kl)))
            if step % 20 == 0:
                c, r_, k = np.mean(window, axis=0)
                rate = (time.time() - t0) / len(window)
                log(f"step {step}: cost {c:.4f} recon {r_:.4f} kl {k:.4f} lr {schedule.learning_rate(step):.6f} "
                    f"klw {schedule.kl_weight(step):.4f} {rate:.2f} s/step, "
                    f"{_duration(rate * (steps - step))} to step {steps}")
                _append_log(out_dir, step=step, cost=c, recon=r_, kl=k, s_per_step=rate)
                t0, window = time.time(), []
            if step % save_every == 0:
                weights = save(step)
                vr, vk = trainer.evaluate(dataset, "valid")
                log(f"step {step}: saved; valid recon {vr:.4f} kl {vk:.4f}")
                _append_log(out_dir, step=step, valid_recon=vr, valid_kl=vk)
                if vr < best_valid:
                    best_valid = vr
                    write_checkpoint(out_dir / BEST_DIR, weights, step, keep=1)
                t0 = time.time()
    finally:
        save(step)
        for s, handler in old.items():
            signal.signal(s, handler)
    log(f"stopped at step {step}; checkpoint in {out_dir}")
    return out_dir

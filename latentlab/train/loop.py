"""The training loop every engine shares, without TensorFlow or JAX.

An engine (:class:`latentlab.train.tf.Trainer` on TensorFlow, :class:`latentlab.train.jax.JaxTrainer` on JAX)
owns the weights, the Adam slots and a compiled step; this module owns the rest: magenta's schedules, batches,
resuming and warm starts, the training log, checkpoints, validation and ``best/``.  So both engines write the
same training folder, and either can resume the other's.
"""
from __future__ import annotations

import os
import shutil
import signal
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

import numpy as np

from latentlab.errors import LatentlabError
from latentlab.io.datasets import SketchDataset, load_dataset
from latentlab.model.checkpoint import checkpoint_prefix, read_state, write_checkpoint
from latentlab.model.config import CONFIG_FILE, HParams, load_config, save_config
from latentlab.model.layout import read_info, save_info
from latentlab.train.batches import augment, batch_arrays, length_buckets
from latentlab.train.classes import head_weights, without_head
from latentlab.train.log import LOG_FILE, append_log, read_log, write_log
from latentlab.train.state import Schedule, init_weights

BEST_DIR = "best"  # weights of the lowest validation Lr so far (magenta's trainer keeps that checkpoint too)
HISTORY_KEYS = ("warm_start", "prior_train_hours", "class_weight")  # what a resumed training folder keeps


class Engine(Protocol):
    """What the loop needs of a trainer: compiled steps on padded stroke-5 batches, and its state."""

    checkpoint_format: str  # write_checkpoint's fmt
    pad_multiple: int  # batches are padded to a multiple of this (fewer shapes to compile)

    def train_step(self, data: np.ndarray, lengths: np.ndarray, lr: float, kl_weight: float,
                   seed: np.ndarray, labels: np.ndarray | None = None, class_weight: float = 0.0) -> tuple[Any, ...]:
        """One optimiser step on a batch; returns (cost, Lr, Lkl), possibly still on the device, and the class
        head's cross-entropy when the engine has one (``latentlab.train.classes``).

        Parameters
        ----------
        data
            (B, T + 1, 5) padded stroke-5.
        lengths
            (B,) points.
        lr
            Learning rate.
        kl_weight
            KL weight.
        seed
            Step seed.
        labels
            (B,) class indices, for the class head.
        class_weight
            Weight of the class head's cross-entropy in the cost.
        """

    def eval_step(self, data: np.ndarray, lengths: np.ndarray, seed: np.ndarray) -> tuple[Any, Any]:
        """(Lr, Lkl) of a batch, without training.

        Parameters
        ----------
        data
            (B, T + 1, 5) padded stroke-5.
        lengths
            (B,) points.
        seed
            Seed of z.
        """

    def weights(self) -> dict[str, np.ndarray]:
        """The current weights as numpy arrays, by magenta's names."""

    def slots(self) -> dict[str, np.ndarray]:
        """Adam's state as checkpoint tensors."""

    def restore_slots(self, slots: dict[str, np.ndarray]) -> bool:
        """Take Adam's state from checkpoint tensors; False when they hold none."""


EngineFactory = Callable[[HParams, dict, float], Engine]  # (hps, weights, scale_factor) -> engine


def continued_hparams(out_dir: str | os.PathLike, init_from: str | os.PathLike | None = None) -> HParams:
    """The hparams a run goes on with: ``out_dir``'s when resuming, else ``init_from``'s, else magenta's defaults.

    So resuming or warm-starting a model of other sizes needs no ``--hparams``.

    Parameters
    ----------
    out_dir
        The training folder.
    init_from
        A model folder to warm-start from.
    """
    for folder in (out_dir, init_from):
        if folder and (Path(folder) / CONFIG_FILE).is_file():
            return load_config(folder)
    return HParams()


def evaluate(engine: Engine, hps: HParams, dataset: SketchDataset, split: str, seed: int = 0,
             batch_size: int = 100) -> tuple[float, float]:
    """Magenta's trainer-side evaluation (no dropout, no augmentation, padded to max_seq_len).

    Parameters
    ----------
    engine
        The trainer.
    hps
        Its hparams.
    dataset
        The dataset.
    split
        Which split.
    seed
        Seed of the posterior samples.
    batch_size
        Sketches a batch.
    """
    sketches = dataset[split].sketches
    r_total, kl_total, count = 0.0, 0.0, 0
    for start in range(0, len(sketches), batch_size):
        chunk = sketches[start:start + batch_size]
        data, lengths = batch_arrays(chunk, dataset.scale_factor, hps.max_seq_len)
        r, kl = engine.eval_step(data, lengths, np.array([seed, start], np.int32))
        r_total += float(r) * len(chunk)
        kl_total += float(kl) * len(chunk)
        count += len(chunk)
    return r_total / count, kl_total / count


def write_info(out_dir: Path, dataset: SketchDataset, extra: dict | None = None) -> None:
    """Write ``model_info.json``: the data's scale factor and provenance, and ``extra``.

    Parameters
    ----------
    out_dir
        The training folder.
    dataset
        The training data.
    extra
        More entries (the model's history).
    """
    info = {"scale_factor": dataset.scale_factor, "dataset": dataset.path.name,
            "dataset_sha256": dataset.sha256, "max_seq_len": dataset.max_seq_len,
            "split_sizes": {k: len(v) for k, v in dataset.splits.items()}, **(extra or {})}
    classes = next((s.class_names for s in dataset.splits.values() if s.class_names), None)
    if classes:
        info["classes"] = list(classes)
    save_info(out_dir, info)


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
    m = int(seconds // 60)
    return f"{m // 60}h{m % 60:02d}m" if m >= 60 else f"{m}m{int(seconds % 60):02d}s"


def training_batches(dataset: SketchDataset, hps: HParams, rng: np.random.Generator, pad_multiple: int = 1,
                     bucket_width: int = 10, end_padding: int = 16
                     ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    """Endless (stroke-5 data, lengths, labels or None) training batches: length-bucketed, augmented as magenta
    does, padded ``end_padding`` rows past the longest sketch, rounded up to ``pad_multiple``, at most ``max_seq_len``.

    Parameters
    ----------
    dataset
        The training data.
    hps
        Batch size, augmentation, max_seq_len.
    rng
        The random generator.
    pad_multiple
        Rows are rounded up to a multiple of this.
    bucket_width
        As for :func:`latentlab.train.batches.length_buckets`.
    end_padding
        Rows past the longest sketch.
    """
    train_set = dataset["train"]
    for idx in length_buckets(train_set.lengths, hps.batch_size, bucket_width, rng):
        chunk = [augment(np.asarray(train_set.sketches[i], np.float32), rng, hps.random_scale_factor,
                         hps.augment_stroke_prob) for i in idx]
        longest = max(len(s) for s in chunk) + end_padding
        data, lengths = batch_arrays(chunk, dataset.scale_factor,
                                     min(-(-longest // pad_multiple) * pad_multiple, hps.max_seq_len))
        yield data, lengths, None if train_set.labels is None else train_set.labels[idx]


def train_loop(make_engine: EngineFactory, data: str | os.PathLike, out_dir: str | os.PathLike,
               hps: HParams | None = None, steps: int = 10000, save_every: int | None = None, seed: int = 0,
               bucket_width: int = 10, end_padding: int = 16, init_from: str | os.PathLike | None = None,
               keep: int = 2, class_weight: float = 0.0, log: Callable[[str], None] = print) -> Path:
    """Train (or resume) until global step ``steps``; checkpoints with optimizer slots go in ``out_dir``.

    Batches are padded ``end_padding`` rows past their longest sketch, so the
    model also learns to stay ended (magenta's Lr counts pen loss up to max_seq_len).
    Each save also measures validation Lr; the weights of the lowest so far go
    to ``out_dir/best`` (export them with ``export_model(..., best=True)``).
    Resumes from the newest checkpoint in ``out_dir`` (Adam slots included).  With
    none there, ``init_from`` (a model folder, e.g. a committed weights-only model)
    warm-starts the weights with a fresh optimizer.  Without ``hps``, the run goes on with
    :func:`continued_hparams`.  The newest ``keep`` checkpoints stay (export can average
    them).  Ctrl-C / SIGTERM save first.

    Parameters
    ----------
    make_engine
        ``(hps, weights, scale_factor) -> Engine``: the TF or JAX trainer.
    data
        The dataset ``.npz``.
    out_dir
        The training folder.
    hps
        Hparams (default :func:`continued_hparams`).
    steps
        The global step to train to.
    save_every
        Checkpoint interval (default ``hps.save_every``).
    seed
        Seed of weights, batch order and noise.
    bucket_width, end_padding
        As for :func:`training_batches`.
    init_from
        A model folder to warm-start from when ``out_dir`` has no checkpoint.
    keep
        Checkpoints kept.
    class_weight
        Weight of an auxiliary class head on mu (``latentlab.train.classes``; needs labelled training data).
    log
        Where progress lines go.
    """
    out_dir = Path(out_dir)
    before = continued_hparams(out_dir, init_from)
    hps = hps or before
    dataset = load_dataset(data, max_seq_len=hps.max_seq_len)
    hps = hps.replace(max_seq_len=dataset.max_seq_len, data_set=[Path(data).name])
    weights, slots, step, resuming = _initial_state(out_dir, hps, init_from, seed, log)
    weights = _with_class_head(weights, hps, dataset, class_weight, seed)
    engine = make_engine(hps, weights, dataset.scale_factor)
    if resuming and not engine.restore_slots(slots):
        log("checkpoint has no optimizer slots: fresh Adam state")
    made_here = not out_dir.exists()
    _prepare_folder(out_dir, hps, before, dataset, resuming=resuming, init_from=init_from, step=step, log=log,
                    class_weight=class_weight)
    if step >= steps:
        log(f"already at step {step}, not below steps={steps}: nothing to train (ask for a later step)")
    stop = {"flag": False}

    def request_stop(signum, frame):  # noqa: ARG001
        stop["flag"] = True  # Ctrl-C / SIGTERM: save, then stop

    old = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    run = _Run(engine, hps, dataset, out_dir, keep, log, class_weight)
    try:
        step = run.train(step, steps, save_every or hps.save_every, seed,
                         training_batches(dataset, hps, np.random.default_rng([seed, step]), engine.pad_multiple,
                                          bucket_width, end_padding), stop)
    except BaseException:
        # an error is not an interruption: keep no checkpoint of it, and no folder that holds none
        if made_here and not any(out_dir.glob("vector-*")):
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    else:
        run.save(step)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    log(f"stopped at step {step}; checkpoint in {out_dir}")
    return out_dir


def _initial_state(out_dir: Path, hps: HParams, init_from, seed: int, log) -> tuple[dict, dict, int, str]:
    """``(weights, optimizer slots, step, checkpoint resumed)``: from ``out_dir``'s newest checkpoint, else
    warm-started from ``init_from`` (fresh optimizer), else initialised with ``seed``."""
    try:
        resuming = checkpoint_prefix(out_dir)
    except LatentlabError:  # nothing to resume (a corrupt checkpoint still fails, in read_state)
        resuming = ""
    slots: dict = {}
    if resuming:
        weights, slots, step = read_state(out_dir)
        log(f"resuming from {resuming} at step {step}")
    elif init_from:
        weights, _, _ = read_state(init_from)
        step = int(read_info(init_from).get("steps") or 0)  # schedules continue where it stopped
        log(f"warm start from {init_from} (step {step}, fresh optimizer)")
    else:
        weights, step = init_weights(hps, seed), 0
    return weights, slots, step or 0, resuming


def _with_class_head(weights: dict, hps: HParams, dataset: SketchDataset, class_weight: float, seed: int) -> dict:
    """The weights the engine starts from: with a class head when ``class_weight`` asks for one, else without."""
    if not class_weight:
        return without_head(weights)
    train_set = dataset["train"]
    if not hps.conditional or train_set.labels is None or len(train_set.class_names) < 2:
        raise LatentlabError(f"{dataset.path}: class_weight needs a conditional model and training sketches "
                             "labelled with two or more classes")
    return head_weights(weights, hps.z_size, len(train_set.class_names), seed)


def _prepare_folder(out_dir: Path, hps: HParams, before: HParams, dataset: SketchDataset, *, resuming: str,
                    init_from, step: int, log, class_weight: float) -> None:
    """The training folder with this run's config and info; a change of hparams goes into the log."""
    out_dir.mkdir(parents=True, exist_ok=True)
    save_config(hps, out_dir)
    if init_from and not resuming:
        history = _warm_start_history(Path(init_from), out_dir, step)
    else:
        history = {k: v for k, v in read_info(out_dir).items() if k in HISTORY_KEYS}
    if history.get("class_weight", 0.0) != class_weight:
        append_log(out_dir, step=step, class_weight=class_weight)
    write_info(out_dir, dataset, {**history, "class_weight": class_weight} if class_weight else history)
    if resuming or init_from:  # a run that goes on with other hparams says so in its log, for the card
        changed = {k: [v, getattr(hps, k)] for k, v in asdict(before).items() if getattr(hps, k) != v}
        if changed:
            log(f"hparams changed at step {step}: " + ", ".join(f"{k} {a} -> {b}" for k, (a, b) in changed.items()))
            append_log(out_dir, step=step, hparams_changed=changed)


class _Run:
    """The steps of one training run: log every 20, save and validate every ``save_every``, keep the best."""

    def __init__(self, engine: Engine, hps: HParams, dataset: SketchDataset, out_dir: Path, keep: int, log,
                 class_weight: float) -> None:
        self.engine, self.hps, self.dataset = engine, hps, dataset
        self.out_dir, self.keep, self.log, self.class_weight = out_dir, keep, log, class_weight
        self.schedule = Schedule(hps)

    def save(self, step: int) -> dict[str, np.ndarray]:
        weights = self.engine.weights()
        write_checkpoint(self.out_dir, weights, step, extra=self.engine.slots(), keep=self.keep,
                         fmt=self.engine.checkpoint_format)
        return weights

    def train(self, step: int, steps: int, save_every: int, seed: int, batches, stop: dict) -> int:
        """Train from ``step`` until ``steps`` (or a stop request); returns the step reached."""
        self.best_valid = min((r["valid_recon"] for r in read_log(self.out_dir) if "valid_recon" in r),
                              default=np.inf)
        t0, window = time.time(), []
        while step < steps and not stop["flag"]:
            data, lens, labels = next(batches)
            classes = {"labels": labels, "class_weight": self.class_weight} if self.class_weight else {}
            # the step's outputs stay on the device until logged, so an asynchronous engine is never waited on
            window.append(self.engine.train_step(data, lens, self.schedule.learning_rate(step),
                                                 self.schedule.kl_weight(step), np.array([seed, step], np.int32),
                                                 **classes))
            step += 1
            if step % 20 == 0:
                self._report(step, steps, window, t0)
                t0, window = time.time(), []
            if step % save_every == 0:
                self._save_and_validate(step)
                t0 = time.time()
        return step

    def _report(self, step: int, steps: int, window: list, t0: float) -> None:
        c, r, k, *ce = np.mean([[float(x) for x in row] for row in window], axis=0)  # waits for an async engine
        if not np.isfinite(c):
            raise LatentlabError(f"training diverged before step {step} (cost {c}); the checkpoints in "
                                 f"{self.out_dir} are from before it: lower learning_rate or grad_clip")
        rate = (time.time() - t0) / len(window)
        self.log(f"step {step}: cost {c:.4f} recon {r:.4f} kl {k:.4f} " + (f"class {ce[0]:.4f} " if ce else "")
                 + f"lr {self.schedule.learning_rate(step):.6f} "
                 f"klw {self.schedule.kl_weight(step):.4f} {rate:.2f} s/step, "
                 f"{_duration(rate * (steps - step))} to step {steps}")
        append_log(self.out_dir, step=step, cost=c, recon=r, kl=k, s_per_step=rate,
                   **({"class_ce": ce[0]} if ce else {}))

    def _save_and_validate(self, step: int) -> None:
        weights = self.save(step)
        vr, vk = evaluate(self.engine, self.hps, self.dataset, "valid")
        self.log(f"step {step}: saved; valid recon {vr:.4f} kl {vk:.4f}")
        append_log(self.out_dir, step=step, valid_recon=vr, valid_kl=vk)
        if vr < self.best_valid:
            self.best_valid = vr
            write_checkpoint(self.out_dir / BEST_DIR, weights, step, keep=1, fmt=self.engine.checkpoint_format)

"""Model cards: what a bundled model was trained on, how long, and how well it does, with figures.

``write_card(model_dir, data)`` measures everything with the runtime
itself (test Lr/Lkl via ``log_likelihood``, reconstructions, a raster distance
between each test sketch and its own reconstruction versus a random other one,
how surely the decoder knows where a sketch ends, how data-like decodes of
z drawn from the prior are) and writes ``MODEL_CARD.md`` beside
``training_curve.png``, ``reconstructions.png``, ``temperature_grid.png``,
``prior_samples.png`` and ``latent_usage.png``.
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np

from latentlab.atomic import write_text
from latentlab.errors import LatentlabError
from latentlab.io.datasets import load_dataset
from latentlab.model.layout import read_info, save_info
from latentlab.model.runtime import SketchRNN
from latentlab.pl.draw import grid, save_png
from latentlab.pl.figures import choices_caption, reconstruction_grid, temperature_grid
from latentlab.pl.usage import latent_usage as usage_figure
from latentlab.eval.checks import PRIOR_N, end_check, prior_check, prior_z, reconstruction_check
from latentlab.eval.measure import evaluate
from latentlab.eval.selection import measured_part
from latentlab.eval.separation import SEPARATION_FOLDS, SEPARATION_K, class_separation
from latentlab.eval.raster import RASTER
from latentlab.train.log import read_log

CHECK_TEMPERATURES = (0.1, 0.3, 0.6)  # the paper's reconstruction tau, and where a young decoder still ends
JS_CHECK_TEMPERATURE = 0.1  # checked once more with sketch-rnn-js's softmax temperature
PRIOR_TEMPERATURE = 0.6
PRIOR_SCALES = (1.0, 3.0)  # the prior itself, and three times as far out: where no training sketch's z lies


def _prior_table(check: dict) -> list[str]:
    """Markdown rows of a prior check: one per scale, then the posterior and the data as references."""
    pct = "{:.0%}".format

    def prior(scale: float) -> str:
        return "N(0, I)" if scale == 1 else f"N(0, {scale:g}² I)"

    rows = ["| decodes of | nearest test sketch (median) | no ink | never end |", "| --- | --- | --- | --- |"]
    rows += [f"| z ~ {prior(r['scale'])} | {r['prior']:.2f} px | {pct(r['prior_empty'])} | "
             f"{pct(r['prior_unended'])} |" for r in check["scales"]]
    rows += [f"| z = mu of a test sketch (its own sketch left out) | {check['posterior']:.2f} px | "
             f"{pct(check['posterior_empty'])} | {pct(check['posterior_unended'])} |",
             f"| (no decode: the test sketches themselves, own left out) | {check['data']:.2f} px | | |"]
    return rows


def _tau(check: dict) -> str:
    """A check's temperature as its table shows it: sketch-rnn-js's sampling is named."""
    tau, soft = check["temperature"], check["softmax_temperature"]
    return f"{tau:g}{choices_caption(tau, soft)}" + (" (sketch-rnn-js's rule)" if soft == "js" else "")


def _check_table(checks: list[dict]) -> list[str]:
    """Markdown rows of reconstruction checks, one per temperature."""
    pct = "{:.0%}".format
    rows = ["| tau | own decode | a random other's decode | a random other sketch | own decode closer than "
            "other decodes | own decode closer than other sketches | decodes that never end | own decode closer than "
            "other sketches, where it ends |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    rows += [f"| {_tau(c)} | {c['own']:.2f} px | {c['random']:.2f} px | {c['random_original']:.2f} px | "
             f"{pct(c['own_closer_all'])} | {pct(c['own_closer_than_originals'])} | {pct(c['unended'])} | "
             + (f"{pct(c['ended_closer_than_originals'])} |" if c["ended_closer_than_originals"] is not None
                else "none ends |")
             for c in checks]
    return rows


def training_curve(rows: list[dict], out: Path) -> Path:
    """Plot train recon/KL and validation recon against steps, from the trainer's log rows.

    Parameters
    ----------
    rows
        The training log's rows.
    out
        The ``.png`` file.

    Returns
    -------
    The path written.
    """
    train = [r for r in rows if "recon" in r]
    valid = [r for r in rows if "valid_recon" in r]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot([r["step"] for r in train], [r["recon"] for r in train], lw=0.8, label="train recon (Lr)")
    ax.plot([r["step"] for r in train], [r["kl"] for r in train], lw=0.8, label="train KL")
    ax.plot([r["step"] for r in valid], [r["valid_recon"] for r in valid], "o-", ms=3, label="valid recon (Lr)")
    ax.set_xlabel("step")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return save_png(fig, out)


def runs_table(runs: list[dict], log: list[dict]) -> list[str]:
    """Markdown rows of a model's training runs (``model_info.json``'s ``runs``), each with the validation Lr
    the training log holds at its last step ("-" where the log does not reach).

    Parameters
    ----------
    runs
        ``model_info.json``'s runs.
    log
        The training log rows.
    """
    valid = sorted((row["step"], row["valid_recon"]) for row in log if "valid_recon" in row)
    lines = ["| steps | engine | hardware | batch | started from | hparams changed | validation Lr at the end |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for run in runs:
        first, last = run["steps"]
        at_end = [lr for step, lr in valid if first < step <= last]
        lines.append(f"| {first:,}-{last:,} | {run['engine']} | {run['hardware']} | {run['batch']} | {run['start']} | "
                     f"{run.get('hparams') or '-'} | {f'{at_end[-1]:.3f}' if at_end else '-'} |")
    return lines


def separation_lines(sep: dict, test, compare: tuple[str, ...] = ()) -> tuple[list[str], dict]:
    """The card's class separation section (markdown lines) and its figures, on a labelled test split.

    Parameters
    ----------
    sep
        The model's :func:`latentlab.eval.class_separation` on ``test`` (``evaluate``'s ``"separation"``).
    test
        The labelled test split.
    compare
        Other models measured on the same sketches.
    """
    from latentlab.model import load_model

    others = {name: class_separation(load_model(name), test.sketches, test.labels)["knn_mu"] for name in compare}
    k = SEPARATION_K
    lines = ["### Class separation",
             f"How well mu sorts the {sep['n']} test sketches ({sep['classes']} classes) by class: a {k}-nearest-"
             f"neighbour classifier (cosine) names each sketch's class from the other folds' sketches "
             f"({SEPARATION_FOLDS}-fold, stratified, seed 0). The pixel baseline runs the same classifier on "
             "32x32 rasters blurred with sigma 1 px; other models' mu are measured on the same sketches in the "
             "same run.", "",
             "| features | accuracy |", "| --- | --- |",
             f"| mu, {k}-NN | {sep['knn_mu']:.1%} |", f"| mu, 1-NN | {sep['nn1_mu']:.1%} |",
             f"| 32x32 raster pixels, {k}-NN | {sep['knn_raster']:.1%} |",
             *[f"| mu of `{name}`, {k}-NN | {acc:.1%} |" for name, acc in others.items()],
             f"| largest class (chance) | {sep['chance']:.1%} |", ""]
    if "transfer_mu" in sep:
        lines += [f"A {k}-NN classifier fit on the mu of the {sep['transfer_n']:,} training sketches (none of them "
                  f"a test sketch) names {sep['transfer_mu']:.1%} of the test sketches, "
                  f"{100 * (sep['transfer_mu'] - sep['knn_mu']):+.1f} points from the cross-validated figure "
                  "above.", ""]
    return lines, {**sep, "compare_knn_mu": others}


def write_card(model_dir: str | os.PathLike, data: str | os.PathLike, title: str = "", notes: str = "",
               n_figure: int = 5, *, test_data: str | os.PathLike | None = None,
               compare: tuple[str, ...] = ()) -> Path:
    """Measure a model folder and write its MODEL_CARD.md and figures (the curve from the log ``export`` copies).

    Parameters
    ----------
    model_dir
        The model folder (the card and figures are written into it).
    data
        The ``.npz`` it was trained on.
    title
        The card's title (default the folder's name).
    notes
        Its first paragraph (default ``model_info.json``'s ``card_notes``).
    n_figure
        Test sketches in the figures.
    test_data
        Another ``.npz`` whose test split is measured instead of ``data``'s (e.g. real drawings for a model
        trained on generated ones); ``data``'s valid Lr is reported beside its Lr (the domain gap).
    compare
        Models (names or folders) whose class separation is measured on the same test sketches.

    Returns
    -------
    The path of ``MODEL_CARD.md``.
    """
    model_dir = Path(model_dir)
    model = SketchRNN.load(model_dir)
    info = read_info(model_dir)
    dataset = load_dataset(data, max_seq_len=model.hps.max_seq_len, quiet=True)
    tested = load_dataset(test_data, max_seq_len=model.hps.max_seq_len, quiet=True) if test_data else dataset
    test = tested["test"]
    rows = measured_part(info, tested.sha256, test.labels) if test.labels is not None else None
    if rows is not None:  # the checkpoint was chosen on the rest of this split: measure only what it was not
        test = dataclasses.replace(test, sketches=[test.sketches[i] for i in rows], index=test.index[rows],
                                   labels=test.labels[rows])
    if not len(test):
        raise LatentlabError(f"{test_data or data} [test]: no sketches to measure the model on")
    m = _measure(model, dataset, test, test_data=test_data, compare=compare)
    log = read_log(model_dir)
    curve = _figures(model, model_dir, test, log, m.prior_decodes, n_figure, m.usage)
    lines = [f"# {title or model_dir.name}", "", notes or info.get("card_notes", ""), "",
             *_data_lines(model, dataset, tested, test, data, test_data, info),
             *_model_lines(model, info, log),
             *_measured_lines(model, test, data, m),
             *_figure_lines(curve, log, info, model.step)]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line for line in lines if line is not None))
    write_text(model_dir / "MODEL_CARD.md", text)
    measured = {"Lr": m.Lr, "Lkl": m.Lkl, "n": len(test),
                "reconstruction": {f"tau {_tau(c)}": c for c in m.checks}, "pen_states": m.ends,
                "prior": m.sampled, "active_units": m.usage["active_units"],
                "kl_per_dim": m.usage["kl_per_dim"], **({"test_data": Path(test_data).name} if test_data else {}),
                **({"valid_Lr": m.valid_lr} if m.valid_lr is not None else {}),
                **({"separation": m.sep} if m.sep else {})}
    info.update(measured_test=measured)
    save_info(model_dir, info)
    return model_dir / "MODEL_CARD.md"


def _measure(model: SketchRNN, dataset, test, *, test_data, compare: tuple[str, ...]) -> SimpleNamespace:
    """Every number of the card, measured on ``test`` (and ``dataset``'s valid split when testing elsewhere):
    :func:`latentlab.eval.evaluate`'s, then the checks of decodes."""
    measured = evaluate(model, test, fit_on=dataset["train"] if test_data else None)
    valid_lr = float(np.mean(model.log_likelihood(dataset["valid"].sketches, seed=0)["Lr"])) \
        if test_data and len(dataset["valid"]) else None
    separation, sep = separation_lines(measured["separation"], test, compare) if "separation" in measured \
        else ([], None)
    posterior = model.encode(test.sketches, deterministic=True)  # once, for every check
    mu = posterior.mu
    checks = [reconstruction_check(model, test.sketches, temperature=tau, mu=mu) for tau in CHECK_TEMPERATURES]
    checks.append(reconstruction_check(model, test.sketches, temperature=JS_CHECK_TEMPERATURE, mu=mu,
                                       softmax_temperature="js"))
    ends = end_check(model, test.sketches, mu=mu)
    n_prior = min(PRIOR_N, len(test))
    prior_decodes = model.decode(prior_z(n_prior, model.hps.z_size), temperature=PRIOR_TEMPERATURE, seed=0)
    sampled = prior_check(model, test.sketches, n=n_prior, temperature=PRIOR_TEMPERATURE, mu=mu, scales=PRIOR_SCALES,
                          prior=prior_decodes)
    return SimpleNamespace(Lr=measured["Lr"], Lkl=measured["Lkl"], valid_lr=valid_lr, separation=separation, sep=sep,
                           checks=checks, ends=ends, sampled=sampled, prior_decodes=prior_decodes,
                           usage=measured["latent"])


def _figures(model: SketchRNN, model_dir: Path, test, log: list[dict], prior_decodes, n_figure: int,
             usage: dict) -> Path | None:
    """The card's figures, written into ``model_dir``; returns the training curve's path (None: no curve)."""
    curve = model_dir / "training_curve.png"
    if log:
        training_curve(log, curve)
    elif not curve.is_file():  # no log to draw from: a curve drawn earlier stays
        curve = None
    picks = sorted(np.random.default_rng(0).choice(len(test), n_figure, replace=False).tolist())
    shown = [test.sketches[i] for i in picks]
    save_png(reconstruction_grid(model, shown), model_dir / "reconstructions.png")
    save_png(temperature_grid(model, shown), model_dir / "temperature_grid.png")
    save_png(grid(prior_decodes[:24], ncols=8,  # the table's own samples
                  title=f"decodes of z ~ N(0, I) at tau {PRIOR_TEMPERATURE:g}"), model_dir / "prior_samples.png")
    save_png(usage_figure(usage, title="test split"), model_dir / "latent_usage.png")
    return curve


def _data_lines(model: SketchRNN, dataset, tested, test, data, test_data, info: dict) -> list[str | None]:
    sizes = {k: len(v) for k, v in dataset.splits.items()}
    dropped = {k: v.dropped for k, v in dataset.splits.items()}
    return [
        "## Data",
        f"- file: `{Path(data).name}` (sha256 `{dataset.sha256[:16]}...`), built or fetched at run time, "
        "never committed",
        f"- split sizes (sketches <= max_seq_len {model.hps.max_seq_len}): train {sizes['train']}, valid "
        f"{sizes['valid']}, test {sizes['test']}; longer ones dropped: {dropped}",
        f"- normalising scale factor (std of train offsets): {model.scale_factor:.4f}",
        f"- measured on: `{Path(test_data).name}` (sha256 `{tested.sha256[:16]}...`), its test split: "
        f"{len(test)} sketches <= max_seq_len ({test.dropped} longer dropped), none of them trained on"
        if test_data else None,
        f"- checkpoint chosen on: {info['selection']['n_selection']} other sketches of that split (a "
        f"{info['selection']['fraction']:.0%} selection part of each class, seed {info['selection']['random_state']}; "
        "`latentlab export --best-on`); the figures below are of the rest alone" if "selection" in info else None,
        ""]


def _model_lines(model: SketchRNN, info: dict, log: list[dict]) -> list[str | None]:
    hps = model.hps
    hours, prior = info.get("train_hours"), info.get("prior_train_hours")
    wall = f"{hours:.1f} h" if hours and hours >= 0.1 else f"{60 * (hours or 0):.1f} min"
    wall_source = "from the training log" + (f"; {prior:.1f} h of it before the log begins, from an earlier "
                                             "model's record" if prior else "")
    changes = "; ".join(f"after step {row['step']}: " + ", ".join(f"{k} {a} → {b}" for k, (a, b) in
                                                                 row["hparams_changed"].items())
                        for row in log if "hparams_changed" in row and row["step"] < model.step)
    return [
        "## Model",
        f"- conditional VAE: encoder {hps.enc_model} {hps.enc_rnn_size} (bidirectional), decoder {hps.dec_model} "
        f"{hps.dec_rnn_size}, z {hps.z_size}, {hps.num_mixture} mixtures, max_seq_len {hps.max_seq_len}",
        "- hparams: see `model_config.json` (magenta's official format and defaults unless listed there)",
        f"- hparams changed while training (the config holds the last): {changes}" if changes else None,
        f"- steps trained: {model.step}" + (f", wall time about {wall} ({wall_source})" if hours else ""),
        "- checkpoint: weights only (no optimizer slots), `vector-N` in magenta's layout", "",
        *(["## Training runs", "Each run went on from the one above it unless its start says otherwise; validation "
           "Lr is the trainer's, on the valid split, at the run's last logged save.", "",
           *runs_table(info["runs"], log), "",
           f"Exported weights: {info.get('checkpoint_choice', 'the newest checkpoint')}.",
           ""] if info.get("runs") else [])]


def _measured_lines(model: SketchRNN, test, data, m: SimpleNamespace) -> list[str]:
    return [
        "## Measured by the runtime (`latentlab evaluate`)",
        f"- test Lr {m.Lr:.4f}, Lkl {m.Lkl:.4f}, n {len(test)} "
        "(magenta's definitions; z sampled from the posterior with seed 0)"
        + (f"; on `{Path(data).name}`'s valid split: Lr {m.valid_lr:.4f} (the gap between the two is the "
           "domain gap)" if m.valid_lr is not None else ""),
        "",
        *m.separation,
        "### Latent usage",
        f"{m.usage['active_units']} of {model.hps.z_size} units are active on the test split (the variance of mu "
        f"over it above {m.usage['active_threshold']:g}, Burda et al. 2015); the KL from the posterior to the prior "
        f"is {sum(m.usage['kl_per_dim']):.1f} nats in all, {sum(k < 0.01 for k in m.usage['kl_per_dim'])} "
        "dimensions under 0.01 nats (collapsed: their posterior is the prior). `latent_usage.png` draws the KL of "
        "each dimension.", "",
        "### Reconstruction check",
        f"Each test sketch is encoded (mu) and decoded; distances are chamfer distances between {RASTER} px rasters "
        "(each sketch scaled to fit), averaged over the test set. \"Closer than\" columns: for each sketch, the "
        "share of the other test sketches' decodes (or of the other test sketches themselves) that are farther "
        "from it than its own decode is, averaged (50% against decodes: a decode carries nothing of its sketch). "
        f"Decodes that never end run to max_seq_len {model.hps.max_seq_len} without the end-of-sketch token; the "
        "last column is \"own decode closer than other sketches\" over the sketches whose decode ends (about 50% "
        "for a decoder that ignores z). Each row samples as magenta's Python decoder does, the mixture component "
        "and the pen state at tau too, except the one marked sketch-rnn-js: it makes those two choices at 0.5 + 0.5 "
        "tau, the default of sketch-rnn-js and magenta-js, so a low tau sharpens the strokes but not the decision "
        "to lift or stop (`SketchRNN.decode(..., softmax_temperature=\"js\")`).", "",
        *_check_table(m.checks), "",
        *_ends_lines(m.ends),
        "### Samples from the prior",
        f"Where sampling z from the prior lands: decodes at tau {PRIOR_TEMPERATURE:g} of {m.sampled['n']} z drawn "
        "from N(0, I), and from three times as far out, each scored by its chamfer distance to the nearest test "
        "sketch. Decodes of the test sketches' own mu are the reference: a prior row near theirs samples where the "
        "data lies. An empty decode is a full raster from everything, hence the median.", "",
        *_prior_table(m.sampled), ""]


def _ends_lines(ends: dict) -> list[str]:
    return [
        "### End of stroke and of sketch",
        "A decode lifts the pen or stops when it draws that pen state; at low temperature it draws the likeliest "
        "one, so a decode that misses a stroke's end draws on in one stroke. Teacher forced on the test set "
        "(z = mu), at each point the pen either lifts or stays down:", "",
        "| | at a stroke's last point | at its other points |", "| --- | --- | --- |",
        f"| mean p(lift) | {ends['p_lift_at_stroke_end']:.2f} | {ends['p_lift_inside']:.3f} |",
        f"| lift is the likeliest pen state | {ends['lift_likeliest_at_stroke_end']:.0%} | "
        f"{ends['lift_likeliest_inside']:.1%} |", "",
        "and at each pen lift the next pen state is either the end or another stroke:", "",
        "| | where the sketch ends | where another stroke follows |", "| --- | --- | --- |",
        f"| mean p(end) | {ends['p_end_at_end']:.2f} | {ends['p_end_elsewhere']:.3f} |",
        f"| end is the likeliest pen state | {ends['end_likeliest_at_end']:.0%} | "
        f"{ends['end_likeliest_elsewhere']:.1%} |", ""]


def _figure_lines(curve: Path | None, log: list[dict], info: dict, step: int) -> list[str | None]:
    first = min((row["step"] for row in log), default=step)
    log_span = f" (logged from step {first}; the earlier steps' log was not kept)" \
        if info.get("prior_train_hours") else ""
    return [
        "## Figures",
        f"- `training_curve.png`: train Lr and KL, validation Lr{log_span}" if curve else None,
        "- `reconstructions.png`: test originals next to decodes of their own z at tau 0.1 / 0.3 / 0.6",
        "- `temperature_grid.png`: the notebook's grid, original then tau 0.1 ... 0.9",
        f"- `prior_samples.png`: the first 24 of the table's decodes of z ~ N(0, I) at tau {PRIOR_TEMPERATURE:g}",
        "- `latent_usage.png`: the KL of each latent dimension on the test split, active units dark", "",
        "![training curve](training_curve.png)" if curve else None,
        "![reconstructions](reconstructions.png)", "![temperature grid](temperature_grid.png)",
        "![prior samples](prior_samples.png)", "![latent usage](latent_usage.png)", ""]

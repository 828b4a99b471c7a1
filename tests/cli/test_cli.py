"""The command line over the Python API: sketch files a user drew, strips, neighbours, help, clear errors."""
import json

import numpy as np
import pytest
from helpers import MODELS, SHEEP
from PIL import Image

from latentlab.cli.main import build_parser, main
from latentlab.store import encode_to_store


@pytest.fixture(scope="module")
def store(sheep_model, tmp_path_factory):
    return encode_to_store(sheep_model, [SHEEP], tmp_path_factory.mktemp("cli") / "z.h5", progress=False)


def test_every_command_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    assert {"data", "train", "encode", "analogy", "project", "neighbors", "interpolate", "decode", "report", "evaluate",
            "export", "reconstruct", "demo", "card", "draw"} <= set(commands)
    for name, sub in commands.items():
        assert sub.format_help().count("\n") > 3, name


def test_interpolate_between_drawn_sketch_files(sheep, tmp_path, capsys):
    a, b = sheep["test"].sketches[:2]
    np.save(tmp_path / "a.npy", a)
    (tmp_path / "b.json").write_text(json.dumps(b.tolist()))
    assert main(["interpolate", "--sketch-a", str(tmp_path / "a.npy"), "--sketch-b", str(tmp_path / "b.json"),
                 "--model", str(MODELS / "aaron_sheep"), "--steps", "5", "-o", str(tmp_path / "s.svg")]) == 0
    svg = (tmp_path / "s.svg").read_text()
    assert svg.count("<path") == 5
    assert main(["interpolate", "--sketch-a", str(tmp_path / "a.npy"), "--sketch-b", str(tmp_path / "b.json"),
                 "--model", str(MODELS / "aaron_sheep"), "--steps", "6", "--method", "lerp",
                 "-o", str(tmp_path / "s.png")]) == 0
    img = Image.open(tmp_path / "s.png")
    assert img.size[0] > 4 * img.size[1]  # one row of six


def test_neighbors_of_a_stored_row_and_of_a_file(store, sheep, tmp_path, capsys):
    assert main(["neighbors", str(store), "--query", "7", "-k", "4", "-o", str(tmp_path / "nn.png")]) == 0
    out = capsys.readouterr().out
    ranked = [line for line in out.splitlines() if line.strip()[:2] in ("1.", "2.", "3.", "4.")]
    assert len(ranked) == 4 and "#7 " not in out.split("wrote")[0]  # the query itself is left out
    np.save(tmp_path / "q.npy", sheep["test"].sketches[7])
    assert main(["neighbors", str(store), "--sketch", str(tmp_path / "q.npy"), "-k", "1"]) == 0
    assert "1. #7 " in capsys.readouterr().out  # a file holding sketch 7 finds sketch 7


def test_analogy_figure(store, tmp_path):
    assert main(["analogy", str(store), "3", "4", "5", "-o", str(tmp_path / "an.png")]) == 0
    img = Image.open(tmp_path / "an.png")
    assert img.size[0] > 3 * img.size[1]  # a, b, c and the result in one row
    assert main(["analogy", str(store), "3", "4", "500", "-o", str(tmp_path / "x.png")]) == 2


def test_errors_are_one_line_with_exit_code_2(store, tmp_path, capsys):
    cases = [
        (["neighbors", str(store), "--query", "999"], "row 999 out of range (0..299)"),
        (["interpolate", str(store), "0", "300", "-o", str(tmp_path / "x.png")], "row(s) [300] out of range (0..299)"),
        (["interpolate", "--sketch-a", str(tmp_path / "none.npy"), "--sketch-b", str(tmp_path / "none.npy"),
          "-o", str(tmp_path / "x.png")], "no such sketch file"),
        (["report", str(tmp_path / "absent.h5"), "-o", str(tmp_path / "r.html")], "no such latent store"),
        (["evaluate", str(tmp_path), str(SHEEP)], "no model_config.json here"),
        (["draw", str(SHEEP), "--start", "300", "-o", str(tmp_path / "d.png")], "[test]: --start 300 out of range"),
        (["export", str(MODELS / "aaron_sheep"), "-o", str(tmp_path / "m"), "--average", "2"],
         "1 checkpoint(s) saved on schedule to average, 2 asked for"),
        (["export", str(MODELS / "aaron_sheep"), "-o", str(tmp_path / "m"), "--average", "2", "--best"],
         "best, average and step choose the weights three ways"),
        (["train", str(SHEEP), "--out", str(tmp_path / "run"), "--engine", "magenta", "--keep", "3"],
         "keep (--keep) is for the tf and jax engines"),
        (["train", str(SHEEP), "--out", str(tmp_path / "run"), "--engine", "magenta", "--class-weight", "1"],
         "class_weight (--class-weight) is for the tf and jax engines"),
    ]
    for argv, message in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err and err.startswith("latentlab: error:"), argv


def test_bad_numbers_are_usage_errors_before_any_work(store, tmp_path, capsys):
    cases = [
        (["interpolate", str(store), "0", "1", "--steps", "1", "-o", str(tmp_path / "x.png")],
         "argument --steps: must be in 2..500, got 1"),
        (["decode", str(store), "--temperature", "0"], "argument --temperature: must be in (0, 10], got '0'"),
        (["decode", str(store), "--temperature", "inf"], "argument --temperature: must be in (0, 10], got 'inf'"),
        (["decode", str(store), "--softmax-temperature", "hot"],
         "argument --softmax-temperature: 'js' or a number in (0, 10], got 'hot'"),
        (["neighbors", str(store), "-k", "zero"], "argument -k/--n-neighbors: invalid integer value: 'zero'"),
    ]
    for argv, message in cases:
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2 and message in capsys.readouterr().err, argv
    assert not (tmp_path / "x.png").exists()


def test_jax_engine_without_jax_says_what_to_install(monkeypatch, tmp_path, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "latentlab.train.jax", None)  # as where JAX is not installed
    assert main(["train", str(SHEEP), "--out", str(tmp_path / "run"), "--engine", "jax", "--steps", "1"]) == 2
    err = capsys.readouterr().err
    assert "engine jax needs JAX" in err and "pip install" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


def test_tensorflow_start_up_lines_follow_the_log_level():
    """TF 2.19+ logs before reading TF_CPP_MIN_LOG_LEVEL; tfquiet applies the level to what it captured."""
    from latentlab.model.tfquiet import kept_lines

    banner = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    info = "I0000 00:00:1795698618.815171   14665 port.cc:153] oneDNN custom operations are on.\n"
    no_gpu = "E0000 00:00:1795698650.421358   14694 cuda_platform.cc:52] failed call to cuInit: INTERNAL\n"
    error = "E0000 00:00:1795698712.145740   15012 util.cc:131] oneDNN supports DT_BOOL only with AVX-512.\n"
    other = "a warning of some library, not TensorFlow's log\n"
    text = banner + info + no_gpu + error + other
    assert kept_lines(text, 3) == other
    assert kept_lines(text, 2) == error + other
    assert kept_lines(text, 1) == no_gpu + error + other  # no CUDA driver: TF runs on the CPU, a warning
    assert kept_lines(text, 0) == text


def test_train_takes_num_steps_from_hparams(tmp_path, capsys):
    from latentlab.model.config import target_steps

    assert target_steps(None, "num_steps=7,batch_size=4") == 7 and target_steps(None, "") == 10_000
    assert target_steps(12, "") == 12 and target_steps(7, "num_steps=7") == 7
    assert main(["train", str(SHEEP), "--out", str(tmp_path / "run"), "--steps", "5", "--hparams", "num_steps=7"]) == 2
    err = capsys.readouterr().err
    assert "steps=5 and hparams num_steps=7 disagree" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


def test_python_m_latentlab_returns_the_exit_code(tmp_path):
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "latentlab", "report", str(tmp_path / "none.h5"), "-o",
                          str(tmp_path / "r.html")], capture_output=True, text=True)
    assert res.returncode == 2 and "no such latent store" in res.stderr


def test_importing_the_package_changes_nothing():
    import subprocess
    import sys

    code = ("import os, sys; before = dict(os.environ); import matplotlib; backend = matplotlib.get_backend(); "
            "import latentlab, latentlab.pl, latentlab.pl.draw, latentlab.store, latentlab.tl, latentlab.train; "
            "assert dict(os.environ) == before, set(os.environ) ^ set(before); "
            "assert 'tensorflow' not in sys.modules; print(matplotlib.get_backend() == backend)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={k: v for k, v in __import__("os").environ.items() if not k.startswith(("TF_", "MPL"))})
    assert res.returncode == 0 and res.stdout.strip() == "True", res.stderr

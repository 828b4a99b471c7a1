"""The wheel, installed in a fresh virtual environment outside the checkout, encodes and samples by name.

The fresh environment gets latentlab from the wheel alone; its dependencies (TensorFlow and the rest) are
borrowed from the test's own environment through a ``.pth`` line, so nothing is downloaded.
"""
from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from latentlab.paths import ROOT

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}: {done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


def test_wheel_outside_the_checkout_runs_models_by_name(tmp_path, shared):
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
          str(ROOT)], cwd=tmp_path)
    wheel = next(wheels.glob("latentlab-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    assert "latentlab/bundled_models/aaron_sheep/model_config.json" in names and "latentlab/io/catalog.json" in names
    print(f"wheel {wheel.stat().st_size / 1e6:.1f} MB")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    py = venv / "bin/python"
    purelib = _run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path)
    (Path(purelib.stdout.strip()) / "borrowed_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run([str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], cwd=tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "LATENTLAB_CACHE": str(tmp_path / "cache"), "LATENTLAB_SHARED": str(shared),
           "LATENTLAB_MIRROR": "http://127.0.0.1:9"}  # offline: names come from the cache or the offline copy
    where = _run([str(py), "-c", "import latentlab.paths as p; print(p.MODELS_DIR)"], cwd=work, env=env)
    assert str(venv) in where.stdout and str(ROOT) not in where.stdout  # the wheel's models, not the checkout's
    latentlab = str(venv / "bin/latentlab")
    _run([latentlab, "sample", "sketchrnn-js/bird.gen", "-n", "4", "-o", "birds.png"], cwd=work, env=env)
    assert (work / "birds.png").stat().st_size > 1000
    _run([latentlab, "encode", "latentlab/aaron_sheep", "sketchrnn/aaron_sheep", "-o", "sheep.h5"], cwd=work, env=env)
    import h5py

    with h5py.File(work / "sheep.h5") as f:
        assert f["obsm/mu"].shape == (300, 128)

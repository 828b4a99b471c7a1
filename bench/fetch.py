"""Fetch-and-convert time of a sketch-rnn-js model by name, through a real HTTP server on 127.0.0.1.

The loopback mirror of the tests (tests/helpers/mirror.py) serves ../shared's bird.gen.json (about 3 MB) where the
public host has it; each round empties the cache, fetches the name (download, sha256 check, load check,
kept), then loads it from the cache (JSON parse, int16 -> float32, model build).  Prints the figures and
ends with a JSON line.

    python bench/fetch.py [--rounds 5]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from latentlab.model import tf_environment  # noqa: E402

tf_environment()

from latentlab.io.download import catalog, shared_dir  # noqa: E402
from latentlab.model import load_model  # noqa: E402
from latentlab.model.zoo import model_path  # noqa: E402
from helpers.mirror import Mirror, host_path  # noqa: E402

NAME = "sketchrnn-js/bird.gen"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    source = shared_dir() / catalog()["offline"][NAME]["path"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mirror"
        target = root / host_path(catalog()["urls"]["sketchrnn-js"].format(name="bird.gen")).lstrip("/")
        target.parent.mkdir(parents=True)
        shutil.copy(source, target)
        fetch_s, load_s = [], []
        with Mirror(root) as mirror:
            os.environ.update(LATENTLAB_MIRROR=mirror.url, LATENTLAB_SHARED=str(Path(tmp) / "none"))
            for i in range(args.rounds):
                os.environ["LATENTLAB_CACHE"] = str(Path(tmp) / f"cache{i}")
                t0 = time.perf_counter()
                model_path(NAME)
                fetch_s.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                load_model(NAME)
                load_s.append(time.perf_counter() - t0)
    mb = source.stat().st_size / 1e6
    fetch, load = statistics.median(fetch_s), statistics.median(load_s)
    print(f"{NAME} ({mb:.2f} MB) over 127.0.0.1, median of {args.rounds}: fetch (download, sha256, load check, "
          f"keep) {fetch:.2f}s; load from the cache (parse, convert, build) {load:.2f}s; "
          f"together {fetch + load:.2f}s")
    print(json.dumps({"bench": "fetch", "name": NAME, "mb": round(mb, 2), "rounds": args.rounds,
                      "fetch_s": round(fetch, 3), "load_s": round(load, 3),
                      "fetch_and_load_s": round(fetch + load, 3)}))


if __name__ == "__main__":
    main()

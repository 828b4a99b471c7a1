"""The store's model, and the decoded-thumbnail cache (decode every stored vector once, keep the strokes)."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from latentlab.errors import LatentlabError
from latentlab.model.runtime import SketchRNN, softmax_temperature_for
from latentlab.store import LatentStore


def store_model(store: LatentStore, model_dir: str | os.PathLike | None = None) -> SketchRNN:
    """Load the model that made ``store`` (or ``model_dir``), refusing one with another architecture."""
    path = Path(model_dir or store.attrs.get("model_dir", ""))
    if not (path / "model_config.json").is_file():
        raise LatentlabError(f"{store.path}: its model {path} is not available here; pass --model")
    model = SketchRNN.load(path)
    if model.hps.config_hash() != store.attrs.get("config_hash"):
        raise LatentlabError(f"{path} is not the model that encoded {store.path} (config hash differs)")
    return model


def decoded_key(temperature: float, greedy: bool, softmax_temperature: float | str | None = None) -> str:
    """Where a decode is kept: ``decoded/tau<T>`` (magenta's sampling), with ``_js`` or ``_softmax<S>`` for
    another softmax temperature (:func:`latentlab.model.runtime.softmax_temperature_for`), or ``decoded/greedy``."""
    if greedy:
        return "decoded/greedy"
    if softmax_temperature is None:
        suffix = ""
    elif softmax_temperature == "js":
        suffix = "_js"
    else:
        suffix = f"_softmax{softmax_temperature_for(temperature, softmax_temperature):g}"
    return f"decoded/tau{temperature:g}{suffix}"


def decode_store(store: LatentStore, model: SketchRNN | None = None, temperature: float = 0.1,
                 greedy: bool = False, seed: int = 0, use_rep: str = "mu", batch_size: int = 512,
                 softmax_temperature: float | str | None = None) -> str:
    """Decode every ``obsm/<use_rep>`` vector (batched) and keep the strokes under :func:`decoded_key`."""
    from tqdm.auto import tqdm

    model = model or store_model(store)
    vectors = store.read(f"obsm/{use_rep}")
    out = []
    for start in tqdm(range(0, len(vectors), batch_size), desc="decoding", leave=False):
        out += model.decode(vectors[start:start + batch_size], temperature=temperature, greedy=greedy,
                            seed=seed + start, softmax_temperature=softmax_temperature)
    key = decoded_key(temperature, greedy, softmax_temperature)
    store.write_sketches(key, out, {"temperature": temperature, "greedy": greedy, "seed": seed,
                                    "softmax_temperature": softmax_temperature_for(temperature, softmax_temperature),
                                    "use_rep": use_rep, "model_step": int(model.step or 0),
                                    "written": datetime.now().isoformat(timespec="microseconds")})
    return key

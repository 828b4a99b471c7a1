"""The decoded-sketch cache: decode every stored vector once and keep the strokes (``uns/decoded/<key>``)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from latentlab.model.temperature import check_temperature, softmax_temperature_for
from latentlab.store import LatentStore
from latentlab.names import check_key_name
from latentlab.deprecation import renamed

if TYPE_CHECKING:  # the model (and TensorFlow) is imported only where a model runs
    from latentlab.model.runtime import SketchRNN


@renamed("seed", "random_state")
def decoded_key(temperature: float, greedy: bool, softmax_temperature: float | str | None = None, *,
                use_rep: str = "mu", random_state: int = 0) -> str:
    """Where a decode is kept, so that no decode replaces another made differently.

    Parameters
    ----------
    temperature, greedy, softmax_temperature
        As for :meth:`latentlab.model.SketchRNN.decode`.
    use_rep
        ``"mu"`` or ``"z"``.
    random_state
        The sampling seed (``seed`` of :meth:`latentlab.model.SketchRNN.decode`).

    Returns
    -------
    ``decoded/tau<T>`` (magenta's sampling), with ``_js`` or ``_softmax<S>`` for another softmax temperature
    (:func:`latentlab.model.temperature.softmax_temperature_for`), or ``decoded/greedy``; then ``_<use_rep>`` for
    vectors other than mu and ``_seed<S>`` for a sampling seed other than 0.
    """
    if greedy:
        key = "decoded/greedy"
    elif softmax_temperature is None:
        key = f"decoded/tau{temperature:g}"
    elif softmax_temperature == "js":
        key = f"decoded/tau{temperature:g}_js"
    else:
        key = f"decoded/tau{temperature:g}_softmax{softmax_temperature_for(temperature, softmax_temperature):g}"
    seeded = "" if greedy or not random_state else f"_seed{random_state}"
    return key + ("" if use_rep == "mu" else f"_{use_rep}") + seeded


@renamed("seed", "random_state")
def decode(store: LatentStore, model: "SketchRNN | None" = None, *, temperature: float = 0.1, greedy: bool = False,
           random_state: int = 0, use_rep: str = "mu", batch_size: int = 512,
           softmax_temperature: float | str | None = None, key_added: str | None = None) -> str:
    """Decode every stored vector (batched) and keep the strokes.

    Parameters
    ----------
    store
        The latent store.
    model
        Its model (default: the one that encoded the store, see :meth:`LatentStore.model`).
    temperature, greedy, softmax_temperature
        As for :meth:`latentlab.model.SketchRNN.decode`.
    random_state
        Sampling seed (batch ``b`` uses ``random_state + b * batch_size``).
    use_rep
        Vectors to decode: ``"mu"`` or ``"z"``.
    batch_size
        Vectors decoded together.
    key_added
        Group under ``decoded/`` (default: :func:`decoded_key` of the parameters).

    Returns
    -------
    The group written, e.g. ``"decoded/tau0.1_js"``; its ``params`` hold the parameters.
    """
    from tqdm.auto import tqdm

    if key_added is not None:
        check_key_name(key_added)
    if not greedy:  # checked before the model loads: a bad value fails at once
        temperature = check_temperature(temperature)
        softmax_temperature_for(temperature, softmax_temperature)
    model = model or store.model()
    vectors = store.vectors(use_rep)
    out = []
    for start in tqdm(range(0, len(vectors), batch_size), desc="decoding", leave=False):
        out += model.decode(vectors[start:start + batch_size], temperature=temperature, greedy=greedy,
                            seed=random_state + start, softmax_temperature=softmax_temperature)
    key = f"decoded/{key_added}" if key_added else decoded_key(temperature, greedy, softmax_temperature,
                                                                 use_rep=use_rep, random_state=random_state)
    store.write_sketches(key, out, {"temperature": temperature, "greedy": greedy, "random_state": random_state,
                                    "softmax_temperature": softmax_temperature_for(temperature, softmax_temperature),
                                    "use_rep": use_rep, "model_step": int(model.step or 0),
                                    "written": datetime.now().isoformat(timespec="microseconds")})
    return key

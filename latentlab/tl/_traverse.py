"""What a direction of the space means: a row's sketch decoded along a principal component, a latent dimension,
or the difference between two classes' mean mu."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from latentlab.errors import LatentlabValueError
from latentlab.store import LatentStore
from latentlab.deprecation import renamed

if TYPE_CHECKING:  # the model (and TensorFlow) is imported only where a model runs
    from latentlab.model.runtime import SketchRNN

PCA_SAMPLE = 20_000  # rows (seeded) the principal components are fitted on
_DIRECTION = re.compile(r"^(?:pc(?P<pc>\d+)|dim:(?P<dim>\d+)|class:(?P<a>.+?)->(?P<b>.+))$")


def direction_vector(store: LatentStore, direction: str, *, random_state: int = 0) -> tuple[np.ndarray, bool]:
    """(vector, scaled) of a direction of ``store``'s mu space: ``pcK`` (the K-th principal component, scaled to
    one standard deviation of the data along it), ``dim:K`` (latent dimension K, scaled likewise) or
    ``class:A->B`` (class B's mean mu less class A's; ``scaled`` False: a step of 1 crosses it whole).

    Parameters
    ----------
    store
        The latent store.
    direction
        As above.
    random_state
        Seed of the rows the components are fitted on.
    """
    found = _DIRECTION.match(direction.strip())
    if not found:
        raise LatentlabValueError(f"direction {direction!r}: use pcK (e.g. pc1), dim:K (e.g. dim:5) or class:A->B "
                                  "(e.g. class:cat->dog)")
    mu = store.vectors("mu")
    if found["pc"]:
        k = int(found["pc"])
        if not 1 <= k <= min(mu.shape):
            raise LatentlabValueError(f"direction {direction}: the store has principal components 1..{min(mu.shape)}")
        from sklearn.decomposition import PCA

        rows = np.random.default_rng(random_state).choice(len(mu), min(PCA_SAMPLE, len(mu)), replace=False)
        pca = PCA(k, random_state=random_state).fit(mu[rows])
        return pca.components_[k - 1] * np.sqrt(pca.explained_variance_[k - 1]), True
    if found["dim"]:
        k = int(found["dim"])
        if not 0 <= k < mu.shape[1]:
            raise LatentlabValueError(f"direction {direction}: latent dimensions are 0..{mu.shape[1] - 1}")
        unit = np.zeros(mu.shape[1], np.float32)
        unit[k] = mu[:, k].std()
        return unit, True
    names, labels = store.class_names, store.read("obs/label")
    ends = []
    for name in (found["a"].strip(), found["b"].strip()):
        if name not in names:
            raise LatentlabValueError(f"direction {direction}: no class {name!r} in {store.path} (classes: "
                                      f"{', '.join(names[:8])}{'...' if len(names) > 8 else ''})")
        ends.append(mu[labels == names.index(name)].mean(0))
    return ends[1] - ends[0], False


@renamed("seed", "random_state")
def traverse(store: LatentStore, row: int, *, direction: str = "pc1", steps: int = 9, extent: float = 2.0,
             model: "SketchRNN | None" = None, temperature: float = 0.1,
             softmax_temperature: float | str | None = None, random_state: int = 0
             ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Decode ``row``'s mu moved along ``direction`` (:func:`direction_vector`) in ``steps`` even steps.

    Parameters
    ----------
    store
        The latent store.
    row
        The row whose sketch is moved.
    direction
        ``pcK``, ``dim:K`` or ``class:A->B``.
    steps
        Points decoded (the row itself among them for pc and dim).
    extent
        For pc and dim: from ``-extent`` to ``+extent`` standard deviations; for a class direction: from the row
        (0) to ``extent`` times the difference.
    model
        Default: the model that encoded the store.
    temperature, softmax_temperature
        As for :meth:`latentlab.model.SketchRNN.decode`.
    random_state
        The decode's seed, and :func:`direction_vector`'s.

    Returns
    -------
    t, sketches
        The offsets (in standard deviations, or in class differences) and the decoded sketches.
    """
    if not 0 <= row < len(store):
        raise LatentlabValueError(f"{store.path}: row {row} out of range (0..{len(store) - 1})")
    if not 2 <= steps <= 64 or not 0 < extent <= 10:
        raise LatentlabValueError(f"steps must be in 2..64 and extent in (0, 10], got {steps} and {extent}")
    vector, scaled = direction_vector(store, direction, random_state=random_state)
    t = np.linspace(-extent, extent, steps) if scaled else np.linspace(0, extent, steps)
    start = store.vectors("mu", rows=np.array([row]))[0]
    z = (start[None, :] + t[:, None] * vector[None, :]).astype(np.float32)
    return t, (model or store.model()).decode(z, temperature=temperature, seed=random_state,
                                              softmax_temperature=softmax_temperature)

"""Class separation of a latent space: how well a k-nearest-neighbour classifier names a sketch's class from its
mu, beside the same classifier on blurred raster pixels (the baseline a latent space has to beat)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from latentlab.eval.raster import rasterize

if TYPE_CHECKING:  # TensorFlow is imported only where a model runs
    from latentlab.model.runtime import SketchRNN

SEPARATION_K = 10
SEPARATION_FOLDS = 5


def raster_features(sketches: Sequence[np.ndarray], size: int = 32, blur: float = 1.0) -> np.ndarray:
    """Blurred ``size`` x ``size`` rasters of the sketches, flattened: the pixel baseline of class separation.

    Parameters
    ----------
    sketches
        Stroke-3 sketches.
    size
        Raster side in pixels.
    blur
        Gaussian blur sigma in pixels.
    """
    from scipy.ndimage import gaussian_filter

    return np.stack([gaussian_filter(rasterize(s, size).astype(np.float32), blur).ravel() for s in sketches])


def knn_accuracy(features: np.ndarray, labels: np.ndarray, *, k: int = SEPARATION_K,
                 folds: int = SEPARATION_FOLDS, seed: int = 0) -> float:
    """Cross-validated accuracy of a ``k``-nearest-neighbour classifier (cosine) that names each row's class.

    Parameters
    ----------
    features
        One row per sketch (mu, or raster pixels).
    labels
        Their class indices.
    k
        Neighbours that vote.
    folds
        Stratified folds (shuffled with ``seed``); each row is classified by the other folds' rows.
    seed
        Seed of the fold assignment.

    Returns
    -------
    The share of rows whose class is named.
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier

    labels = np.asarray(labels)
    folds = min(folds, int(np.bincount(labels).max()))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    clf = KNeighborsClassifier(n_neighbors=k, metric="cosine")
    return float(np.mean(cross_val_score(clf, features, labels, cv=cv)))


def transfer_accuracy(train_features: np.ndarray, train_labels: np.ndarray, features: np.ndarray,
                      labels: np.ndarray, *, k: int = SEPARATION_K) -> float:
    """Accuracy on ``features`` of a ``k``-NN classifier (cosine) fit on other rows (e.g. generated sketches).

    Parameters
    ----------
    train_features, train_labels
        What the classifier is fit on.
    features, labels
        What it is scored on.
    k
        Neighbours voting.
    """
    from sklearn.neighbors import KNeighborsClassifier

    clf = KNeighborsClassifier(n_neighbors=k, metric="cosine").fit(train_features, train_labels)
    return float(np.mean(clf.predict(features) == np.asarray(labels)))


def _within(model: "SketchRNN", sketches: Sequence[np.ndarray], labels) -> tuple[list[np.ndarray], np.ndarray]:
    """The sketches the model can encode (within its max_seq_len), with their labels."""
    keep = [i for i, s in enumerate(sketches) if len(s) <= model.hps.max_seq_len]
    return [sketches[i] for i in keep], np.asarray(labels)[keep]


def class_separation(model: "SketchRNN", sketches: Sequence[np.ndarray], labels: np.ndarray, *,
                     fit_on: tuple[Sequence[np.ndarray], np.ndarray] | None = None, k: int = SEPARATION_K,
                     folds: int = SEPARATION_FOLDS, seed: int = 0) -> dict:
    """How well the model's latent space sorts sketches by class, beside raster pixels.

    Parameters
    ----------
    model
        A conditional SketchRNN.
    sketches, labels
        Labelled sketches (e.g. real drawings); sketches longer than the model's max_seq_len are left out.
    fit_on
        Other labelled sketches (e.g. the generated training set): a ``k``-NN classifier fit on their mu is
        scored on ``sketches``.
    k, folds, seed
        As :func:`knn_accuracy`.

    Returns
    -------
    ``{"n", "classes", "knn_mu", "nn1_mu", "knn_raster", "chance"}`` and ``"transfer_mu"`` with ``fit_on``.
    """
    kept, labels = _within(model, sketches, labels)
    mu = model.encode(kept, deterministic=True).mu
    counts = np.bincount(labels)
    out = {"n": len(kept), "classes": int((counts > 0).sum()), "k": k, "folds": folds, "seed": seed,
           "chance": float(counts.max() / len(kept)),
           "knn_mu": knn_accuracy(mu, labels, k=k, folds=folds, seed=seed),
           "nn1_mu": knn_accuracy(mu, labels, k=1, folds=folds, seed=seed),
           "knn_raster": knn_accuracy(raster_features(kept), labels, k=k, folds=folds, seed=seed)}
    if fit_on is not None:
        train, train_labels = _within(model, *fit_on)
        train_mu = model.encode(train, deterministic=True).mu
        out["transfer_mu"] = transfer_accuracy(train_mu, train_labels, mu, labels, k=k)
        out["transfer_n"] = len(train)
    return out

"""Data issues of a store, with cleanlab's names and conventions: mislabelled, out-of-domain and near-duplicate
sketches, each a score per row in 0..1 (low: more likely an issue) and a flag, as cleanlab's Datalab reports them.

* **label issues** (``label_score``, ``is_label_issue``, ``predicted_label``): each row's class probabilities
  come from a logistic regression on the unit mu fitted without it (5 folds: out of sample, as cleanlab asks),
  scored by cleanlab (``rank.get_label_quality_scores``: the given class's probability).  A row is flagged where
  the suggested class is at least 7 times as likely as the given one: where classes overlap in the space (a
  28-class model's 10 nearest mu name the class 61% of the time), cleanlab's ``find_label_issues`` flags two to
  three times as many rows as are mislabelled;
* **outliers** (``outlier_score``, ``is_outlier_issue``): how far the row is past the store's usual, in robust
  z-scores (median and MAD) of what a sequence VAE says about a sketch it does not know: the encoder's posterior
  spread (the mean log sigma: it grows where the encoder is unsure) and, when ``latentlab score`` has run, the
  reconstruction loss per point (``Lr`` / length: long sketches have a larger Lr, unknown ones a larger Lr a
  point).  Distance in mu alone fails for a VAE: sketches the model does not know are pulled towards the prior
  and sit *denser* than its own (Nalisnick et al. 2019);
* **near duplicates** (``near_duplicate_score``, ``is_near_duplicate_issue``, ``near_duplicate_set``): as
  cleanlab, a row whose nearest neighbour is closer than ``near_duplicate_threshold`` times the median
  nearest-neighbour distance is a near duplicate; the rows linked so form a set (an id shared by its rows, -1 for
  none).
"""
from __future__ import annotations

import math

import numpy as np

from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.store import LatentStore
from latentlab.store.keys import missing

OUTLIER_Z = 3.0  # a row whose combined robust z-score passes this is flagged as an outlier
LABEL_FOLDS = 5  # the label classifier's probabilities are out of fold; classes with fewer rows are not judged
LABEL_RATIO = 7.0  # a label issue: the suggested class at least this many times as likely as the given one
COLUMNS = ("label_score", "is_label_issue", "predicted_label", "outlier_score", "is_outlier_issue",
           "near_duplicate_score", "is_near_duplicate_issue", "near_duplicate_set")
WORST = 10  # rows of each kind listed in the summary


def audit(store: LatentStore, *, neighbors_key: str = "knn", near_duplicate_threshold: float = 0.13,
          outlier_z: float = OUTLIER_Z, random_state: int = 0) -> dict:
    """Score every row of ``store`` for label issues, outliers and near duplicates (see the module).

    Writes the obs columns of :data:`COLUMNS` (the label columns only where the store has two classes or more)
    and ``uns/audit/params``; returns the summary (:func:`audit_summary`).

    Parameters
    ----------
    store
        A store with stored neighbours (``latentlab neighbors``); with ``obs/Lr`` (``latentlab score``) the outlier
        score also weighs the reconstruction loss.
    neighbors_key
        The ``key_added`` of the neighbours.
    near_duplicate_threshold
        A near duplicate is closer than this times the median nearest-neighbour distance (cleanlab's 0.13).
    outlier_z
        The combined robust z-score past which a row is flagged an outlier.
    random_state
        Seed of the folds the label classifier is fitted in.
    """
    if len(store) < 3:
        raise LatentlabValueError(f"{store.path}: {len(store)} sketches; an audit needs at least 3")
    if not 0 < near_duplicate_threshold < 1:
        raise LatentlabValueError(f"near_duplicate_threshold must be in (0, 1), got {near_duplicate_threshold!r}")
    if not store.has(f"uns/{neighbors_key}/indices"):
        raise LatentlabError(missing(str(store.path), f"uns/{neighbors_key}"))
    idx = store.read(f"uns/{neighbors_key}/indices").astype(np.int64)
    dist = store.read(f"uns/{neighbors_key}/distances").astype(np.float64)
    columns: dict[str, np.ndarray] = {}
    labels = store.read("obs/label").astype(np.int64)
    labelled = np.unique(labels[labels >= 0])
    if len(labelled) >= 2:
        columns.update(_label_issues(store.vectors("mu"), labels, len(store.class_names), random_state))
    features = {"log_sigma": np.log(np.maximum(store.read("obsm/sigma"), 1e-12)).mean(1)}
    if store.has("obs/Lr"):
        features["Lr_per_point"] = store.read("obs/Lr") / np.maximum(store.read("obs/length"), 1)
    columns.update(_outliers(features, outlier_z))
    columns.update(_near_duplicates(idx, dist, near_duplicate_threshold))
    params = {"neighbors_key": neighbors_key, "random_state": random_state, "label_folds": LABEL_FOLDS,
              "label_ratio": LABEL_RATIO, "near_duplicate_threshold": near_duplicate_threshold,
              "outlier_z": outlier_z, "outlier_features": list(features),
              "label_issues": "label_score" in columns}
    with store.edit("audit") as e:
        for name in COLUMNS:
            if name in ("label_score", "is_label_issue", "predicted_label") and name not in columns:
                continue
            if name == "predicted_label":
                e.categorical(f"obs/{name}", columns[name], store.class_names)
            else:
                e.write(f"obs/{name}", columns[name])
        e.params("audit", params)
    return audit_summary(store)


def _label_issues(mu: np.ndarray, labels: np.ndarray, n_classes: int, random_state: int
                  ) -> dict[str, np.ndarray]:
    """Out-of-fold class probabilities of a logistic regression on the unit mu, scored by cleanlab; a row is
    flagged where the suggested class is at least :data:`LABEL_RATIO` times as likely as the given one."""
    import warnings

    from cleanlab.rank import get_label_quality_scores
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    out = {"label_score": np.full(len(labels), np.nan, np.float32), "is_label_issue": np.zeros(len(labels), bool),
           "predicted_label": np.full(len(labels), -1, np.int32)}
    counts = np.bincount(labels[labels >= 0], minlength=n_classes)
    usable = (labels >= 0) & (counts[np.maximum(labels, 0)] >= LABEL_FOLDS)  # a class in every fold
    present = np.flatnonzero(counts >= LABEL_FOLDS)
    if len(present) < 2:
        return {}
    given = np.searchsorted(present, labels[usable])
    unit = mu[usable] / np.maximum(np.linalg.norm(mu[usable], axis=1, keepdims=True), 1e-12)
    folds = StratifiedKFold(LABEL_FOLDS, shuffle=True, random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lbfgs' convergence notes: the probabilities are what is used
        pred_probs = cross_val_predict(LogisticRegression(max_iter=500), unit, given, cv=folds,
                                       method="predict_proba")
    p_given = pred_probs[np.arange(len(given)), given]
    out["label_score"][usable] = get_label_quality_scores(given, pred_probs)
    out["is_label_issue"][usable] = pred_probs.max(1) >= LABEL_RATIO * np.maximum(p_given, 1e-12)
    out["predicted_label"][usable] = present[pred_probs.argmax(1)]
    return out


def _outliers(features: dict[str, np.ndarray], z_max: float) -> dict[str, np.ndarray]:
    """The mean of the features' robust z-scores (above the median: unusual), as a score in 0..1 (the normal
    tail beyond it, twice; 1 at or below the median) and a flag past ``z_max``."""
    zs = []
    for value in features.values():
        value = np.asarray(value, np.float64)
        centre = np.median(value)
        spread = 1.4826 * np.median(np.abs(value - centre))
        zs.append((value - centre) / max(spread, 1e-12))
    z = np.mean(zs, axis=0)
    score = np.array([min(1.0, math.erfc(v / math.sqrt(2))) for v in np.maximum(z, 0)], np.float32)
    return {"outlier_score": score, "is_outlier_issue": z > z_max}


def _near_duplicates(idx: np.ndarray, dist: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """cleanlab's near-duplicate rule over the stored neighbours, the linked rows grouped into sets."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(idx)
    nearest = dist[:, 0]
    median = max(float(np.median(nearest)), 1e-12)
    close = dist < threshold * median
    rows = np.repeat(np.arange(n), idx.shape[1])[close.ravel()]
    cols = idx[close]
    flagged = np.zeros(n, bool)
    flagged[rows] = flagged[cols] = True
    sets = np.full(n, -1, np.int32)
    if len(rows):
        _, comp = connected_components(coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)), directed=False)
        _, ids = np.unique(comp[flagged], return_inverse=True)
        sets[flagged] = ids
    return {"near_duplicate_score": (1 - np.exp(-nearest / median)).astype(np.float32),
            "is_near_duplicate_issue": flagged, "near_duplicate_set": sets}


def audit_summary(store: LatentStore) -> dict:
    """What :func:`audit` found: counts of each kind and its worst rows (lowest scores), with the suggested label
    of label issues.

    Parameters
    ----------
    store
        An audited store.
    """
    if not store.has("obs/outlier_score"):
        raise LatentlabError(missing(str(store.path), "obs/outlier_score"))
    out: dict = {"rows": len(store), "params": store.params("audit")}
    names = store.class_names
    for kind, score, flag in (("label", "label_score", "is_label_issue"), ("outlier", "outlier_score",
                                                                           "is_outlier_issue"),
                              ("near_duplicate", "near_duplicate_score", "is_near_duplicate_issue")):
        if not store.has(f"obs/{score}"):
            continue
        s, f = store.read(f"obs/{score}"), store.read(f"obs/{flag}").astype(bool)
        order = np.argsort(np.where(np.isnan(s), np.inf, s), kind="stable")[:WORST]
        worst = [{"row": int(r), "score": round(float(s[r]), 4)} for r in order]
        if kind == "label":
            labels, predicted = store.read("obs/label"), store.read("obs/predicted_label")
            for w in worst:
                w.update(given=names[labels[w["row"]]], suggested=names[predicted[w["row"]]])
        out[kind] = {"issues": int(f.sum()), "worst": worst}
    if store.has("obs/near_duplicate_set"):
        sets = store.read("obs/near_duplicate_set")
        out["near_duplicate"]["sets"] = int(sets.max()) + 1
    return out

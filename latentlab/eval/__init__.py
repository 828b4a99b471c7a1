"""Measuring models: how well a model encodes, decodes and sorts sketches.

:func:`evaluate` (``latentlab evaluate``) measures a split: Lr and Lkl, :func:`latent_usage` (active units, KL
per dimension) and :func:`class_separation`; the checks of decodes (:func:`reconstruction_check`,
:func:`prior_check`, :func:`end_check`) compare sketches as ink masks (:func:`rasterize`,
:func:`chamfer_matrix`); :mod:`latentlab.eval.card` writes a model folder's card from all of them.
"""
from latentlab.eval.checks import PRIOR_N, end_check, prior_check, prior_z, reconstruction_check
from latentlab.eval.measure import ACTIVE, evaluate, latent_usage
from latentlab.eval.raster import RASTER, chamfer_matrix, rasterize
from latentlab.eval.separation import class_separation, knn_accuracy, raster_features, transfer_accuracy

__all__ = ["evaluate", "latent_usage", "ACTIVE", "class_separation", "knn_accuracy", "raster_features",
           "transfer_accuracy", "reconstruction_check", "prior_check", "prior_z", "end_check", "PRIOR_N",
           "rasterize", "chamfer_matrix", "RASTER"]

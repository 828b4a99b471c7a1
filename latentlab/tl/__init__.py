"""Tools over a latent store, as scanpy's ``tl``: each reads the store and writes its result back beside the
vectors (under a documented key, with its parameters in ``uns/<key>/params``) and returns None, or the one
thing its docstring names.

| tool | writes | made by the CLI's |
| --- | --- | --- |
| :func:`pca` | ``obsm/X_pca``, ``uns/pca`` | ``latentlab project --method pca`` |
| :func:`umap` | ``obsm/X_umap``, ``uns/umap`` | ``latentlab project --method umap`` |
| :func:`neighbors` | ``uns/knn``, ``obsp/distances``, ``obsp/connectivities``, ``uns/neighbors`` | ``neighbors`` |
| :func:`leiden` | ``obs/leiden``, ``uns/leiden`` (returns :func:`cluster_summary`) | ``latentlab cluster`` |
| :func:`audit` | ``obs/label_score``, ``obs/outlier_score``, ``obs/near_duplicate_score``... | ``latentlab audit`` |
| :func:`decode` | ``uns/decoded/<key>`` (returns the key) | ``latentlab decode`` |
| :func:`score` | ``obs/Lr``, ``obs/Lkl``, ``uns/score`` | ``latentlab score`` |

:func:`traverse` (``latentlab traverse``) decodes a row along a direction and :func:`compare` (``latentlab
compare``) measures two stores of the same sketches against each other; nothing is stored.  Interpolation
(:func:`lerp`, :func:`slerp`, :func:`strip`, :func:`analogy`) returns what it computes; nothing is stored too.
:class:`NeighborIndex` is the index behind :func:`neighbors`, for vectors of your own.
"""
from latentlab.tl._audit import audit, audit_summary
from latentlab.tl._cluster import cluster_summary, leiden
from latentlab.tl._compare import common_rows, compare, linear_cka
from latentlab.tl._decode import decode, decoded_key
from latentlab.tl._interpolate import MAX_STRIP, analogy, decode_analogy, lerp, rows_mu, slerp, strip
from latentlab.tl._interpolate import METHODS as INTERPOLATIONS
from latentlab.tl._neighbors import AUTO_EXACT_MAX, NeighborIndex, neighbors, neighbors_of
from latentlab.tl._neighbors import METHODS as NEIGHBOR_METHODS
from latentlab.tl._neighbors import METRICS as NEIGHBOR_METRICS
from latentlab.tl._project import METHODS as PROJECTIONS
from latentlab.tl._project import pca, umap
from latentlab.tl._score import score
from latentlab.tl._traverse import traverse

__all__ = ["pca", "umap", "neighbors", "leiden", "cluster_summary", "audit", "audit_summary", "compare", "linear_cka",
           "NeighborIndex", "neighbors_of", "decode", "decoded_key", "score", "lerp", "slerp", "strip", "analogy",
           "decode_analogy", "rows_mu", "traverse", "common_rows", "PROJECTIONS", "INTERPOLATIONS", "MAX_STRIP",
           "NEIGHBOR_METHODS", "NEIGHBOR_METRICS", "AUTO_EXACT_MAX"]

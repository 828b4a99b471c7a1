"""Plots and reports (scanpy's ``pl``): the map of a store (:func:`embedding`), the explorer
(:func:`write_report`, and :func:`write_tiled` past a single file's size), sketches drawn (``draw``), the
notebook's figures (``figures``), model cards (``card``)."""
from latentlab.pl.embedding import embedding
from latentlab.pl.report import write_report
from latentlab.pl.tiled import write_tiled

__all__ = ["embedding", "write_report", "write_tiled"]

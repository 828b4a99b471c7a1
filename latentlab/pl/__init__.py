"""Plots and reports (scanpy's ``pl``): the map of a store (:func:`embedding`; :func:`scatter`, a bokeh figure whose
hover shows each point's sketch and decode, for notebooks), the explorer
(:func:`write_report`, and :func:`write_tiled` past a single file's size), the cluster gallery (:func:`clusters`),
two models' maps side by side (:func:`compare_maps`), how a model uses its latent dimensions
(:func:`latent_usage`), sketches drawn (``draw``), the notebook's figures (``figures``), model cards (``card``)."""
from latentlab.pl.clusters import clusters
from latentlab.pl.compare import compare_maps
from latentlab.pl.embedding import embedding
from latentlab.pl.report import write_report
from latentlab.pl.scatter import scatter
from latentlab.pl.tiled import write_tiled
from latentlab.pl.usage import latent_usage

__all__ = ["embedding", "scatter", "write_report", "write_tiled", "clusters", "compare_maps", "latent_usage"]

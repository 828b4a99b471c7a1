"""Figures (scanpy's ``pl``), in matplotlib and bokeh: the map of a store (:func:`embedding`; :func:`scatter`, a
bokeh figure whose hover shows each point's sketch and decode, for notebooks; :func:`explorer`, the explorer as a
notebook widget linked to Python; :func:`grid` and :func:`strip`, sketches as bokeh figures), the cluster gallery
(:func:`clusters`), two models' maps side by side (:func:`compare_maps`), how a model uses its latent dimensions
(:func:`latent_usage`), sketches drawn (``draw``) and the notebook's figures (``figures``).  The pages in the
browser are :mod:`latentlab.explorer`'s; model cards are :mod:`latentlab.eval.card`'s."""
from latentlab.pl.clusters import clusters
from latentlab.pl.compare import compare_maps
from latentlab.pl.embedding import embedding
from latentlab.pl.scatter import scatter
from latentlab.pl.sketches import grid, strip
from latentlab.pl.widget import ExplorerWidget, explorer
from latentlab.pl.usage import latent_usage

__all__ = ["embedding", "scatter", "grid", "strip", "explorer", "ExplorerWidget", "clusters", "compare_maps",
           "latent_usage"]

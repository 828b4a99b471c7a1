"""latentlab: explore the latent space of SketchRNN.

Data flows one way, and the subpackages follow it: sketch files (``io``) ->
model (``model.SketchRNN``, ``train``) -> latent store (``store``) -> tools
(``tl``) -> figures (``pl``), the explorer pages (``explorer``) and measures of models (``eval``); ``cli`` is a thin
layer over them.
Importing the package imports nothing heavy and changes nothing: TensorFlow is
imported (quietly, see ``model.tfquiet``) only where a model runs.
"""
__version__ = "0.1.0"

"""latentlab: explore the latent space of SketchRNN.

Data flows one way: sketch files (``datasets``, ``quickdraw``) -> model
(``model.SketchRNN``) -> HDF5 store -> analysis -> figures (``draw``, ``figures``)
and reports.  Heavy modules (TensorFlow, magenta) are imported only where used.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TF's C++ log; its failures still raise (see tfquiet)
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

__version__ = "0.1.0"

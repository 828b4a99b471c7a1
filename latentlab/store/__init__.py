"""The latent store: one AnnData ``.h5ad`` file per encoding run (``format``), written by a resumable encoder
(``encode``), upgraded from earlier layouts by ``upgrade``."""
from latentlab.store.check import read_attrs
from latentlab.store.encode import encode_to_store
from latentlab.store.format import LatentStore
from latentlab.store.upgrade import upgrade

__all__ = ["LatentStore", "encode_to_store", "read_attrs", "upgrade"]

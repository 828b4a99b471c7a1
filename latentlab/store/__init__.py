"""The latent store: one HDF5 file per encoding run (``format``), written by a resumable encoder (``encode``)."""
from latentlab.store.encode import encode_to_store
from latentlab.store.check import read_attrs
from latentlab.store.format import LatentStore

__all__ = ["LatentStore", "encode_to_store", "read_attrs"]

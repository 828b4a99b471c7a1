"""The one codec for the store's small values: provenance (``uns/latentlab``) and each result's parameters
(``uns/<key>/params``), written as AnnData writes a ``dict`` in ``uns`` so that ``anndata.read_h5ad`` gives them
back as plain dicts and ``write_h5ad`` keeps them.

Strings, numbers and booleans become scalar datasets, lists become arrays, dicts become groups; ``None`` is
left out (reading a missing value gives nothing, as ``dict.get`` does).
"""
from __future__ import annotations

import h5py
import numpy as np

from latentlab.errors import LatentlabError

DICT, ARRAY, STRINGS = ("dict", "0.1.0"), ("array", "0.2.0"), ("string-array", "0.2.0")
SCALAR, STRING = ("numeric-scalar", "0.2.0"), ("string", "0.2.0")


def encoding(obj: h5py.HLObject, spec: tuple[str, str]) -> None:
    """Mark ``obj`` with AnnData's ``encoding-type`` and ``encoding-version``.

    Parameters
    ----------
    obj
        A group or dataset.
    spec
        ``(encoding-type, encoding-version)``.
    """
    obj.attrs["encoding-type"], obj.attrs["encoding-version"] = spec


def write_dict(parent: h5py.Group, name: str, values: dict) -> h5py.Group:
    """Replace ``parent[name]`` with ``values`` as an AnnData dict group.

    Parameters
    ----------
    parent
        The group that holds it (e.g. ``uns/umap``).
    name
        Its name there (e.g. ``params``).
    values
        str, bool, int, float, lists of them and nested dicts; ``None`` values are left out.

    Returns
    -------
    The group written.
    """
    if name in parent:
        del parent[name]
    g = parent.create_group(name)
    encoding(g, DICT)
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, dict):
            write_dict(g, key, value)
        elif isinstance(value, str):
            encoding(g.create_dataset(key, data=value, dtype=h5py.string_dtype()), STRING)
        elif isinstance(value, (list, tuple, np.ndarray)):
            items = list(np.asarray(value).tolist()) if isinstance(value, np.ndarray) else list(value)
            if all(isinstance(v, str) for v in items):
                ds = g.create_dataset(key, data=np.array(items, dtype=object), dtype=h5py.string_dtype())
                encoding(ds, STRINGS)
            else:
                encoding(g.create_dataset(key, data=np.asarray(items)), ARRAY)
        elif isinstance(value, (bool, int, float, np.generic)):
            encoding(g.create_dataset(key, data=value), SCALAR)
        else:
            raise TypeError(f"{key}: cannot store a {type(value).__name__} as a parameter")
    return g


def read_dict(group: h5py.Group, where: str) -> dict:
    """The values of a dict group written by :func:`write_dict` (or by anndata): scalars as Python values,
    string arrays as lists of str, number arrays as lists.

    Parameters
    ----------
    group
        The group.
    where
        The store's path, for errors.
    """
    out = {}
    for key, obj in group.items():
        if isinstance(obj, h5py.Group):
            out[key] = read_dict(obj, where)
            continue
        value = obj[()]
        out[key] = _plain(value.tolist() if isinstance(value, (np.ndarray, np.generic)) else value)
    return out


def _plain(value):
    """``value`` with every byte string decoded (text written by h5py or anndata comes back as bytes)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def read_params(f: h5py.File, key: str, where: str) -> dict:
    """The parameters kept at ``uns/<key>/params`` (empty when there are none).

    Parameters
    ----------
    f
        The store, open.
    key
        The result (``umap``, ``decoded/tau0.1``).
    where
        The store's path, for errors.
    """
    path = f"uns/{key}/params"
    if path not in f:
        return {}
    if not isinstance(f[path], h5py.Group):
        raise LatentlabError(f"{where}: corrupt latent store: {path} is not a group of parameters")
    return read_dict(f[path], where)

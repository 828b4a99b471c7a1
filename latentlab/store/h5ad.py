"""AnnData's on-disk spec, written with h5py a block at a time: the store's skeleton, its columns and arrays.

``new_store`` lays out a whole store (obs, obsm, strokes and provenance) with empty arrays that the caller
fills a block of rows at a time, so a store larger than memory is written in bounded memory.
"""
from __future__ import annotations

from typing import Sequence

import h5py
import numpy as np

from latentlab.store.params import ARRAY, DICT, STRINGS, encoding, write_dict

CHUNK_ROWS = 4096
DATAFRAME, CATEGORICAL, CSR = ("dataframe", "0.2.0"), ("categorical", "0.2.0"), ("csr_matrix", "0.1.0")
OBS_COLUMNS = ("index", "source", "label", "length")


def string_dataset(f: h5py.Group, name: str, values: Sequence[str]) -> h5py.Dataset:
    """An array of strings, marked as AnnData marks them.

    Parameters
    ----------
    f
        The parent group.
    name
        The dataset's name.
    values
        The strings.
    """
    ds = f.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype())
    encoding(ds, STRINGS)
    return ds


def chunked_dataset(f: h5py.Group, name: str, shape: tuple[int, ...], dtype) -> h5py.Dataset:
    """An empty array chunked along its rows (``CHUNK_ROWS`` a chunk) and gzip-compressed.

    Parameters
    ----------
    f
        The parent group.
    name
        The dataset's name.
    shape
        Its shape.
    dtype
        Its dtype.
    """
    chunks = (max(1, min(shape[0], CHUNK_ROWS)),) + shape[1:]
    ds = f.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, compression="gzip", compression_opts=4,
                          shuffle=True)
    encoding(ds, ARRAY)
    return ds


def array_dataset(f: h5py.Group, name: str, value: np.ndarray) -> h5py.Dataset:
    """An array (chunked when it has rows), marked as AnnData marks arrays.

    Parameters
    ----------
    f
        The parent group.
    name
        The dataset's name.
    value
        The array.
    """
    value = np.asarray(value)
    if value.ndim >= 1 and len(value):
        ds = chunked_dataset(f, name, value.shape, value.dtype)
        ds[...] = value
    else:
        ds = f.create_dataset(name, data=value)
        encoding(ds, ARRAY)
    return ds


def csr_matrix(f: h5py.Group, name: str, matrix) -> None:
    """A scipy CSR matrix as AnnData stores one (``obsp`` graphs): ``data``, ``indices``, ``indptr`` and its shape.

    Parameters
    ----------
    f
        The parent group.
    name
        The matrix's name.
    matrix
        A ``scipy.sparse`` matrix (converted to CSR).
    """
    matrix = matrix.tocsr()
    g = f.create_group(name)
    encoding(g, CSR)
    g.attrs["shape"] = np.asarray(matrix.shape, np.int64)
    array_dataset(g, "data", matrix.data.astype(np.float32))
    index = np.int32 if matrix.nnz < 2 ** 31 else np.int64  # one dtype for both, as scipy needs
    array_dataset(g, "indices", matrix.indices.astype(index))
    array_dataset(g, "indptr", matrix.indptr.astype(index))


def categorical(f: h5py.Group, name: str, codes: np.ndarray, categories: Sequence[str]) -> None:
    """A pandas categorical column: integer ``codes`` (-1: missing) into ``categories``.

    Parameters
    ----------
    f
        The dataframe group.
    name
        The column.
    codes
        Integer codes.
    categories
        The category names.
    """
    g = f.create_group(name)
    encoding(g, CATEGORICAL)
    g.attrs["ordered"] = False
    array_dataset(g, "codes", codes)
    string_dataset(g, "categories", categories)


def dataframe(f: h5py.Group, name: str, n: int, columns: Sequence[str]) -> h5py.Group:
    """An AnnData dataframe group of ``n`` rows named "0".."n-1" (its columns are written by the caller).

    Parameters
    ----------
    f
        The parent group.
    name
        The dataframe's name.
    n
        Rows.
    columns
        Column order.
    """
    g = f.create_group(name)
    encoding(g, DATAFRAME)
    g.attrs["_index"] = "_index"
    g.attrs.create("column-order", np.array(list(columns), dtype=object), dtype=h5py.string_dtype())
    string_dataset(g, "_index", np.arange(n).astype(str).astype(object))
    return g


def mark_parents(f: h5py.File, key: str) -> None:
    """Groups made on the way to ``key`` (e.g. ``uns/pca``) become AnnData dicts; a new obs column is listed.

    Parameters
    ----------
    f
        The file.
    key
        The key written.
    """
    parts = key.split("/")
    for depth in range(1, len(parts)):
        g = f["/".join(parts[:depth])]
        if "encoding-type" not in g.attrs:
            encoding(g, DICT)
    if parts[0] == "obs" and len(parts) == 2:
        order = [c.decode() if isinstance(c, bytes) else str(c) for c in f["obs"].attrs.get("column-order", [])]
        if parts[1] not in order:
            f["obs"].attrs.create("column-order", np.array(order + [parts[1]], dtype=object),
                                  dtype=h5py.string_dtype())


def new_store(f: h5py.File, *, d: int, lengths: np.ndarray, index: np.ndarray, source_codes: np.ndarray,
              sources: Sequence[str], label_codes: np.ndarray, classes: Sequence[str], provenance: dict) -> None:
    """Lay out a store of ``len(lengths)`` sketches in the empty file ``f``: its obs columns, provenance
    (``uns/latentlab``), empty ``obsm/mu``, ``sigma`` and ``z`` (n, ``d``) and an empty ``uns/strokes`` whose
    offsets follow ``lengths``, for the caller to fill a block at a time.

    Parameters
    ----------
    f
        An empty file open for writing.
    d
        Latent dimensions.
    lengths, index, source_codes, sources, label_codes, classes, provenance
        As for :meth:`latentlab.store.LatentStore.create`.
    """
    n = len(lengths)
    encoding(f, ("anndata", "0.1.0"))
    obs = dataframe(f, "obs", n, OBS_COLUMNS)
    dataframe(f, "var", 0, [])
    for name in ("obsm", "obsp", "varm", "varp", "layers", "uns"):
        encoding(f.create_group(name), DICT)
    array_dataset(obs, "index", np.asarray(index, np.int64))
    categorical(obs, "source", np.asarray(source_codes, np.int32), sources)
    categorical(obs, "label", np.asarray(label_codes, np.int32), classes)
    array_dataset(obs, "length", np.asarray(lengths, np.int32))
    for name in ("mu", "sigma", "z"):
        chunked_dataset(f, f"obsm/{name}", (n, d), np.float32)
    write_dict(f["uns"], "latentlab", provenance)
    strokes = f["uns"].create_group("strokes")
    encoding(strokes, DICT)
    offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
    chunked_dataset(strokes, "points", (int(offsets[-1]), 3), np.float32)
    array_dataset(strokes, "offsets", offsets)

"""The latent store: an AnnData ``.h5ad`` file (h5py, AnnData's on-disk spec) that latentlab reads and edits.

``anndata.read_h5ad(path)`` opens a store and scanpy runs on it
(``sc.pp.neighbors(adata, use_rep="mu")``); latentlab's own strokes, decodes,
provenance and parameters live under ``uns`` so that AnnData carries them along
(a store written back by ``write_h5ad`` stays a latentlab store).  ``n`` sketches,
``d`` latent dimensions::

    /obs                       dataframe: index (position in the source split), source and label
                               (categorical: file.npz:split, class name), length (points), Lr, Lkl (``tl.score``)
    /obsm/mu, sigma, z         float32 (n, d)   posterior mean, std, and z = mu + sigma * eps(seed)
    /obsm/X_pca, X_umap        float32 (n, k)   projections (``tl.pca``, ``tl.umap``; ``key_added`` names others)
    /uns/latentlab             provenance (``PROVENANCE``) and ``layout_version``
    /uns/<key>/params          each result's parameters, as scanpy keeps them (``uns/umap/params``, ...)
    /uns/pca/variance_ratio    PCA's explained variance ratio;  /uns/knn/indices, distances  (``tl.neighbors``)
    /uns/strokes/points, offsets        float32 (P, 3), int64 (n + 1): sketch i is points[offsets[i]:offsets[i+1]]
    /uns/decoded/<key>/points, offsets  decoded sketches (``tl.decode``), with their params

Keys in the API leave out ``uns/`` for strokes and decodes (``sketches(key="decoded/tau0.1")``).
Arrays are chunked along the sketch axis (``CHUNK_ROWS``) and gzip-compressed.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import h5py
import numpy as np

from latentlab.atomic import atomic_path
from latentlab.errors import LatentlabError, LatentlabValueError
from latentlab.lock import store_lock
from latentlab.store.check import LAYOUT_VERSION, check_store, read_provenance
from latentlab.store.editor import EDITING, StoreEditor, edited
from latentlab.store.h5ad import new_store
from latentlab.store.journal import journal_path, recover
from latentlab.store.keys import h5_key, missing, next_step
from latentlab.store.params import read_params

if TYPE_CHECKING:  # the model (and TensorFlow) is imported only where a model runs
    from latentlab.model.runtime import SketchRNN

PROVENANCE = ("model_dir", "model_step", "config_hash", "weights_sha256", "scale_factor", "sources", "dataset_sha256",
              "split", "seed", "block_size", "latentlab_version")
SUFFIXES = (".h5", ".h5ad")  # what a store's file name ends in
USE_REPS = ("mu", "z")  # the latent vectors a tool may use


class LatentStore:
    """A latent store: read access, its model, and all-or-nothing writes of derived results.

    Parameters
    ----------
    path
        The store's file (``.h5`` or ``.h5ad``).  It is checked when opened and then held open: every read
        comes from that version of the file until :meth:`close` (the object's own edits reopen it).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            parts = self.path.with_name(self.path.name + ".parts")
            hint = (" An encoding run is unfinished; rerun the same `latentlab encode` to complete it."
                    if parts.exists() else " Create it with `latentlab encode MODEL DATA -o STORE.h5`.")
            raise LatentlabError(f"{self.path}: no such latent store.{hint}")
        self._file: h5py.File | None = None
        try:
            self.provenance = read_provenance(self._h5(), str(self.path))
            check_store(self._h5(), str(self.path))
        except BaseException:
            self.close()
            raise

    @classmethod
    @contextmanager
    def create(cls, path: str | os.PathLike, *, d: int, lengths: np.ndarray, index: np.ndarray,
               source_codes: np.ndarray, sources: Sequence[str], label_codes: np.ndarray, classes: Sequence[str],
               provenance: dict) -> Iterator[StoreEditor]:
        """Write a new store at ``path``, all-or-nothing: the file appears when the ``with`` block completes.

        Parameters
        ----------
        path
            The store to write.
        d
            Latent dimensions.
        lengths, index
            Points of each sketch, and its position in its source split.
        source_codes, sources
            Each sketch's source (codes into ``sources``, ``file.npz:split``).
        label_codes, classes
            Each sketch's class (codes into ``classes``; -1 for none).
        provenance
            Recorded under ``uns/latentlab``, with the layout version.

        Yields
        ------
        A :class:`StoreEditor` whose empty ``obsm/mu``, ``sigma``, ``z`` and ``strokes/points``
        (:meth:`StoreEditor.dataset`) the caller fills, a block at a time.
        """
        with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
            new_store(f, d=d, lengths=lengths, index=index, source_codes=source_codes, sources=sources,
                      label_codes=label_codes, classes=classes,
                      provenance={**provenance, "layout_version": LAYOUT_VERSION})
            yield StoreEditor(f)

    def _h5(self) -> h5py.File:
        """The store's file, opened once: a store replaced by another process's edit is not seen, so every
        read of this object comes from the version it opened (its own edits reopen it)."""
        if self._file is None or not self._file.id.valid:
            target = self.path.resolve()
            if target in EDITING:  # this process edits it in place: its bytes are the version before until commit
                self._file = h5py.File(self.path, "r", locking=False)
                return self._file
            if journal_path(target).exists():  # an edit in place, ongoing or cut short: wait for it, or finish it
                with store_lock(target, wait=True, what="recover an edit"):
                    recover(target)
            try:
                self._file = h5py.File(self.path, "r")
            except OSError as exc:
                if "unable to lock file" not in str(exc):
                    raise LatentlabError(f"{self.path}: not a readable HDF5 latent store ({exc})") from None
                with store_lock(target, wait=True, what="read"):  # an edit in place: wait for it
                    self._file = h5py.File(self.path, "r")
        return self._file

    def close(self) -> None:
        """Close the open file (the next read opens the store's newest version)."""
        if self._file is not None and self._file.id.valid:
            self._file.close()
        self._file = None

    def __enter__(self) -> "LatentStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getstate__(self) -> dict:  # sent to a Dask worker: the path and provenance, not the open file
        return {**self.__dict__, "_file": None}

    def __len__(self) -> int:
        return int(self._h5()["obs/length"].shape[0])

    def _repr_html_(self) -> str:
        """What the store holds and the next useful step (:func:`latentlab.store.keys.next_step`), for a notebook."""
        import html

        p, labels = self.provenance, self.read("obs/label")
        left_out = sum(p.get("left_out") or [])
        rows = [("rows", f"{len(self):,} sketches, {len(set(labels[labels >= 0].tolist()))} classes"
                         + (f" ({left_out:,} longer than max_seq_len left out)" if left_out else "")),
                ("model", f"{Path(str(p.get('model_dir', ''))).name} (step {p.get('model_step')}, z "
                          f"{self.shape('obsm/mu')[1]})"),
                ("sources", ", ".join(self.sources)),
                ("projections", ", ".join(k for k in self.keys("obsm") if k not in USE_REPS + ("sigma",)) or "none"),
                ("obs", ", ".join(k for k in self.keys("obs") if not k.startswith("_"))),
                ("results", ", ".join(k for k in self.keys("uns") if k not in ("latentlab", "strokes")) or "none"),
                ("next", next_step(self.has) or "")]
        body = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{k}</th><td style='text-align:left'>"
                       f"{'<code>' * (k == 'next')}{html.escape(v)}{'</code>' * (k == 'next')}</td></tr>"
                       for k, v in rows if v)
        return f"<div><b>LatentStore</b> <code>{html.escape(str(self.path))}</code><table>{body}</table></div>"

    def has(self, key: str) -> bool:
        """Whether the store holds ``key`` (e.g. ``obsm/X_umap``, ``decoded/tau0.1``)."""
        return h5_key(key) in self._h5()

    def keys(self, group: str) -> list[str]:
        """Names under ``group`` (e.g. the cached decodes under ``decoded``); empty when absent."""
        f = self._h5()
        return sorted(f[h5_key(group)].keys()) if h5_key(group) in f else []

    def read(self, key: str, rows=slice(None)) -> np.ndarray:
        """Array ``key``, all of it or ``rows``.

        Parameters
        ----------
        key
            E.g. ``obsm/mu``, ``obs/length``, ``uns/knn/indices``; a categorical column (``obs/label``) gives
            its codes. A missing key says which command makes it.
        rows
            A slice, or sorted row indices (h5py's fancy indexing).
        """
        f = self._h5()
        if h5_key(key) not in f:
            raise LatentlabError(missing(str(self.path), key))
        obj = f[h5_key(key)]
        if isinstance(obj, h5py.Group) and obj.attrs.get("encoding-type") == "categorical":
            obj = obj["codes"]
        return obj[rows]

    def read_sparse(self, key: str):
        """Sparse matrix ``key`` (an ``obsp`` graph) as a ``scipy.sparse.csr_matrix``."""
        from scipy.sparse import csr_matrix

        f = self._h5()
        if h5_key(key) not in f:
            raise LatentlabError(missing(str(self.path), key))
        g = f[h5_key(key)]
        return csr_matrix((g["data"][:], g["indices"][:], g["indptr"][:]), shape=tuple(g.attrs["shape"]))

    def shape(self, key: str) -> tuple[int, ...]:
        """The shape of array ``key``, without reading it."""
        f = self._h5()
        if h5_key(key) not in f:
            raise LatentlabError(missing(str(self.path), key))
        return tuple(f[h5_key(key)].shape)

    def params(self, key: str) -> dict:
        """The parameters a result was made with (``uns/<key>/params``: ``"umap"``, ``"knn"``, ``"score"``,
        ``"decoded/tau0.1"``); empty when it has none."""
        return read_params(self._h5(), h5_key(key).removeprefix("uns/"), str(self.path))

    def vectors(self, use_rep: str = "mu", rows: np.ndarray | slice | None = None) -> np.ndarray:
        """The latent vectors, refused when any of them is not finite.

        Parameters
        ----------
        use_rep
            ``"mu"`` (the posterior means) or ``"z"`` (a seeded posterior sample).
        rows
            All (None), sorted unique row indices, or a slice.

        Returns
        -------
        (n, d) float32.
        """
        if use_rep not in USE_REPS:
            raise LatentlabValueError(f"use_rep must be one of {USE_REPS}, got {use_rep!r}")
        if isinstance(rows, np.ndarray) and len(rows) and len(rows) * 2 > rows[-1] - rows[0]:
            x = self.read(f"obsm/{use_rep}", slice(int(rows[0]), int(rows[-1]) + 1))[rows - rows[0]]  # one span
        else:
            x = self.read(f"obsm/{use_rep}", slice(None) if rows is None else rows)
        finite = np.isfinite(x).all(axis=1)
        if not finite.all():
            bad = int(np.flatnonzero(~finite)[0])
            row = bad if rows is None else (rows.start or 0) + bad if isinstance(rows, slice) else int(rows[bad])
            raise LatentlabError(f"{self.path}: obsm/{use_rep} holds NaN or infinite values (row {row}); "
                                 "encode the sketches again")
        return x

    def model(self, model_dir: str | os.PathLike | None = None) -> "SketchRNN":
        """The model that encoded this store (recorded in its provenance), or ``model_dir``, a copy of it;
        another model (architecture, configuration or weights) is refused."""
        from latentlab.model import load_model
        from latentlab.model.zoo import is_model_name

        p = self.provenance
        path = str(model_dir or p.get("model_dir", ""))
        if not path or not (is_model_name(path) or (Path(path) / "model_config.json").is_file()
                            or (Path(path).suffix == ".json" and Path(path).is_file())):
            raise LatentlabError(f"{self.path}: its model {path} is not available here; give the model (its "
                                 "name, folder or .json: model_dir=, or --model)")
        model = load_model(path)
        if self.shape("obsm/mu")[1] != model.hps.z_size:
            raise LatentlabError(f"{self.path}: its mu has {self.shape('obsm/mu')[1]} dimensions, {path} takes "
                                 f"{model.hps.z_size}")
        if model.hps.config_hash() != p.get("config_hash"):
            raise LatentlabError(f"{path} is not the model that encoded {self.path} (config hash differs)")
        if model.weights_sha256 != p.get("weights_sha256"):
            raise LatentlabError(f"{path} has other weights than the model that encoded {self.path} "
                                 f"({p.get('model_dir')}, step {p.get('model_step')}; weights sha256 "
                                 f"{str(p.get('weights_sha256'))[:12]}... against {model.weights_sha256[:12]}...)")
        return model

    def strings(self, key: str) -> list[str]:
        """A string array of the store (e.g. ``obs/label/categories``) as str."""
        return [s.decode() if isinstance(s, bytes) else str(s) for s in self.read(key)]

    @property
    def class_names(self) -> list[str]:
        """The categories of ``obs/label`` (``obs/label`` holds codes into them, -1 for none)."""
        return self.strings("obs/label/categories")

    @property
    def sources(self) -> list[str]:
        """``file.npz:split`` of each source, the categories of ``obs/source``."""
        return self.strings("obs/source/categories")

    def label_names(self) -> list[str]:
        """Each sketch's class name ("" for none)."""
        names = self.class_names
        return [names[i] if i >= 0 else "" for i in self.read("obs/label")]

    def sketches(self, rows: Sequence[int] | None = None, key: str = "strokes") -> list[np.ndarray]:
        """Stroke-3 sketches in data units.

        Parameters
        ----------
        rows
            Which (default all), in the order given.
        key
            ``"strokes"`` (the originals) or a cached decode, ``"decoded/<name>"``.
        """
        return [s for chunk in self.iter_sketches(rows, key) for s in chunk]

    def iter_sketches(self, rows: Sequence[int] | None = None, key: str = "strokes",
                      chunk: int = 4096) -> Iterator[list[np.ndarray]]:
        """The sketches of ``rows`` in order, ``chunk`` at a time: memory for one chunk's points.

        A chunk of nearby rows is one read; rows spread thinly over the store are read one by one.

        Parameters
        ----------
        rows, key
            As for :meth:`sketches`.
        chunk
            Sketches per list yielded.
        """
        f = self._h5()
        if f"{h5_key(key)}/offsets" not in f:
            raise LatentlabError(missing(str(self.path), key))
        offsets = f[f"{h5_key(key)}/offsets"][:]
        points = f[f"{h5_key(key)}/points"]
        rows = np.arange(len(offsets) - 1) if rows is None else np.asarray(rows, np.int64).reshape(-1)
        bad = rows[(rows < 0) | (rows >= len(offsets) - 1)]
        if len(bad):
            raise LatentlabValueError(f"{self.path}: row(s) {bad[:5].tolist()} out of range (0..{len(offsets) - 2})")
        for a in range(0, len(rows), chunk):
            part = rows[a:a + chunk]
            lo, hi = int(offsets[part.min()]), int(offsets[part.max() + 1])
            wanted = int((offsets[part + 1] - offsets[part]).sum())
            if hi - lo <= 4 * wanted + 65536:
                block = points[lo:hi]
                yield [block[offsets[i] - lo:offsets[i + 1] - lo] for i in part]
            else:
                yield [points[offsets[i]:offsets[i + 1]] for i in part]

    @contextmanager
    def edit(self, what: str = "edit") -> Iterator[StoreEditor]:
        """Change the store all-or-nothing (see :func:`latentlab.store.editor.edited`); this object reads
        the changed store afterwards."""
        self.close()  # our own reader would make the edit a copy
        with edited(self.path, what) as editor:
            yield editor
        self.close()

    def write(self, key: str, value: np.ndarray, *, params: dict | None = None, params_key: str | None = None) -> None:
        """Write (or replace) one array, all-or-nothing (see :meth:`edit`).

        Parameters
        ----------
        key
            Where (``obs/<name>`` becomes an obs column, ``obsm/<name>`` a multi-column one).
        value
            The array, a row per sketch for obs and obsm.
        params
            Its parameters, kept at ``uns/<params_key>/params``.
        params_key
            Default: the last part of ``key``.
        """
        with self.edit(f"write {key}") as e:
            e.write(key, value)
            if params is not None:
                e.params(params_key or key.split("/")[-1], params)

    def write_group(self, key: str, arrays: dict[str, np.ndarray], params: dict) -> None:
        """Write (or replace) a group of arrays with its parameters, all-or-nothing.

        Parameters
        ----------
        key
            The group (under ``uns``, e.g. ``uns/knn``).
        arrays
            Its arrays by name.
        params
            Kept at ``<key>/params``.
        """
        with self.edit(f"write {key}") as e:
            e.write_group(key, arrays, params)

    def write_sketches(self, key: str, sketches: Sequence[np.ndarray], params: dict) -> None:
        """Store variable-length sketches as ``key/points`` + ``key/offsets``, all-or-nothing.

        Parameters
        ----------
        key
            E.g. ``decoded/tau0.1``.
        sketches
            Stroke-3 sketches, one per row of the store.
        params
            How they were made, kept at ``<key>/params``.
        """
        lengths = np.array([len(s) for s in sketches], np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        points = np.concatenate([np.asarray(s, np.float32).reshape(-1, 3) for s in sketches]) if len(sketches) \
            else np.zeros((0, 3), np.float32)
        self.write_group(key, {"points": points, "offsets": offsets}, params)

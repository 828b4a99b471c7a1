"""The explorer as one offline HTML file: the tiled explorer's page (:mod:`latentlab.explorer.tiled`) with one
tile a projection and every file it would fetch inlined, so that it opens from disk, by e-mail or in a notebook's
widget with nothing to serve.

Every shown sketch travels once, as strokes (not images): its points are rounded to a ``GRID`` x ``GRID``
lattice over the sketch's larger side (at most half a lattice step off, under 1 px in the 256 px inspector),
repeated points dropped, stored as int8 steps (:mod:`latentlab.explorer.sketchtable`); each file is deflated, and
the files go into one script tag, 7 bits a character (:mod:`latentlab.explorer.packing`), that the page reads back
and inflates with ``DecompressionStream``.  The page's code is the tiled page's: one map, one set of filters,
one inspector, drawn on canvases.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from latentlab.atomic import output_path, write_text
from latentlab.explorer.packing import to_text
from latentlab.explorer.page import render_page
from latentlab.explorer.pagedata import MAX_POINTS, projections
from latentlab.explorer.tiled import write_stage
from latentlab.explorer.tiles import BLOCK_ROWS
from latentlab.store.format import LatentStore

if TYPE_CHECKING:
    from latentlab.model.runtime import SketchRNN

SUFFIXES = (".html", ".htm")


def write_report(store: LatentStore, out: str | os.PathLike, *, basis: str = "umap", decoded: str | None = None,
                 color_by: str = "auto", title: str | None = None, max_points: int = MAX_POINTS,
                 seed: int = 0, n_neighbors: int | None = None, with_model: bool = False,
                 model: "str | os.PathLike | SketchRNN | None" = None, model_precision: str = "int8") -> Path:
    """Write the explorer for ``store`` as one self-contained HTML file.

    Parameters
    ----------
    store
        A latent store with ``obsm/X_<basis>`` (``latentlab project``).
    out
        The ``.html`` file (written atomically).
    basis
        The projection shown first: an obsm key (``X_umap``, a ``key_added``) or a scanpy basis name (``umap``,
        ``pca``); the page offers every other 2-D projection in ``obsm`` too.
    decoded
        The decoded group shown beside each original (``"tau0.1_js"`` or ``"decoded/tau0.1_js"``), or
        ``"none"``; default every cached decode, the newest shown first and the others a choice in the page.
    color_by
        ``"class"`` or any numeric or categorical obs column (``"length"``, ``"Lr"`` from
        :func:`latentlab.tl.score`, a scanpy ``"leiden"``...), or ``"auto"`` (class when there are several, else
        length); the page offers every other one too.
    title
        The page's title (default: the store's name, projection and size).
    max_points
        Above this many sketches, show a random sample of this size (seeded by ``seed``); the page says so.
    n_neighbors
        Store each sketch's ``n_neighbors`` nearest (cosine on mu, :func:`latentlab.tl.neighbors`) first, unless
        that many are stored already; default: show the stored ones, if any.
    with_model
        Embed the model and the shown sketches' mu: the page then encodes drawings, finds their neighbours and
        decodes interpolations itself (``window.latentlab``; see :mod:`latentlab.explorer.inpage`).
    model
        The model to embed (a folder or a loaded model); default the one that encoded the store, checked against
        its provenance.
    model_precision
        ``"int8"`` (matrices rounded per row, about 2.5 MB for the sheep model) or ``"float32"``.

    Returns
    -------
    The path written.
    """
    out = output_path(out, SUFFIXES, "report")
    return write_text(out, report_page(store, basis=basis, decoded=decoded, color_by=color_by, title=title,
                                       max_points=max_points, seed=seed, n_neighbors=n_neighbors,
                                       with_model=with_model, model=model, model_precision=model_precision))


def report_page(store: LatentStore, *, basis: str = "umap", decoded: str | None = None, color_by: str = "auto",
                title: str | None = None, max_points: int = MAX_POINTS, seed: int = 0, n_neighbors: int | None = None,
                with_model: bool = False, model: "str | os.PathLike | SketchRNN | None" = None,
                model_precision: str = "int8", widget: bool = False) -> str:
    """The explorer page :func:`write_report` writes, as text: the tiled explorer's files for one tile a
    projection (:func:`latentlab.explorer.tiled.write_stage`), inlined in its page.

    Parameters
    ----------
    store
        A latent store with a projection.
    basis, decoded, color_by, title, max_points, seed, n_neighbors, with_model, model, model_precision
        As for :func:`write_report`.
    widget
        The page links itself to the notebook's widget around it (:func:`latentlab.pl.explorer`).
    """
    with tempfile.TemporaryDirectory(prefix="latentlab-page-") as tmp:
        stage = Path(tmp)
        meta = write_stage(store, stage, basis=projections(store, basis), decoded=decoded, color_by=color_by,
                           title=title, capacity=0, seed=seed, block_rows=BLOCK_ROWS, n_neighbors=n_neighbors,
                           with_model=with_model, model=model, model_precision=model_precision, client=None,
                           page=max_points)
        names = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*.bin") if ".parts" not in p.parts)
        meta["files"], blobs, offset = {}, [], 0
        for name in names:
            blobs.append((stage / name).read_bytes())
            meta["files"][name] = [offset, len(blobs[-1])]
            offset += len(blobs[-1])
    meta["widget"] = widget
    return render_page(meta, to_text(b"".join(blobs)))

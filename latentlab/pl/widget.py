"""The explorer as a notebook widget (anywidget: tested in JupyterLab and Notebook 7), linked to Python both ways.

:func:`explorer` draws the same explorer as ``latentlab report`` inside a cell: the page lives in an iframe the
widget makes from bytes the kernel sends (no file path, no server), and talks to the kernel through the widget:

- read in Python: ``w.selected`` (the box or lasso selection's rows; the clicked row when none is selected),
  ``w.pinned``, ``w.hovered`` (the row the inspector shows), ``w.color_by``, ``w.filter``;
- set from Python, and the page follows: ``w.selected``, ``w.color_by``, ``w.filter``, ``w.highlight(rows)``;
- ``w.on_select(callback)``; ``w.refresh()`` draws the store again after it changed (a new obs column, a clustering).

A store of more than ``SINGLE_PAGE_ROWS`` rows opens as the tiled explorer: its folder (written once, beside the
store, and again when the store is newer) stays on the kernel's machine and the page asks the kernel for each
tile through the widget. A tiled page opens in under a second at any size once its folder is written, where one page
of 100,000 rows takes some 18 s to build in Python each time it opens (``bench/widget.py``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Callable

import anywidget
import numpy as np
import traitlets

from latentlab.explorer.packing import page_meta
from latentlab.explorer.pagedata import MAX_POINTS
from latentlab.store import LatentStore

SINGLE_PAGE_ROWS = 50_000  # above this the widget opens the tiled explorer
ESM = Path(str(files("latentlab.explorer") / "assets" / "widget.bundle.js"))


class _Rows(traitlets.List):
    """A list of row numbers; takes any sequence of integers (a list, a numpy array)."""

    def validate(self, obj, value):
        try:
            rows = np.asarray(value).ravel()
            if rows.size and not np.issubdtype(rows.dtype, np.integer):
                raise TypeError
        except (TypeError, ValueError):
            self.error(obj, value)
        return super().validate(obj, [int(r) for r in rows])


@dataclass
class _Source:
    """What the widget's page is made of: the store, the page's settings and ``tiled`` (:func:`explorer`'s); the
    tiled folder shown (None: one page), known once a page is made."""
    store: Path
    settings: dict = field(default_factory=dict)
    tiled: bool | str | os.PathLike | None = None
    folder: Path | None = None

    def page(self) -> bytes:
        """The page's HTML: the single file of the store, or the tiled folder's page (its tiles written again when
        the store is newer), linked to the widget."""
        store = LatentStore(self.store)
        self.folder = _folder_for(store, self.folder or self.tiled, self.settings)
        if self.folder is None:
            from latentlab.explorer.report import report_page

            return report_page(store, widget=True, **self.settings).encode()
        return tiled_page(self.folder)


def tiled_page(folder: Path) -> bytes:
    """The page of the tiled explorer in ``folder``, made again from its manifest to link itself to the widget."""
    from latentlab.explorer.page import render_page

    meta = page_meta((folder / "index.html").read_text(encoding="utf-8"), folder)
    meta["widget"] = True
    return render_page(meta).encode()


class ExplorerWidget(anywidget.AnyWidget):
    """The explorer of a store in a notebook cell (made by :func:`explorer`; its traits are the page's state)."""

    _esm = ESM
    _page = traitlets.Bytes(b"").tag(sync=True)
    _highlight = _Rows().tag(sync=True)
    height = traitlets.Int(680).tag(sync=True)
    selected = _Rows().tag(sync=True)
    pinned = traitlets.Int(-1).tag(sync=True)
    hovered = traitlets.Int(-1).tag(sync=True)
    color_by = traitlets.Unicode("").tag(sync=True)
    filter = traitlets.Dict().tag(sync=True)
    ready = traitlets.Bool(False).tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    _columns: dict[str, list[str] | None] = {}  # what the page filters: categories, or None (numeric); {}: not known
    _colours: list[str] = []  # what the page colours by

    @traitlets.validate("color_by")
    def _known_colour(self, proposal):
        value = proposal["value"]
        if self._colours and value not in self._colours:
            raise traitlets.TraitError(f"color_by: the page has no column {value!r} (it has "
                                       f"{', '.join(self._colours)})")
        return value

    @traitlets.validate("filter")
    def _known_filter(self, proposal):
        for name, value in proposal["value"].items():
            if not self._columns:
                break
            if name not in self._columns:
                raise traitlets.TraitError(f"filter: the page has no column {name!r} (it has "
                                           f"{', '.join(self._columns)})")
            categories = self._columns[name]
            if categories is None and not (isinstance(value, (list, tuple)) and len(value) == 2
                                           and all(isinstance(v, (int, float)) for v in value)):
                raise traitlets.TraitError(f"filter: {name} is numeric: give its range as [lo, hi], not {value!r}")
            unknown = [] if categories is None else [v for v in value if v not in categories]
            if categories is not None and (isinstance(value, str) or unknown):
                raise traitlets.TraitError(f"filter: {name} has no {unknown or value!r}: give a list of its "
                                           f"categories ({', '.join(map(str, categories[:12]))}...)")
        return proposal["value"]

    def __repr__(self) -> str:  # the text a notebook shows where no widget can be drawn
        source = getattr(self, "_source", None)
        if source is None:
            return "ExplorerWidget()"
        how = f"tiled from {source.folder.name}" if source.folder else "one page"
        return (f"ExplorerWidget({source.store.name}, {how}: {len(self.selected)} rows selected, coloured by "
                f"{self.color_by}; run the cell to see it)")

    def highlight(self, rows) -> None:
        """Ring ``rows`` (store rows) on the map; an empty list clears the rings."""
        self._highlight = rows

    def on_select(self, callback: Callable[[list[int]], None]) -> None:
        """Call ``callback(rows)`` each time the selection changes (in the page or from Python)."""
        self.observe(lambda change: callback(change["new"]), names="selected")

    def refresh(self) -> None:
        """Draw the store again (after a new obs column, a clustering...); the page keeps what Python set."""
        page = self._source.page()
        meta = page_meta(page.decode(), self._source.store)
        self._know(meta)
        if not self.color_by:  # the first page: Python knows its colour before the page starts
            self.color_by = meta["color_by"]
        self._page = page

    def _know(self, meta: dict) -> None:
        """The columns of the page's manifest ``meta``, to check what Python sets against."""
        self._colours = [c["name"] for c in meta["columns"]]
        self._columns = {c["name"]: (c.get("categories") if c["kind"] == "categorical" else None)
                         for c in meta["columns"]}

    def _answer(self, _widget, content: dict, buffers) -> None:
        """A file of the tiled folder the page asked for, sent back (or why not)."""
        if content.get("type") != "fetch" or self._source.folder is None:
            return
        from latentlab.explorer.serve import inside

        path = inside(self._source.folder, str(content.get("path", "")))
        answer = {"type": "file", "id": content.get("id"), "view": content.get("view")}  # the view that asked
        if path is None or not path.is_file():
            self.send({**answer, "error": "not in the explorer's folder"})
            return
        self.send(answer, buffers=[path.read_bytes()])


def _folder_for(store: LatentStore, tiled, settings: dict) -> Path | None:
    """The tiled folder the widget shows (written or brought up to date here), or None for the single page."""
    if tiled is False or (tiled is None and len(store) <= SINGLE_PAGE_ROWS):
        return None
    folder = Path(tiled) if isinstance(tiled, (str, os.PathLike)) else store.path.with_suffix(".explorer")
    index = folder / "index.html"
    if not index.exists() or index.stat().st_mtime < store.path.stat().st_mtime:
        from latentlab.explorer.tiled import write_tiled

        tiled_settings = {k: v for k, v in settings.items() if k != "max_points"}
        write_tiled(store, folder, **tiled_settings)
    return Path(os.path.realpath(folder))


def explorer(store: LatentStore | str | os.PathLike, *, basis: str = "umap", color_by: str = "auto",
             decoded: str | None = None, title: str | None = None, with_model: bool = False, model=None,
             max_points: int = MAX_POINTS, tiled: bool | str | os.PathLike | None = None,
             height: int = 680) -> ExplorerWidget:
    """The explorer of ``store`` as a notebook widget, linked to Python both ways (see the module's notes).

    Parameters
    ----------
    store
        A latent store (or its path) with a projection (``latentlab project``).
    basis, color_by, decoded, title, with_model, model
        As for :func:`latentlab.explorer.write_report`: the first projection, colour, decode, the title, and the
        model in the page (draw to search, interpolation).
    max_points
        With ``tiled=False``, a store of more rows shows a seeded random sample of this many.
    tiled
        None: tiled above ``SINGLE_PAGE_ROWS`` rows; True: always; a folder: the tiled explorer there (written
        when missing or older than the store; default beside the store, ``<name>.explorer``); False: never.
    height
        The widget's height in px.

    Returns
    -------
    An :class:`ExplorerWidget`: show it as a cell's value; read and set its traits.
    """
    store = store if isinstance(store, LatentStore) else LatentStore(store)
    settings = {"basis": basis, "color_by": color_by, "decoded": decoded, "title": title,
                "with_model": with_model, "model": model, "max_points": max_points}
    widget = ExplorerWidget(height=height)
    widget._source = _Source(store=store.path, settings=settings, tiled=tiled)
    widget.refresh()
    widget.on_msg(widget._answer)
    return widget

"""The explorer: a store shown as a page in the browser, with its sketches drawn and the model in the page.

:func:`write_tiled` writes the page with a folder of tiles for millions of rows, which
:func:`latentlab.explorer.serve.serve` serves on the loopback address; :func:`write_report` writes the same page as
one self-contained ``.html`` (up to ``MAX_POINTS`` rows: one tile a projection, its files inlined).  The page is
built from ``assets/`` (HTML, CSS and the bundles esbuild makes of the ES modules in ``js/``) by ``page``;
``pagedata``, ``sketchtable``, ``packing``, ``maplabels`` and ``inpage`` pack a store and its model for it;
``tiles`` and ``tiledsearch`` cut a store into the quadtree and search cells.
"""
from latentlab.explorer.pagedata import MAX_POINTS
from latentlab.explorer.report import write_report
from latentlab.explorer.tiled import write_tiled

__all__ = ["write_report", "write_tiled", "MAX_POINTS"]

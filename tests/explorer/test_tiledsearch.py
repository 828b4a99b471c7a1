"""The tiled explorer with the model (``--with-model``): every row's mu in the search cells, the cells' recall,
and in Chromium draw-to-search over every row, the filters, and interpolation from a pinned row."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from latentlab.explorer.inpage import model_arrays
from latentlab.explorer.packing import unpack_binary
from latentlab.explorer.tiled import write_tiled
from latentlab.explorer.tiledsearch import assign, probe_recall

from helpers.browser import show_tab
from helpers.tiled import TiledPage, page_meta, served

BLOCK = 150


@pytest.fixture(scope="module")
def folder(store, mini_model, tmp_path_factory):
    return write_tiled(store, tmp_path_factory.mktemp("tm") / "ex", capacity=48, block_rows=BLOCK, with_model=True,
                       model=mini_model)


@pytest.fixture(scope="module")
def url(folder):
    with served(folder.parent) as base:
        yield base + "ex/index.html"


def _cells(folder, n: int) -> list[dict]:
    return [unpack_binary((folder / "search" / f"{c}.bin").read_bytes()) for c in range(n)]


def test_every_row_is_in_the_cell_nearest_its_mu_and_the_model_is_the_pages(store, mini_model, folder):
    info = page_meta(folder)["model"]
    mu = store.read("obsm/mu")
    centres = unpack_binary((folder / "search" / "cells.bin").read_bytes())["centres"]
    assert info["search"]["cells"] == len(centres) == round(math.sqrt(len(store)))
    cells = _cells(folder, len(centres))
    rows = np.concatenate([c["row"] for c in cells])
    assert np.array_equal(np.sort(rows), np.arange(len(store)))  # each row once
    want = assign(mu, centres)
    for c, data in enumerate(cells):
        assert (want[data["row"]] == c).all()
        stored = data["mu_q"].astype(np.float32) * data["mu_scale"]
        # int8 per dimension of float16 mu: off by at most half a step (and float16's rounding)
        assert np.abs(stored - mu[data["row"]]).max() <= data["mu_scale"].max() * 0.5 + 2e-3 * np.abs(mu).max()
    blocks = [unpack_binary(p.read_bytes()) for p in sorted((folder / "rows").glob("*.bin"), key=lambda p: int(p.stem))]
    assert np.array_equal(np.concatenate([b["cell"] for b in blocks]), want)  # a row's cell, for its mu
    meta, tensors = model_arrays(mini_model)
    packed = unpack_binary((folder / "model.bin").read_bytes())
    assert packed.keys() == tensors.keys() and all(np.array_equal(packed[k], tensors[k]) for k in tensors)
    assert info["weights_sha256"] == meta["weights_sha256"] and info["drawing"]["side"] > 0


def test_recall_grows_with_the_cells_searched_and_is_whole_with_all_of_them(store, folder):
    centres = unpack_binary((folder / "search" / "cells.bin").read_bytes())["centres"]
    recalls = [probe_recall(store, centres, probe=p, queries=100) for p in (1, 4, 16, len(centres))]
    assert recalls == sorted(recalls) and recalls[-1] == 1.0 and recalls[0] < 0.9
    assert page_meta(folder)["model"]["search"]["recall"] == round(probe_recall(store, centres, probe=16), 4)


def test_a_write_without_the_model_leaves_no_search_behind(store, folder, tmp_path):
    import shutil

    copy = shutil.copytree(folder, tmp_path / "ex")
    write_tiled(store, copy, capacity=48, block_rows=BLOCK)
    assert not (copy / "search").exists() and not (copy / "model.bin").exists()
    assert page_meta(copy)["model"] is None and 'id="ll-model-js"></script>' in (copy / "index.html").read_text()


def test_a_stopped_search_resumes_and_dask_writes_the_same_cells(store, mini_model, folder, tmp_path, monkeypatch):
    from latentlab.explorer import tiledsearch

    def files(out):
        return {p.relative_to(out): p.read_bytes() for d in ("search", "rows") for p in sorted((out / d).glob("*.bin"))}

    real, calls = tiledsearch.write_search_block, []

    def stop_at_third(*args):
        calls.append(args[2])
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(tiledsearch, "write_search_block", stop_at_third)
    kwargs = {"capacity": 48, "block_rows": BLOCK, "with_model": True, "model": mini_model}
    with pytest.raises(KeyboardInterrupt):
        write_tiled(store, tmp_path / "resumed", **kwargs)
    search = tmp_path / ".resumed.staging" / ".parts" / "search"
    assert sorted(p.name for p in search.glob("b*")) == ["b00000", "b00001"]
    monkeypatch.setattr(tiledsearch, "write_search_block", real)
    assert files(write_tiled(store, tmp_path / "resumed", **kwargs)) == files(folder)
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as client:
        assert files(write_tiled(store, tmp_path / "dask", client=client, **kwargs)) == files(folder)


def _page_search(folder, query: np.ndarray, k: int, probe: int) -> list[int]:
    """The page's search in numpy: cosine over the int8 rows of the ``probe`` cells whose centres are nearest."""
    centres = unpack_binary((folder / "search" / "cells.bin").read_bytes())["centres"]
    rows, sims = [], []
    for c in np.argsort(-(centres @ query), kind="stable")[:probe]:
        data = unpack_binary((folder / "search" / f"{c}.bin").read_bytes())
        stored = data["mu_q"].astype(np.float64) * data["mu_scale"]
        rows += data["row"].tolist()
        sims += (stored @ query / (np.linalg.norm(stored, axis=1) * np.linalg.norm(query))).tolist()
    order = sorted(range(len(rows)), key=lambda j: (-sims[j], rows[j]))[:k]
    return [rows[j] for j in order]


def test_the_page_searches_every_row_in_the_nearest_cells(browser, url, folder, store):
    page = TiledPage(browser, url)
    page.wait_for_function("document.body.dataset.model === 'ready'", timeout=60_000)
    for row in (3, 250, len(store) - 1):
        sketch = store.sketches([row])[0].tolist()
        mu = np.array(page.evaluate("(p) => latentlab.encode(p)", sketch))
        got = page.evaluate("([q]) => latentlab.neighbors(q, 10)", [mu.tolist()])
        assert got == _page_search(folder, mu, 10, 16)
        assert got[0] == row  # a stored sketch finds itself first
        again = page.evaluate("async ([r]) => latentlab.muOfRow(r)", [row])  # the pinned row's mu, from its cell
        assert np.abs(np.array(again) - store.read("obsm/mu")[row]).max() < 0.05
    assert not page.errors, page.errors


def _draw_circle(page) -> None:
    show_tab(page, "draw")
    box = page.evaluate("document.querySelector('#ll-draw').getBoundingClientRect().toJSON()")
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx + 60, cy)
    page.mouse.down()
    for t in range(1, 41):
        page.mouse.move(cx + 60 * math.cos(2 * math.pi * t / 40), cy + 45 * math.sin(2 * math.pi * t / 40))
    page.mouse.up()


def test_a_drawing_finds_its_nearest_rows_that_pass_the_filters_and_interpolates(browser, url, store, tmp_path):
    page = TiledPage(browser, url)
    page.wait_for_function("document.body.dataset.model === 'ready'", timeout=60_000)
    _draw_circle(page)
    page.wait_for_function("document.querySelectorAll('#ll-strip .cell').length === 12", timeout=30_000)
    found = page.evaluate("latentlab.debug.S.neighbors.map(p => p.tile.A.row[p.k])")
    mu = page.evaluate("latentlab.debug.S.drawing.mu")
    assert found == page.evaluate("([q]) => latentlab.neighbors(q, 12)", [mu])
    page.screenshot(path=str(tmp_path / "drawn.png"))
    labels = store.read("obs/label")
    top = int(labels[found[0]])
    page.fill("#ll-search", store.class_names[top])  # hide the first result's class: the search follows
    name = re.compile(f"^{re.escape(store.class_names[top])}$")
    page.locator("#ll-classes li").filter(has=page.locator(".name", has_text=name)).click(modifiers=["Control"])
    page.wait_for_function(f"latentlab.debug.S.neighbors.length && latentlab.debug.S.neighbors.every("
                           f"p => p.tile.A.label[p.k] !== {top})", timeout=30_000)
    again = page.evaluate("latentlab.debug.S.neighbors.map(p => p.tile.A.row[p.k])")
    assert again == [r for r in page.evaluate("([q]) => latentlab.neighbors(q, 48)", [mu]) if labels[r] != top][:12]
    x, y, row = page.drawn(0)
    page.mouse.click(x, y)
    show_tab(page, "interp")
    page.click("#ll-a-pin")
    page.wait_for_function("document.querySelector('#ll-a-cap').textContent.startsWith('A: row')")
    page.click("#ll-b-draw")
    page.click("#ll-run")
    page.wait_for_function("latentlab.debug.S.interpStrip && latentlab.debug.S.interpStrip.every(r => r)",
                           timeout=60_000)
    assert page.text_content("#ll-a-cap").startswith(f"A: row {row}")
    strip = page.evaluate("latentlab.debug.S.interpStrip")
    assert len(strip) == 8 and all(len(s) > 2 for s in strip)
    assert not page.errors, page.errors
    assert all(u.startswith(("http://127.0.0.1:", "blob:http://127.0.0.1:")) for u in page.requests), page.requests
    assert any(u.endswith("/model.bin") for u in page.requests) and any("/search/" in u for u in page.requests)

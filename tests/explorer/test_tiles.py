"""The tiled explorer's data: the quadtree's levels, every row in one tile with its sketches, resumed and Dask
writes that give the same files."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.tiled import page_meta
from latentlab.errors import LatentlabValueError

from latentlab.explorer import tiles as tiles_module
from latentlab.explorer.packing import unpack_binary
from latentlab.explorer.strokecode import table_steps
from latentlab.explorer.pagedata import NEIGHBORS_KEY, resolve_decoded
from latentlab.explorer.sketchtable import quantise
from latentlab.explorer.tiled import write_tiled
from latentlab.explorer.tiles import assign_levels, plan_tiles

CAPACITY, BLOCK = 48, 150  # small, so that the test store makes several levels, blocks and row files


def test_each_level_holds_a_density_preserving_share_and_the_leaves_every_row(store):
    plan = plan_tiles(store, "umap", capacity=CAPACITY, seed=0)
    unit = plan["xy"] / 65535
    level, cell = assign_levels(unit, capacity=CAPACITY, seed=0)
    assert (level >= 0).all()  # every row is in a tile
    assert (level == 0).sum() == min(len(store), CAPACITY)  # the root: a random sample
    for lv in range(int(level.max()) + 1):
        side = 1 << lv
        c = np.clip((unit * side).astype(int), 0, side - 1)
        here = c[:, 0] * side + c[:, 1]
        shown = np.bincount(here[level <= lv], minlength=side * side)
        assert shown.max() <= CAPACITY
        deeper = np.unique(here[level > lv])
        assert (shown[deeper] == CAPACITY).all()  # a cell with rows left over shows its full share
    again = assign_levels(unit, capacity=CAPACITY, seed=0)
    assert np.array_equal(again[0], level) and np.array_equal(again[1], cell)  # seeded


def _tiles(folder, meta_tiles):
    return {name: unpack_binary((folder / "tiles" / f"{name}.bin").read_bytes()) for name in meta_tiles}


def test_every_row_is_in_one_tile_with_its_sketches_columns_and_neighbours(store, tmp_path):
    out = write_tiled(store, tmp_path / "ex", capacity=CAPACITY, block_rows=BLOCK)
    assert not (out / ".parts").exists()
    plan = plan_tiles(store, "umap", capacity=CAPACITY, block_rows=BLOCK)
    read = _tiles(out, plan["tiles"])
    rows = np.concatenate([np.cumsum(a["row"]) for a in read.values()])
    assert np.array_equal(np.sort(rows), np.arange(len(store)))  # each row once
    labels = store.read("obs/label")
    shown = [("orig", "strokes")] + [(f"dec{j}", key) for j, key in enumerate(resolve_decoded(store, None))]
    assert len(shown) == 3  # the store has two decodes
    for t, (name, a) in enumerate(read.items()):
        r = np.cumsum(a["row"])
        assert (plan["tile_of_row"][r] == t).all()
        assert np.array_equal(a["x"], plan["xy"][r, 0]) and np.array_equal(a["label"], labels[r])
        for which, key in shown:
            table = quantise(store.sketches(r.tolist(), key=key))
            lengths = np.diff(table.offsets)[table.ids]
            assert np.array_equal(a[f"{which}_len"], lengths), (name, which)
            points = np.concatenate([table.steps[table.offsets[j]:table.offsets[j + 1]] for j in table.ids])
            assert np.array_equal(table_steps(a, which), points), (name, which)  # as stored, or from their code
    knn = store.read(f"uns/{NEIGHBORS_KEY}/indices")
    for b in range(-(-len(store) // BLOCK)):
        part = unpack_binary((out / "rows" / f"{b}.bin").read_bytes())
        r = np.arange(b * BLOCK, min((b + 1) * BLOCK, len(store)))
        assert np.array_equal(part["tile"], plan["tile_of_row"][r])
        assert np.array_equal(part["neighbors"], knn[r])


def test_each_projection_has_its_own_quadtree_and_the_row_files_each_row_s_tile_in_it(store, tmp_path):
    out = write_tiled(store, tmp_path / "ex", basis=["umap", "pca"], capacity=CAPACITY, block_rows=BLOCK)
    blocks = [unpack_binary(p.read_bytes()) for p in sorted((out / "rows").glob("*.bin"), key=lambda p: int(p.stem))]
    for j, basis in enumerate(("umap", "pca")):
        plan = plan_tiles(store, basis, capacity=CAPACITY, block_rows=BLOCK)
        folder = out / ("tiles" if j == 0 else f"tiles_{plan['basis']}")
        read = {name: unpack_binary((folder / f"{name}.bin").read_bytes()) for name in plan["tiles"]}
        rows = [np.cumsum(a["row"]) for a in read.values()]
        assert np.array_equal(np.sort(np.concatenate(rows)), np.arange(len(store)))
        for t, (r, a) in enumerate(zip(rows, read.values())):
            assert (plan["tile_of_row"][r] == t).all() and np.array_equal(a["x"], plan["xy"][r, 0])
        assert np.array_equal(np.concatenate([b[f"tile{j or ''}"] for b in blocks]), plan["tile_of_row"])
    with pytest.raises(LatentlabValueError, match="twice"):
        write_tiled(store, tmp_path / "twice", basis=["umap", "X_umap"])
    assert not (tmp_path / "twice").exists()


def test_a_store_of_several_splits_colours_and_filters_by_its_source(store, tmp_path):
    import shutil

    import h5py

    from latentlab.explorer.tiled import write_tiled as write
    from latentlab.store import LatentStore

    shutil.copy(store.path, tmp_path / "two.h5")
    n = len(store)
    with h5py.File(tmp_path / "two.h5", "r+") as f:  # the first half from a valid split, the rest from test
        del f["obs/source/categories"], f["obs/source/codes"]
        f["obs/source/categories"] = np.array(["mini.npz:valid", "mini.npz:test"], dtype=object)
        f["obs/source/codes"] = (np.arange(n) >= n // 2).astype(np.int8)
    two = LatentStore(tmp_path / "two.h5")
    out = write(two, tmp_path / "ex", capacity=CAPACITY, block_rows=BLOCK)
    source = next(c for c in page_meta(out)["columns"] if c["name"] == "source")
    assert source["categories"] == ["mini.npz:valid", "mini.npz:test"] and source["counts"] == [n // 2, n - n // 2]
    for name in page_meta(out)["bases"][0]["tiles"]:
        a = unpack_binary((out / "tiles" / f"{name}.bin").read_bytes())
        assert np.array_equal(a["source"], np.cumsum(a["row"]) >= n // 2)
    one = page_meta(write(store, tmp_path / "one", capacity=CAPACITY))  # one source: nothing to filter
    assert "source" not in [c["name"] for c in one["columns"]]


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*.bin"))}


def test_a_stopped_write_resumes_and_a_dask_write_makes_the_same_files(store, tmp_path, monkeypatch):
    whole = _files(write_tiled(store, tmp_path / "whole", capacity=CAPACITY, block_rows=BLOCK))
    real = tiles_module.write_block
    calls = []

    def stop_at_third(store, parts, block, plan, decodes):
        calls.append(block)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(store, parts, block, plan, decodes)

    monkeypatch.setattr("latentlab.explorer.tiled.write_block", stop_at_third)
    with pytest.raises(KeyboardInterrupt):
        write_tiled(store, tmp_path / "resumed", capacity=CAPACITY, block_rows=BLOCK)
    done = sorted(p.name for p in (tmp_path / ".resumed.staging" / ".parts" / "tiles").iterdir() if p.is_dir())
    assert done == ["b00000", "b00001"]  # the stopped block left nothing
    monkeypatch.setattr("latentlab.explorer.tiled.write_block", real)
    write_tiled(store, tmp_path / "resumed", capacity=CAPACITY, block_rows=BLOCK)
    assert _files(tmp_path / "resumed") == whole
    other = _files(write_tiled(store, tmp_path / "resumed", capacity=CAPACITY * 2, block_rows=BLOCK))
    assert other != whole and other == _files(write_tiled(store, tmp_path / "fresh", capacity=CAPACITY * 2,
                                                          block_rows=BLOCK))  # rewritten: no stale tile kept
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as client:
        write_tiled(store, tmp_path / "dask", capacity=CAPACITY, block_rows=BLOCK, client=client)
    assert _files(tmp_path / "dask") == whole


def test_the_command_line_writes_the_folder_and_refuses_what_is_not_one(store, tmp_path, capsys):
    from latentlab.cli.main import main

    assert main(["report", str(store.path), "-o", str(tmp_path / "ex"), "--tile-capacity", "64", "--with-model"]) == 0
    assert f"latentlab serve {tmp_path / 'ex'}" in capsys.readouterr().out
    assert (tmp_path / "ex" / "index.html").is_file() and any((tmp_path / "ex" / "tiles").rglob("*.bin"))
    assert (tmp_path / "ex" / "model.bin").is_file() and (tmp_path / "ex" / "search" / "cells.bin").is_file()
    for argv, message in ((["-o", str(tmp_path / "r.png")], "a report is written as .html, or as a folder"),
                          (["-o", str(tmp_path / "ex2"), "--model", str(tmp_path)], "not available here"),
                          (["-o", str(tmp_path / "r.html"), "--workers", "2"], "write the tiled explorer")):
        assert main(["report", str(store.path), *argv]) == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / "ex2").exists() and not (tmp_path / "r.html").exists()

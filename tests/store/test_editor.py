"""Edits of a store: all-or-nothing, in place when no one else reads it, the file's mode and links kept; a reader
that has it open goes on reading the version it opened."""
import os

import numpy as np
import pytest

from latentlab.cli import main
from latentlab.errors import LatentlabError

from helpers import SHEEP


def test_store_edits_keep_the_mode_follow_links_and_refuse_read_only(sheep_model, tmp_path):
    import stat

    from latentlab.store import LatentStore, encode_to_store
    from latentlab import tl

    real = encode_to_store(sheep_model, [SHEEP], tmp_path / "real.h5", progress=False)
    os.chmod(real, 0o600)
    link = tmp_path / "link.h5"
    os.symlink(real, link)
    tl.pca(LatentStore(link), n_components=2)
    assert link.is_symlink() and os.readlink(link) == str(real)  # the link stays a link ...
    assert LatentStore(real).has("obsm/X_pca")  # ... and its target got the result
    assert stat.S_IMODE(real.stat().st_mode) == 0o600  # not world-readable after the edit
    os.chmod(real, 0o444)
    with pytest.raises(LatentlabError, match="is read-only"):
        tl.pca(LatentStore(real), n_components=3, key_added="pca3")
    assert stat.S_IMODE(real.stat().st_mode) == 0o444 and not LatentStore(real).has("obsm/X_pca3")
    assert not list(tmp_path.glob(".*editing"))


def test_an_open_store_keeps_reading_the_version_it_opened(sheep_model, tmp_path):
    from latentlab.store import LatentStore, encode_to_store

    path = encode_to_store(sheep_model, [SHEEP], tmp_path / "z.h5", progress=False)
    reader = LatentStore(path)
    mu = reader.read("obsm/mu")
    assert main(["project", str(path), "--method", "pca"]) == 0  # another writer replaces the file
    assert not reader.has("obsm/X_pca") and np.array_equal(reader.read("obsm/mu"), mu)
    reader.close()  # the next read opens the newest version
    assert reader.has("obsm/X_pca")
    with LatentStore(path) as writer:
        writer.write("obsm/X_test", np.zeros((len(writer), 2), np.float32))
        assert writer.has("obsm/X_test")  # a writer reads its own change


def test_a_store_rewritten_by_anndata_keeps_its_provenance(full_store, tmp_path):
    import anndata

    adata = anndata.read_h5ad(full_store)
    adata.obs["new"] = 1
    adata.write_h5ad(tmp_path / "rt.h5ad")
    assert main(["report", str(tmp_path / "rt.h5ad"), "--basis", "pca", "-o", str(tmp_path / "r.html")]) == 0
    from latentlab.store import LatentStore

    assert LatentStore(tmp_path / "rt.h5ad").provenance == LatentStore(full_store).provenance

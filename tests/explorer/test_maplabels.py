"""Cluster labels on the map, in the single file and the tiled folder: each drawn at the heart of its cluster's
points, with the sketch found there, for the column the map is coloured by; hidden with its category.  And the
audit's worst rows in a panel: a click shows the row on the map."""
from __future__ import annotations

import shutil
from contextlib import ExitStack

import numpy as np
import pytest

from latentlab import tl
from latentlab.explorer.maplabels import map_labels
from latentlab.explorer.pagedata import column_meta
from latentlab.explorer.report import write_report
from latentlab.explorer.tiled import write_tiled
from latentlab.store import LatentStore

from helpers.browser import settle, show_tab
from helpers.tiled import PINNED, TiledPage, served

# each drawn label: its category and the share of the 10 drawn points nearest its anchor that are of it
LABELS = """() => { const S = latentlab.debug.S, D = S.drawn;
  return S.labels.map((l) => { const near = [];
    for (let j = 0; j < D.X.length; j++) near.push([Math.hypot(D.X[j] - l.x, D.Y[j] - l.y),
                                                     S.tiles.get(D.T[j]).A["obs:leiden"][D.K[j]]]);
    near.sort((a, b) => a[0] - b[0]);
    return [l.code, near.slice(0, 10).filter((x) => x[1] === l.code).length / 10]; }); }"""


@pytest.fixture(scope="module")
def clustered(store, tmp_path_factory):
    path = tmp_path_factory.mktemp("labels") / "clustered.h5"
    shutil.copy(store.path, path)
    clustered = LatentStore(path)
    tl.leiden(clustered, resolution=0.5)
    tl.audit(clustered)
    return clustered


def test_each_cluster_has_a_label_at_its_points_with_its_sketch(clustered):
    labels = map_labels(clustered, column_meta(clustered), ["X_umap", "X_pca"])
    assert "class" not in labels  # 345 classes: too many to label
    codes, xy = clustered.read("obs/leiden"), clustered.read("obsm/X_umap")
    assert [lab["code"] for lab in labels["leiden"]] == list(range(len(labels["leiden"])))  # largest first
    for lab in labels["leiden"]:
        assert codes[lab["row"]] == lab["code"] and np.allclose(xy[lab["row"]], lab["at"]["X_umap"])
        assert lab["thumb"] and lab["text"].startswith(f"{lab['code']}: ")


def _check(found, n_labels):
    assert len(found) >= max(2, n_labels // 2), found  # most labels fit without covering one another
    shares = [share for _, share in found]
    assert np.mean(shares) >= 0.7 and min(shares) >= 0.3, found


def _issue_rows(page, store) -> list[int]:
    """The rows the issues panel shows, checked against the audit's summary."""
    summary = tl.audit_summary(store)
    worst = [w["row"] for kind in ("label", "outlier", "near_duplicate") for w in summary[kind]["worst"]]
    shown = page.evaluate("[...document.querySelectorAll('#ll-issues .cell .cap:first-of-type')]"
                          ".map((c) => Number(c.textContent.slice(1)))")
    assert shown == worst and page.is_visible("#ll-issues")
    first = summary["label"]["worst"][0]
    assert page.text_content("#ll-issues .cell >> nth=0").endswith(f"{first['given']} \u2192 {first['suggested']}")
    return worst


@pytest.mark.parametrize("kind", ["single", "tiled"])
def test_labels_sit_over_their_clusters_and_issues_show_their_rows(browser, clustered, tmp_path, kind):
    with ExitStack() as stack:
        if kind == "single":
            url = write_report(clustered, tmp_path / "r.html", color_by="leiden").as_uri()
        else:
            url = stack.enter_context(served(write_tiled(clustered, tmp_path / "ex", color_by="leiden")))
        page = TiledPage(browser, url)
        found = page.evaluate(LABELS)
        _check(found, int(clustered.read("obs/leiden").max()) + 1)
        first = found[0][0]
        page.click(f"#ll-classes li:nth-child({first + 1})", modifiers=["Control"])  # hide the first label's cluster
        settle(page.page)
        assert first not in [code for code, _ in page.evaluate(LABELS)]
        page.select_option("#ll-color", "class")
        settle(page.page)
        assert page.evaluate("latentlab.debug.S.labels.length") == 0  # no labels for 345 classes
        page.select_option("#ll-color", "leiden")
        page.uncheck("#ll-labels")
        assert page.evaluate("latentlab.debug.S.labels.length") == 0
        show_tab(page, "issues")
        worst = _issue_rows(page, clustered)
        page.click("#ll-issues .cell >> nth=0")
        page.wait_for_function(f"({PINNED}) === {worst[0]}")
        page.close_clean()


// The audit's worst rows (latentlab.tl.audit): likely mislabelled, out-of-domain and near-duplicate sketches,
// each drawn with its row and, for a label issue, the given and the suggested class; a click shows the row on the
// map. The page calls showIssues once with its way to pin a row.
import {$, el, paintLines} from "./draw.js";

const KINDS = [["label", "likely mislabelled"], ["outlier", "unlike the rest (out of domain)"],
               ["near_duplicate", "near duplicates"]];

function issueCell(worst, pinRow) {
  const box = el("div", "cell"), canvas = el("canvas");
  canvas.width = canvas.height = 84 * (window.devicePixelRatio || 1);
  box.append(canvas, el("div", "cap", `#${worst.row}`));
  if (worst.given) box.append(el("div", "cap", `${worst.given} \u2192 ${worst.suggested}`));
  box.title = `score ${worst.score}`;
  box.onclick = () => pinRow(worst.row);
  requestAnimationFrame(() => paintLines(canvas, worst.thumb));
  return box;
}

// meta.issues: the audit's summary with a thumbnail of each worst row (latentlab.explorer.maplabels)
export function showIssues(issues, pinRow) {
  const panel = $("ll-issues");
  if (!issues) { panel.hidden = true; return; }
  const parts = [];
  for (const [kind, title] of KINDS) {
    const found = issues[kind];
    if (!found) continue;
    parts.push(el("h3", "", `${title}: ${found.issues.toLocaleString("en")} flagged; lowest scores`));
    const cells = el("div", "cells");
    cells.append(...found.worst.map((w) => issueCell(w, pinRow)));
    parts.push(cells);
  }
  $("ll-issues-body").replaceChildren(...parts);
  panel.hidden = false;
}


// The explorer in a notebook's widget (latentlab.pl.explorer): what Python reads of the page (its selection,
// pinned row, colour and filters) and what Python sets (the same, and rows highlighted on the map). A tiled
// folder's files come from the kernel (widgetlink.filesFromKernel); a single page carries its own.
import {filtered} from "./filters.js";
import {marks, pin, toScreen} from "./map.js";
import {applyState} from "./pagestate.js";
import {locate} from "./tiles.js";
import {HIGHLIGHT, linkWidget} from "./widgetlink.js";

const row = (p) => p.tile.A.row[p.k];

// the filters by column name: a categorical column's categories shown, a numeric column's range
function filters(ex) {
  const out = {};
  for (const [name, f] of Object.entries(ex.S.filters)) {
    const col = ex.M.columns.find((c) => c.name === name);
    out[name] = f instanceof Set ? col.categories.filter((_, j) => !f.has(j)) : f;
  }
  return out;
}

// what Python reads: the selection's rows, the pinned row, the colour and the filters
function state(ex) {
  const {S} = ex;
  return {selection: S.selection.map(row), pinned: S.pin ? row(S.pin) : null, color_by: S.color, filter: filters(ex)};
}

// Python's filter ({column: [category, ...] or [lo, hi]}) as the page's (hidden categories, or a range)
function filterState(ex, filter) {
  const st = {};
  for (const [name, value] of Object.entries(filter)) {
    const col = ex.M.columns.find((c) => c.name === name);
    if (!col) throw new Error(`this page has no column "${name}"`);
    st["f." + name] = col.kind === "categorical" ? col.categories.map((_, j) => j).filter((j) =>
      !value.includes(col.categories[j])) : value;
  }
  return st;
}

async function apply(ex, set, highlight) {
  const {S} = ex, st = {};
  if (set.color_by) st.color = set.color_by;
  if (set.filter) {
    S.filters = {};
    Object.assign(st, filterState(ex, set.filter));
  }
  if (set.selected) {
    st.sel = set.selected;
    if (!set.selected.length && S.pin) await pin(ex, null);
  }
  if (set.highlight) {
    const found = await Promise.all(set.highlight.map((r) => locate(ex, r)));
    highlight.splice(0, highlight.length, ...found.filter(Boolean));
  }
  await applyState(ex, st);
  if (set.color_by || set.filter) filtered(ex); else marks(ex);
}

// the page's context `ex` linked to the widget around it
export function linkToPython(ex) {
  const highlight = [];
  ex.overlays.push((c, g) => {
    c.strokeStyle = HIGHLIGHT;
    c.lineWidth = 2.5;
    for (const p of highlight) {
      const [sx, sy] = toScreen(ex, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, g);
      c.beginPath(); c.arc(sx, sy, 7, 0, 2 * Math.PI); c.stroke();
    }
  });
  ex.S.highlighted = highlight;
  linkWidget({state: () => state(ex), apply: (set) => apply(ex, set, highlight)});
}

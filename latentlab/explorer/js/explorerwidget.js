// The single file in a notebook's widget (latentlab.pl.explorer): what Python reads of the page (its selection,
// pinned row, colour and filters) and what Python sets (the same, and rows highlighted on the map).
import {$} from "./draw.js";
import {applyState, rowIndex} from "./pagestate.js";
import {HIGHLIGHT, linkWidget} from "./widgetlink.js";

// the filters by column name: the listed column's categories shown, the splits shown, each range
function filters(ctx) {
  const {S, meta} = ctx, out = {};
  if (S.classes) out[S.catColumn] = [...S.classes].sort((a, b) => a - b).map((j) => ctx.column(S.catColumn).categories[j]);
  if (S.splits.size < meta.splits.length) out.split = [...S.splits].sort((a, b) => a - b).map((j) => meta.splits[j]);
  for (const [array, bounds] of Object.entries(S.ranges)) out[meta.columns.find((c) => c.array === array).name] = bounds;
  return out;
}

// what Python reads: the box or lasso selection's rows, the pinned row, the colour and the filters
function state(ctx) {
  const {S, A, debug} = ctx;
  return {selection: S.selection.map((i) => A.row[i]), pinned: debug.pinned >= 0 ? A.row[debug.pinned] : null,
          color_by: S.colorBy, filter: filters(ctx)};
}

// every filter dropped: all categories, all splits, full ranges, no search
function dropFilters(ctx) {
  const {S, meta} = ctx;
  S.classes = null;
  S.query = $("ll-search").value = "";
  S.splits = new Set(meta.splits.keys());
  for (const box of document.querySelectorAll("#ll-splits input")) box.checked = true;
  for (const r of ctx.filterState.ranges) r.reset();
}

// Python's filter ({column: [category, ...] or [lo, hi], split: [name, ...]}) as a decoded state; a filter on a
// categorical column other than the listed one lists (and colours by) that column
function filterState(ctx, filter) {
  const {meta} = ctx, st = {};
  for (const [name, value] of Object.entries(filter)) {
    const col = ctx.column(name);
    if (name === "split") st.splits = value.map((v) => meta.splits.indexOf(v));
    else if (!col) throw new Error(`this page has no column "${name}"`);
    else if (col.kind === "numeric") st["r." + col.array] = value;
    else {
      if (name !== ctx.S.catColumn) st.color = name;
      st.classes = value.map((v) => col.categories.indexOf(v));
    }
  }
  return st;
}

function apply(ctx, set, highlight) {
  const st = {};
  if (set.color_by) st.color = set.color_by;
  if (set.filter) {
    dropFilters(ctx);
    Object.assign(st, filterState(ctx, set.filter));
    if (!Object.keys(set.filter).length) { ctx.renderClassList(); ctx.applyFilters(); }
  }
  if (set.selected) {
    st.sel = set.selected;
    if (!set.selected.length && ctx.debug.pinned >= 0) ctx.pin(-1);
  }
  if (set.highlight) {
    const index = rowIndex(ctx);
    highlight.splice(0, highlight.length, ...set.highlight.map(index).filter((i) => i >= 0));
    ctx.refreshMarks();
  }
  applyState(ctx, st);
  if (set.selected && set.selected.length) ctx.tabs.show("selection");
}

// the explorer's context `ctx` linked to the widget around the page
export function linkExplorerWidget(ctx) {
  const highlight = [];
  ctx.decorations.push({marks(m, e, basis) {
    for (const i of highlight) {
      m.x.push(ctx.A["x_" + basis][i]); m.y.push(ctx.A["y_" + basis][i]); m.color.push(HIGHLIGHT); m.size.push(14);
    }
  }});
  ctx.debug.highlighted = highlight;
  linkWidget({state: () => state(ctx), apply: (set) => apply(ctx, set, highlight)});
}

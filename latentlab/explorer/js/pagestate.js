// The single file's state in the URL hash: projection, view, colour, filters, pinned row, selection (up to
// share.hashRows's size) and tab, written as they change (linkstate.js) and read back when the page opens, so a
// copied link opens the same view.
import {$} from "./draw.js";
import {followState} from "./linkstate.js";
import {decodeState, encodeState, hashRows} from "./share.js";

const LISTS = ["view", "classes", "splits", "sel"];

function snapshot(ctx) {
  const {S, A, meta, fig, debug} = ctx, state = {basis: S.basis, color: S.colorBy, q: S.query};
  state.view = [fig.x_range.start, fig.x_range.end, fig.y_range.start, fig.y_range.end];
  state.classes = S.classes;
  state.splits = S.splits.size === meta.splits.length ? null : S.splits;
  for (const [name, bounds] of Object.entries(S.ranges)) state["r." + name] = bounds;
  state.pin = debug.pinned >= 0 ? A.row[debug.pinned] : null;
  state.sel = hashRows(S.selection.map((i) => A.row[i]));
  state.tab = ctx.tabs.current();
  return encodeState(state);
}

// the filters of a decoded state put back: colour (and with it the category list), classes, search, splits, ranges
// (nothing is redrawn when the state names none: each change of the map's data makes bokeh index every point again)
function restoreFilters(ctx, st) {
  const {S, meta} = ctx;
  if (!Object.keys(st).some((k) => ["color", "classes", "q", "splits"].includes(k) || k.startsWith("r."))) return;
  if (st.color && [...$("ll-color").options].some((o) => o.value === st.color)) {
    $("ll-color").value = st.color;
    ctx.setColor(st.color);
  }
  const names = ctx.column(S.catColumn).categories;
  if (st.classes) S.classes = new Set(st.classes.filter((j) => j >= 0 && j < names.length));
  if (st.q) S.query = $("ll-search").value = st.q;
  if (st.splits) {
    S.splits = new Set(st.splits.filter((j) => j >= 0 && j < meta.splits.length));
    for (const box of document.querySelectorAll("#ll-splits input")) box.checked = S.splits.has(+box.dataset.split);
  }
  for (const r of ctx.filterState.ranges) if (st["r." + r.name]) r.set(...st["r." + r.name]);
  ctx.renderClassList();
  ctx.applyFilters();
}

// a decoded state `st` put back (what it does not name, or names wrongly, is left as it is): from the URL hash
// when the page opens, or from Python in a notebook's widget
export function applyState(ctx, st) {
  const {S, meta, fig} = ctx;
  if (st.basis && meta.bases.includes(st.basis) && st.basis !== S.basis) {
    $("ll-basis").value = st.basis;
    ctx.setBasis(st.basis);
  }
  restoreFilters(ctx, st);
  if (st.view && st.view.length === 4) {
    fig.x_range.setv({start: st.view[0], end: st.view[1]});
    fig.y_range.setv({start: st.view[2], end: st.view[3]});
  }
  const index = rowIndex(ctx);
  if (st.pin !== undefined && index(+st.pin) >= 0) ctx.pin(index(+st.pin));
  if (st.sel) {
    S.selection = [...new Set(st.sel.map(index).filter((i) => i >= 0))].sort((a, b) => a - b);
    ctx.points.selected.indices = S.selection.slice();
    ctx.renderGrid();
  }
  ctx.tabs.restore(st.tab);
}

// row -> shown point (-1: not shown), for the rows a link or Python names
export function rowIndex(ctx) {
  if (!ctx.rowMap) ctx.rowMap = new Map(Array.from(ctx.A.row, (row, i) => [row, i]));
  return (row) => ctx.rowMap.get(row) ?? -1;
}

// the state read from the hash now, then written to it a moment after it changes (ctx.stateChanged)
export function setupPageState(ctx) {
  applyState(ctx, decodeState(location.hash, LISTS.concat(ctx.filterState.ranges.map((r) => "r." + r.name))));
  ctx.stateChanged = followState(() => snapshot(ctx));
}

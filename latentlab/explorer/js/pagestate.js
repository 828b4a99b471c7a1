// The explorer's state in the URL hash: projection, view (centre and zoom), colour, hidden categories, range,
// pinned row, selection (up to share.hashRows's size) and tab; written as they change, read back when the page
// opens, so a copied link opens the same view.
import {$} from "./draw.js";
import {followState} from "./linkstate.js";
import {decodeState, encodeState, hashRows} from "./share.js";
import {sidePanel} from "./filters.js";
import {pin, setBasis, setView} from "./map.js";
import {showSelection} from "./side.js";
import {locate} from "./tiles.js";

const row = (p) => p.tile.A.row[p.k];

function snapshot(ex) {
  const {S, B} = ex;
  const filters = Object.fromEntries(Object.entries(S.filters).map(([name, f]) => ["f." + name, f]));
  return encodeState({basis: B.j || null, view: [S.cx, S.cy, S.zoom], color: S.color, ...filters,
                      pin: S.pin ? row(S.pin) : null, sel: hashRows(S.selection.map(row)), tab: ex.tabs.current()});
}

// the colour and each column's filter (hidden categories, or a range) of a decoded state put back
function restoreFilters(ex, st) {
  const {S, M} = ex;
  if (st.color && M.columns.some((c) => c.name === st.color)) S.color = $("ll-color").value = st.color;
  for (const col of M.columns) {
    const f = st["f." + col.name];
    if (f && col.kind === "categorical") S.filters[col.name] = new Set(f.filter((v) => v >= 0 && v < col.categories.length));
    else if (f && f.length === 2) S.filters[col.name] = f;
  }
  sidePanel(ex);
}

// a decoded state `st` put back (what it does not name, or names wrongly, is left as it is): from the URL hash
// when the page opens, or from Python in a notebook's widget
export async function applyState(ex, st) {
  const {M} = ex;
  const j = Number(st.basis);
  if (st.basis && Number.isInteger(j) && j > 0 && j < M.bases.length) {
    $("ll-basis").value = String(j);
    await setBasis(ex, j);
  }
  restoreFilters(ex, st);
  if (st.view && st.view.length === 3 && st.view[2] > 0) await setView(ex, ...st.view);
  if (st.pin !== undefined) {
    const p = await locate(ex, Number(st.pin));
    if (p) await pin(ex, p);
  }
  if (st.sel) showSelection(ex, (await Promise.all(st.sel.map((r) => locate(ex, r)))).filter(Boolean));
  ex.tabs.restore(st.tab);
}

// the state read from the hash now (a promise), then written to it a moment after it changes
export async function setupPageState(ex) {
  await applyState(ex, decodeState(location.hash, ["view", "sel", ...ex.M.columns.map((c) => "f." + c.name)]));
  ex.stateChanged = followState(() => snapshot(ex));
}

// The tiled page's state in the URL hash: projection, view (centre and zoom), colour, hidden categories, range,
// pinned row, selection (up to share.hashRows's size) and tab; written as they change, read back when the page
// opens, so a copied link opens the same view.
import {$} from "./draw.js";
import {copyLink} from "./pagestate.js";
import {decodeState, encodeState, hashRows} from "./share.js";
import {column, pin, setBasis, setView} from "./tiledmap.js";
import {showSelection, sidePanel} from "./tiledside.js";
import {locate} from "./tiles.js";

const row = (p) => p.tile.A.row[p.k];

function snapshot(ex) {
  const {S, B} = ex;
  return encodeState({basis: B.j || null, view: [S.cx, S.cy, S.zoom], color: S.color, hidden: S.hidden,
                      range: S.range, pin: S.pin ? row(S.pin) : null, sel: hashRows(S.selection.map(row)),
                      tab: ex.tabs.current()});
}

// the colour, hidden categories and range of a decoded state put back, with the side panel's controls
function restoreFilters(ex, st) {
  const {S, M} = ex;
  if (st.color && M.columns.some((c) => c.name === st.color)) S.color = $("ll-color").value = st.color;
  const col = column(ex);
  if (st.hidden && col.kind === "categorical") S.hidden = new Set(st.hidden);
  if (st.range && st.range.length === 2 && col.kind !== "categorical") {
    const [lo, hi] = col.range, at = (v) => Math.round(Math.max(0, Math.min(1, (v - lo) / ((hi - lo) || 1))) * 1000);
    S.range = st.range;
    $("ll-lo").value = at(st.range[0]);
    $("ll-hi").value = at(st.range[1]);
  }
  sidePanel(ex);
}

// the state in `hash` put back (what it does not name, or names wrongly, is left as the page opened)
async function restore(ex, hash) {
  const {M} = ex, st = decodeState(hash, ["view", "hidden", "range", "sel"]);
  const j = Number(st.basis);
  if (st.basis && Number.isInteger(j) && j > 0 && j < M.bases.length) {
    $("ll-basis").value = String(j);
    await setBasis(ex, j);
  }
  restoreFilters(ex, st);
  if (st.view && st.view.length === 3 && st.view[2] > 0) await setView(ex, ...st.view);
  if (st.pin !== undefined) {
    const p = await locate(ex, Number(st.pin));
    if (p && p.k !== undefined) await pin(ex, p);
  }
  if (st.sel) showSelection(ex, (await Promise.all(st.sel.map((r) => locate(ex, r)))).filter((p) => p && p.k !== undefined));
  if (st.tab && document.querySelector(`#ll-tabs button[data-tab="${st.tab}"]:not([hidden])`)) ex.tabs.show(st.tab);
}

// the state read from the hash now (a promise), then written to it a moment after it changes
export async function setupTiledState(ex) {
  let timer = null, last = "";
  await restore(ex, location.hash);
  const save = () => {
    const hash = snapshot(ex);
    if (hash !== last) history.replaceState(null, "", "#" + hash);
    last = hash;
  };
  ex.stateChanged = () => { clearTimeout(timer); timer = setTimeout(save, 200); };
  document.addEventListener("ll-tab", ex.stateChanged);
  $("ll-copy-link").onclick = () => copyLink();
}

// The explorer's side panel and input (beside map.js): the colour choice, the categories of every row
// with their counts (click hides or shows one), the histogram of a numeric column with its range filter, box and
// lasso selection into a grid, and drag, wheel, hover and click on the map.
import {polylines} from "./core.js";
import {$, paintCanvas} from "./draw.js";
import {boxPolygon, dragBox, insidePolygon} from "./hittest.js";
import {showIssues} from "./issues.js";
import {setupExport} from "./exporting.js";
import {setupTabs} from "./tabs.js";
import {drawLabels} from "./labels.js";
import {cell, column, geometry, hover, inspect, label, level, marks, nearest, pin, redraw, setBasis, setView,
        toScreen, update, zoomAt} from "./map.js";
import {setupRanges, sidePanel} from "./filters.js";
import {locate} from "./tiles.js";

const MAX_GRID = 60;

// ---- selection: the drawn points in a box or a lasso (a polygon of page points)
function select(ex, shape) {
  const {S} = ex;
  const poly = shape.length === 4 && typeof shape[0] === "number" ? boxPolygon(shape) : shape;
  const out = [];
  for (let j = 0; j < S.drawn.X.length; j++) {
    if (insidePolygon(poly, S.drawn.X[j], S.drawn.Y[j])) out.push({tile: S.tiles.get(S.drawn.T[j]), k: S.drawn.K[j]});
  }
  showSelection(ex, out, level(ex) === ex.B.maxLevel);  // the deepest level drawn: every row in the shape is drawn
}

// rows `out` ({tile, k} each) as the selection: its grid, note and export; `every`: no row of it is left undrawn
export function showSelection(ex, out, every = true) {
  ex.S.selection = out;
  if (out.length) ex.tabs.show("selection");
  $("ll-sel-clear").disabled = !out.length;
  ex.refreshExport();
  $("ll-sel-note").textContent = !out.length ? "none" : `${out.length.toLocaleString()} ` +
    (every ? "rows selected" : "points drawn in the selection at this zoom") +
    (out.length > MAX_GRID ? ` (the first ${MAX_GRID} shown)` : "") + (every ? "" : "; zoom in to reach every row");
  $("ll-grid").replaceChildren(...out.slice(0, MAX_GRID).map((p) => cell(ex, p, 84, label(ex, p))));
  ex.stateChanged();
}
function clearSelection(ex, unpin = true) {
  const {S} = ex;
  S.selection = []; S.box = null; S.lasso = null;
  $("ll-grid").replaceChildren();
  $("ll-sel-clear").disabled = true;
  ex.refreshExport();
  ex.stateChanged();
  $("ll-sel-note").textContent = "choose box or lasso under Map (or shift-drag), then drag on the map";
  if (unpin) pin(ex, null);
}

// ---- input: drag to pan (or select), wheel to zoom about the cursor, hover and click
function dragMove(ex, drag, x, y) {
  const {S} = ex;
  drag.moved = drag.moved || Math.hypot(x - drag.start[0], y - drag.start[1]) > 3;
  if (drag.mode === "box") {
    S.box = dragBox(drag.start, x, y);
    return marks(ex);
  }
  if (drag.mode === "lasso") { S.lasso.push([x, y]); return marks(ex); }
  const g = geometry(ex);
  S.cx = drag.cx - (x - drag.start[0]) / g.scale; S.cy = drag.cy + (y - drag.start[1]) / g.scale;
  redraw(ex);
}
function dragEnd(ex, drag, x, y) {
  const {S} = ex;
  if (drag.mode !== "pan" && drag.moved) {
    select(ex, drag.mode === "box" ? S.box : S.lasso);
    S.box = null; S.lasso = null;
    return marks(ex);
  }
  S.box = null; S.lasso = null;
  if (!drag.moved) return pin(ex, nearest(ex, x, y));
  update(ex);
}
function wire(ex) {
  const {S, canvas} = ex;
  let drag = null;
  const at = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  canvas.addEventListener("pointerdown", (e) => {
    const mode = e.shiftKey ? "box" : $("ll-drag").value;
    drag = {start: at(e), cx: S.cx, cy: S.cy, mode, moved: false};
    if (mode === "lasso") S.lasso = [at(e)];
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => (drag ? dragMove(ex, drag, ...at(e)) : hover(ex, ...at(e))));
  canvas.addEventListener("pointerup", (e) => { const d = drag; drag = null; if (d) dragEnd(ex, d, ...at(e)); });
  canvas.addEventListener("wheel", (e) => { e.preventDefault(); zoomAt(ex, at(e), Math.exp(-e.deltaY / 500)); },
                          {passive: false});
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") clearSelection(ex); });
  $("ll-reset").addEventListener("click", () => setView(ex, 0.5, 0.5, 1));
  $("ll-basis").addEventListener("change", (e) => { clearSelection(ex, false); setBasis(ex, Number(e.target.value)); });
  $("ll-search").addEventListener("input", () => sidePanel(ex));
  $("ll-color").addEventListener("change", (e) => {
    S.color = e.target.value;  // the filters stay: each column keeps its own
    sidePanel(ex); redraw(ex); ex.stateChanged();
  });
  new ResizeObserver(() => update(ex)).observe(canvas);
}

// the colour column's labels (latentlab.explorer.maplabels) on the marks canvas, a hidden category's left out
function mapLabels(ex, c, g) {
  const {S, M, B} = ex;
  S.labels = [];
  if (!$("ll-labels").checked) return;
  const col = column(ex), labels = (M.labels || {})[S.color] || [], b = M.bases[B.j];
  const place = (l) => {
    if (S.filters[S.color] instanceof Set && S.filters[S.color].has(l.code)) return null;
    const [x, y] = l.at[b.basis];
    return toScreen(ex, (x - b.origin[0]) / b.span, (y - b.origin[1]) / b.span, g);
  };
  S.labels = drawLabels(c, labels, place, (code) => col.palette[code], g.w, g.h);
}

// what the page's tests and benchmarks read (the state, the manifest, the projection shown, the view's calls)
function debugApi(ex) {
  const bind = (f) => (...args) => f(ex, ...args);
  return {S: ex.S, M: ex.M, get B() { return ex.B; }, setView: bind(setView), setBasis: bind(setBasis),
          zoomAt: bind(zoomAt), update: bind(update), locate: bind(locate), pin: bind(pin), select: bind(select),
          nearest: bind(nearest), level: bind(level), paintCanvas, polylines,
          screenOf: (p) => toScreen(ex, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, geometry(ex))};
}

// a stored decode's settings, as tl.decode recorded them (the seed under scanpy's name, random_state)
function decodeText(dec) {
  const p = dec.attrs;
  return `${dec.key}: temperature ${p.temperature}, softmax temperature ${p.softmax_temperature}` +
    `${p.greedy ? ", greedy" : ""}, seed ${p.random_state ?? p.seed}, from ${p.use_rep || "mu"}`;
}

// the side panel's controls filled from the manifest
function controls(ex) {
  const {S, M} = ex;
  $("ll-title").textContent = document.title = M.title;
  if (M.sample) {
    const b = $("ll-banner"), en = (v) => v.toLocaleString("en");
    b.hidden = false;
    b.textContent = `This store holds ${en(M.n_total)} sketches; this page shows a random sample of ` +
      `${en(M.sample.rows)} (seed ${M.sample.seed}). Raise max_points to show more, or write the tiled explorer ` +
      "(latentlab report STORE -o FOLDER), which shows every row.";
  }
  $("ll-labels").onchange = () => marks(ex);
  $("ll-thumbs").onchange = () => redraw(ex);  // at once: hover must not find sketches no longer drawn
  for (const c of M.columns) $("ll-color").append(new Option(c.name, c.name, false, c.name === S.color));
  M.bases.forEach((b, j) => $("ll-basis").append(new Option(b.label, String(j))));
  $("ll-basis-label").hidden = M.bases.length < 2;
  $("ll-dec-cap").textContent = M.decodes.length ? "" : "no decode stored";
  $("ll-dec-cap").title = M.decodes.length ? "" : `run \`${M.makers["uns/decoded"]}\` to decode the store`;
  $("ll-dec-choice").hidden = !M.decodes.length;
  M.decodes.forEach((d, j) => {
    const option = new Option(`decoded (${d.key})`, "dec" + j);
    option.title = decodeText(d);
    $("ll-dec-choice").add(option);
  });
  $("ll-dec-choice").title = M.decodes.map(decodeText).join("\n");
  $("ll-dec-choice").disabled = M.decodes.length < 2;
  $("ll-dec-choice").onchange = (e) => { S.dec = e.target.value; inspect(ex, S.hover || S.pin); };
  $("ll-prev").hidden = $("ll-next").hidden = true;  // the grid shows the first MAX_GRID rows
  $("ll-sel-clear").onclick = () => clearSelection(ex);
  for (const [key, value] of M.provenance || []) {
    const tr = $("ll-prov-table").insertRow();
    tr.insertCell().textContent = key;
    tr.insertCell().textContent = value;
  }
}

// start the explorer on its context `ex`, filling the page's API `page` (debug); a promise of the first view
export function startExplorer(ex, page) {
  ex.tabs = setupTabs();
  ex.refreshExport = setupExport(() => ex.S.selection.map((p) => ({A: p.tile.A, i: p.k})), ex.M.columns, ex.M.store);
  ex.overlays.push((c, g) => mapLabels(ex, c, g));
  showIssues(ex.M.issues, async (row) => {
    const p = await locate(ex, row);
    if (p) await pin(ex, p); else $("ll-pin-note").textContent = `row ${row} is not in this page's sample`;
  });
  controls(ex);
  setupRanges(ex);
  sidePanel(ex);
  wire(ex);
  page.debug = debugApi(ex);
  return update(ex);
}

// The model in the explorer (`latentlab report STORE -o OUT --with-model`): model.bin runs in Web Workers
// (model.js). A drawing is encoded in the page and searched over every row, in the cells of search/ whose centres
// are nearest it (latentlab.explorer.tiledsearch; the single file has one cell, searched whole); its nearest rows
// that pass the filters are ringed and shown in the strip, and the drawing sits on the map among them.
// Interpolation reads a pinned row's mu from its cell.
import {inflateBinary, polylines} from "./core.js";
import {$, drawDrawing, edges} from "./draw.js";
import {announceModel, drawingPad, interpolation, modelApi, showModelPanels, spawnWorkers} from "./model.js";
import {cosineTop, dequantise} from "./search.js";
import {cell as stripCell, inspect, label, marks, passes, setView, toScreen} from "./map.js";
import {loadArrays, locate, rowFile} from "./tiles.js";
import {fetchBuffer} from "./files.js";

const K = 12, CANDIDATES = 4 * K, MAX_CELLS = 64;
const DRAW_HINT = "Draw a sketch: it is encoded in this page and searched over every row.";

// search cell c's rows with their mu, dequantised (a promise); the least recently used of MAX_CELLS go first
function searchCell(m, c) {
  const {cells} = m;
  if (!cells.has(c)) {
    cells.set(c, loadArrays(`search/${c}.bin`).then((A) => {
      const n = A.row.length;
      return Object.assign({row: A.row, n}, dequantise(A.mu_q, A.mu_scale, n, m.info.z_size));
    }));
    if (cells.size > MAX_CELLS) cells.delete(cells.keys().next().value);
  } else {
    const hit = cells.get(c);
    cells.delete(c);
    cells.set(c, hit);
  }
  return cells.get(c);
}

// the k rows nearest `query` by cosine among the `probe` cells whose centres are nearest it: [{row, sim}]
async function nearestRows(m, query, k, probe = m.info.search.probe) {
  const C = await m.centres, zSize = m.info.z_size, scores = [];
  for (let c = 0; c < m.info.search.cells; c++) {
    let s = 0;
    for (let d = 0; d < zSize; d++) s += query[d] * C[c * zSize + d];
    scores.push([s, c]);
  }
  scores.sort((a, b) => b[0] - a[0]);
  const found = [];
  for (const data of await Promise.all(scores.slice(0, probe).map(([, c]) => searchCell(m, c)))) {
    for (const {i, sim} of cosineTop(query, k, data.n, zSize, data.mu, data.norms)) found.push({row: data.row[i], sim});
  }
  return found.sort((a, b) => b.sim - a.sim || a.row - b.row).slice(0, k);
}

// a row's mu: its cell from its row file, then its place in the cell
async function muOfRow(m, row) {
  const {M} = m.ex, zSize = m.info.z_size;
  const R = await rowFile(m.ex, Math.floor(row / M.row_block)), data = await searchCell(m, R.cell[row % M.row_block]);
  const i = data.row.indexOf(row);
  return Array.from(data.mu.subarray(i * zSize, (i + 1) * zSize));
}

// ---- draw to search: the drawing's nearest rows that pass the filters, from any tile
async function searchDrawing(m, strokes) {
  const {S} = m.ex;
  if (!strokes.length) {
    m.drawing = S.drawing = null;
    S.neighbors = [];
    $("ll-draw-note").textContent = DRAW_HINT;
    $("ll-strip").replaceChildren();
    marks(m.ex);
    return;
  }
  const encoded = await m.api.encodeDrawing(strokes);
  if (!encoded) return;
  m.drawing = Object.assign(encoded, {candidates: await nearestRows(m, encoded.mu, CANDIDATES)});
  await showDrawing(m, true);
}

function drawingNotes(m, found) {
  const first = found[0], cls = label(m.ex, first), {info} = m;
  $("ll-draw-note").textContent = `${m.drawing.rows.length} points, encoded in ${Math.round(m.drawing.ms)} ms · ` +
    `nearest: row ${first.tile.A.row[first.k]}${cls ? ` (${cls})` : ""}`;
  const filtered = Object.keys(m.ex.S.filters).length ? " that pass the filters" : "";
  $("ll-nn-note").textContent = `${found.length} nearest of your drawing${filtered} (cosine on mu, over every row` +
    (info.search.cells > 1 ? ` in the ${info.search.probe} of ${info.search.cells} cells nearest it)` : ")");
}

// the drawing's nearest rows that pass the filters (again when a filter changes); a new drawing moves the view
// to them
async function showDrawing(m, move = false) {
  const {ex} = m, {S} = ex, candidates = m.drawing.candidates;
  const located = await Promise.all(candidates.map(({row}) => locate(ex, row)));
  const found = located.filter((p) => p && passes(ex, p.tile.A, p.k)).slice(0, K);
  S.pin = null;
  S.neighbors = found;
  S.drawing = Object.assign({}, m.drawing, {found, pos: null});
  $("ll-pin-note").textContent = "";
  if (!found.length) {
    $("ll-draw-note").textContent = `None of the ${candidates.length} nearest rows passes the filters: ` +
      "loosen them to search.";
    $("ll-strip").replaceChildren();
    marks(ex);
    return;
  }
  let su = 0, sv = 0;
  for (const p of found) { su += p.tile.A.x[p.k] / 65535; sv += p.tile.A.y[p.k] / 65535; }
  S.drawing.pos = [su / found.length, sv / found.length];
  drawingNotes(m, found);
  $("ll-strip").replaceChildren(...found.map((q) => stripCell(ex, q, 64, label(ex, q))));
  inspect(ex, found[0]);
  if (move) setView(ex, S.drawing.pos[0], S.drawing.pos[1], S.zoom); else marks(ex);
}

// the drawing pad, the drawing on the map where its nearest rows are, and the interpolation strip
function setupPanels(m) {
  const {ex} = m, {S, M} = ex;
  ex.overlays.push((c, g) => {  // the drawing among its nearest rows, with edges to them
    if (!S.drawing || !S.drawing.pos) return;
    const at = toScreen(ex, ...S.drawing.pos, g);
    edges(c, at, S.neighbors.map((p) => toScreen(ex, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, g)), "#1f5fa8");
    drawDrawing(c, S.drawing.lines, ...at);
  });
  let busy = Promise.resolve();
  const strokes = drawingPad(() => { busy = busy.then(() => searchDrawing(m, strokes)); });
  document.addEventListener("ll-filtered", () => { if (S.drawing) busy = busy.then(() => showDrawing(m)); });
  document.addEventListener("ll-basis", () => { if (S.drawing) busy = busy.then(() => showDrawing(m, true)); });
  const pinned = async () => {
    if (!S.pin) return null;
    const row = S.pin.tile.A.row[S.pin.k], cls = label(ex, S.pin);
    return {z: await muOfRow(m, row), lines: polylines(S.pin.tile.A, "orig", S.pin.k),
            label: `row ${row}` + (cls ? ` (${cls})` : "")};
  };
  interpolation(m.api, {pinned, drawn: () => m.drawing, decodeAttrs: M.decodes.length && M.decodes[0].attrs, debug: S});
}

// the model's panels, when the folder carries a model; its calls join the page's API `page`
export function startModel(ex, page) {
  const info = ex.M.model;
  if (!info || !showModelPanels(info)) return;
  const workers = fetchBuffer("model.bin").then(inflateBinary).then(({bytes, header}) => spawnWorkers(info, bytes, header));
  const m = {ex, info, cells: new Map(), drawing: null, centres: loadArrays("search/cells.bin").then((A) => A.centres)};
  m.api = Object.assign(modelApi(info, workers), {
    ready: Promise.all([workers, m.centres]).then(() => true),
    async neighbors(query, k = 10, {probe} = {}) {
      return (await nearestRows(m, query, k, probe)).map(({row}) => row);
    },
    muOfRow: (row) => muOfRow(m, row),
  });
  Object.assign(page, m.api);
  setupPanels(m);
  announceModel(m.api, DRAW_HINT);
}

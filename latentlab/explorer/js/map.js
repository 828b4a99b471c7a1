// The explorer's map: draws the points of the tiles the view needs (the single file has one a projection) and
// sketches on a canvas, and shows the hovered or pinned row and its neighbours. tiles.js fetches the
// tiles; side.js adds the side panel, selection and input. Every function takes the explorer's context `ex`
// (tiles.explorerContext). Every string from the data reaches the page as text.
import {gridIndex, gridVisit} from "./core.js";
import {$, discRows, drawSketch, edges} from "./draw.js";
import {inspectRow, rowCell} from "./rowview.js";
import {chooseGlyphs} from "./glyphs.js";
import {glyphAt} from "./hittest.js";
import {hexRgb, ramp, rgbCss} from "./ramp.js";
import {basisView, evict, loadTile, locate, rowFile} from "./tiles.js";

const HOVER_PX = 6, DOT = 5, GLYPHS = 400, GLYPH = 30;  // DOT: a point's diameter (css px)
const SELECTION_MARKS = 5000;  // selected points outlined on the map, at most (a hover redraws them)

// the column the map is coloured by
export const column = (ex) => ex.M.columns.find((c) => c.name === ex.S.color);

// ---- the view: unit square coordinates, y up, a square map centred on (cx, cy)
export function geometry(ex) {
  const {S} = ex;
  const w = ex.canvas.clientWidth, h = ex.canvas.clientHeight;
  return {w, h, scale: Math.min(w, h) * S.zoom};
}
export function toScreen(ex, u, v, g) {
  const {S} = ex;
  return [(u - S.cx) * g.scale + g.w / 2, g.h / 2 - (v - S.cy) * g.scale];
}
function toUnit(ex, px, py, g) {
  const {S} = ex;
  return [(px - g.w / 2) / g.scale + S.cx, S.cy - (py - g.h / 2) / g.scale];
}
// the quadtree level drawn at the zoom (0: the root tile)
export function level(ex) {
  return Math.max(0, Math.min(ex.B.maxLevel, Math.floor(Math.log2(ex.S.zoom)) + 1));
}
function visibleTiles(ex) {
  const {B} = ex;
  const g = geometry(ex), [u0, v1] = toUnit(ex, 0, 0, g), [u1, v0] = toUnit(ex, g.w, g.h, g), lv = level(ex), out = [];
  for (let i = 0; i < B.boxes.length; i++) {
    const b = B.boxes[i];
    if (B.levels[i] <= lv && b[1] >= u0 && b[0] <= u1 && b[3] >= v0 && b[2] <= v1) out.push(i);
  }
  return out;
}
export async function update(ex) {
  const {S} = ex;
  const need = visibleTiles(ex);
  render(ex, need);
  const missing = need.filter((i) => !S.tiles.has(i));
  if (missing.length) {
    status(ex, need, missing.length);
    await Promise.all(missing.map((i) => loadTile(ex, i)));
    render(ex, visibleTiles(ex));
  }
  evict(ex, need);
  ex.stateChanged();
}
// the filters in force, as [array name, hidden Set | [lo, hi]] each: S.filters holds one a column, a Set of the
// hidden categories of a categorical column or the range kept of a numeric one
export function activeFilters(ex) {
  const {S, M} = ex;
  return Object.entries(S.filters).map(([name, f]) => [M.columns.find((c) => c.name === name).array, f]);
}

// whether row k of a tile passes every filter (`checks`: activeFilters): its categories shown, its values in range
export function passes(ex, A, k, checks = activeFilters(ex)) {
  for (const [array, f] of checks) {
    const v = A[array][k];
    if (f instanceof Set ? v < 0 || f.has(v) : !(v >= f[0] && v <= f[1])) return false;
  }
  return true;
}
function colorOf(ex, A, k, col, rgb, checks) {
  if (!passes(ex, A, k, checks)) return null;
  const v = A[col.array][k];
  if (col.kind === "categorical") return v < 0 ? [190, 190, 190] : rgb[v % rgb.length];
  const [lo, hi] = col.range;
  return Number.isFinite(v) ? ramp((v - lo) / ((hi - lo) || 1)) : [190, 190, 190];
}

// ---- drawing: points as round dots in an ImageData, then sketches and marks; a screen grid for hover
// the points of the tiles `need` that pass the filters, painted into `px` (an ImageData's pixels, w wide and h
// high, at `ratio` device pixels a css pixel); their screen positions, tiles and rows
function paintPoints(ex, need, g, px, [w, h, ratio]) {
  const {S} = ex, col = column(ex), checks = activeFilters(ex);
  const rgb = col.kind === "categorical" ? col.palette.map(hexRgb) : null, X = [], Y = [], T = [], K = [];
  const dot = Math.max(2, Math.round(DOT * ratio)), disc = discRows(dot);
  for (const i of need) {
    const tile = S.tiles.get(i);
    if (!tile) continue;
    tile.used = S.frames;
    for (let k = 0; k < tile.n; k++) {
      const c = colorOf(ex, tile.A, k, col, rgb, checks);
      if (!c) continue;
      const [sx, sy] = toScreen(ex, tile.A.x[k] / 65535, tile.A.y[k] / 65535, g);
      if (sx < 0 || sy < 0 || sx >= g.w || sy >= g.h) continue;
      X.push(sx); Y.push(sy); T.push(i); K.push(k);
      const value = (255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0];
      const x0 = Math.round(sx * ratio - dot / 2), y0 = Math.round(sy * ratio - dot / 2);
      for (const [dy, a, b] of disc) {
        const y = y0 + dy;
        if (y >= 0 && y < h) px.fill(value, y * w + Math.max(0, x0 + a), y * w + Math.min(w, x0 + b));
      }
    }
  }
  return {X: Float32Array.from(X), Y: Float32Array.from(Y), T, K, need};
}

export function render(ex, need) {
  const {S} = ex;
  const g = geometry(ex), ratio = window.devicePixelRatio || 1;
  ex.canvas.width = Math.round(g.w * ratio);
  ex.canvas.height = Math.round(g.h * ratio);
  const ctx = ex.canvas.getContext("2d"), img = ctx.createImageData(ex.canvas.width, ex.canvas.height);
  S.drawn = paintPoints(ex, need, g, new Uint32Array(img.data.buffer), [ex.canvas.width, ex.canvas.height, ratio]);
  ctx.putImageData(img, 0, 0);
  S.drawn.grid = gridIndex(S.drawn.X, S.drawn.Y, [0, g.w, 0, g.h], 128);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  glyphs(ex, ctx, g);
  S.frames++;
  status(ex, need, 0);
  marks(ex);
}
// rings (hover, pin, neighbours), the pinned row's edges to its neighbours and the selection box, on their own
// canvas: a hover redraws only them
export function marks(ex) {
  const {S} = ex;
  const g = geometry(ex), ratio = window.devicePixelRatio || 1, over = $("ll-marks");
  if (over.width !== Math.round(g.w * ratio) || over.height !== Math.round(g.h * ratio)) {
    over.width = Math.round(g.w * ratio); over.height = Math.round(g.h * ratio);
  }
  const ctx = over.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, g.w, g.h);
  const at = (p) => toScreen(ex, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, g);
  const ring = (p, color, r) => {
    if (!p) return;
    const [sx, sy] = at(p);
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(sx, sy, r, 0, 2 * Math.PI); ctx.stroke();
  };
  ctx.strokeStyle = "rgba(31, 95, 168, 0.6)"; ctx.lineWidth = 1;  // the selection's points, outlined
  ctx.beginPath();
  for (const p of S.selection.slice(0, SELECTION_MARKS)) {
    const [sx, sy] = at(p);
    ctx.moveTo(sx + DOT / 2 + 1, sy);
    ctx.arc(sx, sy, DOT / 2 + 1, 0, 2 * Math.PI);
  }
  ctx.stroke();
  S.edges = S.pin && !S.drawing ? S.neighbors.length : 0;  // what the page's tests read
  if (S.edges) edges(ctx, at(S.pin), S.neighbors.map(at), "#e6550d");
  S.neighbors.forEach((p) => ring(p, S.drawing ? "#1f5fa8" : "#e6550d", 5));
  for (const overlay of ex.overlays) overlay(ctx, g);
  ring(S.pin, "#d62728", 8);
  ring(S.hover, "#111", 6);
  if (S.lasso && S.lasso.length > 1) {
    ctx.strokeStyle = "#4a90d9"; ctx.setLineDash([4, 3]); ctx.beginPath();
    S.lasso.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.closePath(); ctx.stroke(); ctx.setLineDash([]);
  }
  if (S.box) {
    ctx.strokeStyle = "#4a90d9"; ctx.setLineDash([4, 3]);
    ctx.strokeRect(S.box[0], S.box[1], S.box[2] - S.box[0], S.box[3] - S.box[1]);
    ctx.setLineDash([]);
  }
}
// sketches on the map, framed in their point's colour: each drawn point's when few are drawn (zoomed in), else one
// for each dense region (glyphs.chooseGlyphs); S.glyphs: [j, x, y, size] of those drawn
function glyphs(ex, ctx, g) {
  const {S} = ex, d = S.drawn, col = column(ex), rgb = col.kind === "categorical" ? col.palette.map(hexRgb) : null;
  S.glyphs = [];
  if (!$("ll-thumbs").checked) return;
  const points = Array.from(d.X, (x, j) => [j, x, d.Y[j]]);
  const chosen = d.X.length <= GLYPHS ? points.map(([j, x, y]) => [j, x, y, GLYPH]) : chooseGlyphs(points, g.w);
  for (const [j, x, y, size] of chosen) {
    const A = S.tiles.get(d.T[j]).A, k = d.K[j], c = rgbCss(colorOf(ex, A, k, col, rgb, []));
    ctx.fillStyle = "rgba(255,255,255,0.9)";
    ctx.strokeStyle = c;
    ctx.lineWidth = size > GLYPH ? 2 : 1;
    ctx.beginPath();
    ctx.roundRect(x - size / 2, y - size / 2, size, size, 4);
    ctx.fill();
    if (size > GLYPH) ctx.stroke();
    drawSketch(ctx, A, "orig", k, x, y, size, size > GLYPH ? "#222" : c, size > GLYPH ? 1.3 : 1.2);
  }
  S.glyphs = chosen;
}
function status(ex, need, missing) {
  const {S, M, B} = ex;
  const shown = S.drawn ? S.drawn.X.length : 0;
  const every = level(ex) === B.maxLevel, label = M.bases[B.j].label, en = (v) => v.toLocaleString("en");
  const rows = M.sample ? `${en(M.sample.rows)} of ${en(M.n_total)} rows (a sample)` : `${en(M.n_total)} rows`;
  $("ll-subtitle").textContent = `${rows} · ${label} · ${en(shown)} points drawn` +
    (every ? " (every row in view that passes the filters)" : " (an overview: zoom in to reach every row)") +
    (missing ? ` · loading ${missing} of ${need.length} tiles…` : "") + (M.left_out ? ` · ${M.left_out}` : "");
}
export const redraw = (ex) => ex.S.drawn && render(ex, ex.S.drawn.need);

// ---- hover, pin, neighbours
export function hover(ex, x, y) {
  const {S} = ex;
  const t0 = performance.now(), p = S.drawn && nearest(ex, x, y);
  const same = p && S.hover && p.tile === S.hover.tile && p.k === S.hover.k;
  if (same || (!p && !S.hover)) return;
  S.hover = p;
  inspect(ex, p || S.pin);
  marks(ex);
  if (p) S.hoverMs.push(performance.now() - t0);
}
// what the pointer at (px, py) is over: a sketch drawn for its region (anywhere on it), else the nearest point
// (within a small sketch's half side when each point's sketch is drawn, else HOVER_PX); {tile, k} or null
export function nearest(ex, px, py) {
  const {S} = ex, found = glyphAt((S.glyphs || []).filter((g) => g[3] > GLYPH), px, py);
  if (found >= 0) return {tile: S.tiles.get(S.drawn.T[found]), k: S.drawn.K[found]};
  const r = S.drawn.X.length <= GLYPHS ? GLYPH / 2 : HOVER_PX;
  let best = -1, bd = 2 * r * r;
  gridVisit(S.drawn.grid, px, py, r, r, (j) => {
    const dx = S.drawn.X[j] - px, dy = S.drawn.Y[j] - py, d = dx * dx + dy * dy;
    if (Math.abs(dx) <= r && Math.abs(dy) <= r && d <= bd) { bd = d; best = j; }
  });
  return best < 0 ? null : {tile: S.tiles.get(S.drawn.T[best]), k: S.drawn.K[best]};
}
export function inspect(ex, p) {
  const {S, M} = ex, columns = M.columns.filter((c) => c.kind !== "categorical" || c.categories.length);
  inspectRow(p ? p.tile.A : {}, p ? p.k : -1, M.decodes.length ? S.dec : null, columns);
}
export function cell(ex, p, size, caption) {
  return rowCell(p.tile.A, p.k, size, caption, {onPin: () => pin(ex, p), onHover: () => inspect(ex, p)});
}
export function label(ex, p) {
  const {M} = ex;
  const c = M.columns[0], v = p.tile.A[c.array][p.k];
  return v < 0 ? "" : c.categories[v];
}
export async function pin(ex, p) {
  const {S, M} = ex;
  S.pin = p;
  S.neighbors = [];
  S.drawing = null;  // the drawing's search gives way to the pinned row's neighbours
  inspect(ex, p);
  $("ll-pin-note").textContent = p ? `row ${p.tile.A.row[p.k]} pinned` : "";
  $("ll-strip").replaceChildren();
  marks(ex);
  ex.stateChanged();
  if (!p) return;
  if (!M.neighbors) { $("ll-nn-note").textContent = "no neighbours stored (latentlab neighbors)"; return; }
  const row = p.tile.A.row[p.k], R = await rowFile(ex, Math.floor(row / M.row_block));
  if (!R || S.pin !== p) return;
  const k = R.neighbors.length / Math.min(M.row_block, M.n_total - Math.floor(row / M.row_block) * M.row_block);
  const ids = Array.from(R.neighbors.subarray((row % M.row_block) * k, (row % M.row_block + 1) * k));
  const found = (await Promise.all(ids.map((id) => locate(ex, id)))).filter(Boolean);
  if (S.pin !== p) return;
  S.neighbors = found;
  $("ll-nn-note").textContent = `${found.length} nearest by ${M.neighbors.metric || "cosine"} on mu, from any tile`;
  $("ll-strip").replaceChildren(...found.map((q) => cell(ex, q, 64, label(ex, q))));
  marks(ex);
}

export function zoomAt(ex, [x, y], factor) {
  const {S, B} = ex;
  const g = geometry(ex), [u, v] = toUnit(ex, x, y, g);
  S.zoom = Math.max(0.5, Math.min(1 << (B.maxLevel + 3), S.zoom * factor));
  const g2 = geometry(ex);
  S.cx = u - (x - g2.w / 2) / g2.scale; S.cy = v + (y - g2.h / 2) / g2.scale;
  return update(ex);
}
export function setView(ex, cx, cy, zoom) {
  Object.assign(ex.S, {cx, cy, zoom});
  return update(ex);
}
// show projection j: the whole map, the pinned row pinned again where it is there; "ll-basis" is sent after
export async function setBasis(ex, j) {
  const {S} = ex;
  const row = S.pin ? S.pin.tile.A.row[S.pin.k] : null;
  ex.B = basisView(ex.M, j);
  S.tiles.clear(); S.loading.clear();
  Object.assign(S, {hover: null, pin: null, neighbors: [], cx: 0.5, cy: 0.5, zoom: 1});
  await update(ex);
  if (row !== null) { const p = await locate(ex, row); if (p) await pin(ex, p); }
  document.dispatchEvent(new Event("ll-basis"));
}

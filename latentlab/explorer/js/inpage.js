// The single file's model in the page: draw to search and interpolate, on Web Workers running sketchrnn.js (no
// server). Adds encode, neighbors, decode, fromDrawing and interpolate to the page's API when the report carries
// a model.
import {inflate, polylines} from "./core.js";
import {$, drawLines} from "./draw.js";
import {announceModel, drawingPad, interpolation, modelApi, showModelPanels, spawnWorkers} from "./model.js";
import {cosineTop, dequantise} from "./search.js";

const K = 12;
const DRAW_HINT = "Draw a sketch: it is encoded in this page and its nearest stored sketches are shown.";

// the shown sketches' stored mu, dequantised once; nearest(query, k, visible): the k shown points nearest
// `query` by cosine (among those `visible` marks, when given), [{i, sim}], nearest first
function storedMu(meta, A) {
  const n = meta.n_shown, zSize = meta.model.z_size, {mu, norms} = dequantise(A.mu_q, A.mu_scale, n, zSize);
  const nearest = (query, k, visible) => cosineTop(query, k, n, zSize, mu, norms, visible && ((i) => visible[i]));
  return {nearest, row: A.row, muOf: (i) => Array.from(mu.subarray(i * zSize, (i + 1) * zSize))};
}

// ---- draw to search ----
function setupDraw(m, view) {
  let busy = Promise.resolve();
  const strokes = drawingPad(() => { busy = busy.then(() => searchDrawing(m, view, strokes)); });
  view.decorations.push(Object.assign(drawingDecoration(view), {
    filtered: () => { if (view.debug.drawn) placeDrawing(m, view); },
  }));
}

// encode the drawing in the page, find its nearest shown sketches, place it on the map among them
async function searchDrawing(m, view, strokes) {
  const {debug} = view;
  if (!strokes.length) {
    debug.drawn = null;
    $("ll-draw-note").textContent = DRAW_HINT;
    view.pin(-1);
    return;
  }
  const encoded = await m.api.encodeDrawing(strokes);
  if (!encoded) return;
  debug.drawn = encoded;
  placeDrawing(m, view);
}

// where the drawing goes on each projection: among its neighbours, weighted by inverse cosine distance
function drawingPlace(bases, A, found) {
  const pos = {};
  for (const basis of bases) {
    let sx = 0, sy = 0, sw = 0;
    for (const {i, sim} of found) {
      const w = 1 / (1 - sim + 1e-3);
      sx += w * A["x_" + basis][i]; sy += w * A["y_" + basis][i]; sw += w;
    }
    pos[basis] = [sx / sw, sy / sw];
  }
  return pos;
}

// the drawing's nearest sketches among those that pass the filters, and its place on the map among them
function placeDrawing(m, view) {
  const {A, S, debug} = view, d = debug.drawn, found = m.search.nearest(d.mu, K, S.visible);
  if (!found.length) {
    Object.assign(d, {found, pos: null, note: "no sketch passes the filters"});
    debug.drawnRows = [];
    $("ll-draw-note").textContent = "No stored sketch passes the filters: loosen them to search.";
    view.pin(-1);
    return;
  }
  const filtered = found.length < view.n && S.visible.some((v) => !v) ? " that pass the filters" : "";
  Object.assign(d, {found, pos: drawingPlace(m.meta.bases, A, found),
                    note: `${found.length} nearest of your drawing${filtered} (cosine on mu; ` +
                      `${d.rows.length} points encoded in the page in ${Math.round(d.ms)} ms)`});
  debug.drawnRows = found.map(({i}) => A.row[i]);
  view.pin(-1);  // shows the drawing's strip
  view.inspect(found[0].i);
  $("ll-draw-note").textContent = `${d.rows.length} points · nearest: row ${A.row[found[0].i]}` +
    (view.className(found[0].i) ? ` (${view.className(found[0].i)})` : "") + `, cosine ${found[0].sim.toFixed(3)}`;
  view.refreshMarks();
}

// the drawing on the map (a framed sketch at screen sx, sy) and its caption
export function drawDrawing(c, lines, sx, sy, size = 64) {
  c.fillStyle = "rgba(255,255,255,0.96)";
  c.strokeStyle = "#1f5fa8";
  c.lineWidth = 2.5;
  c.beginPath();
  c.roundRect(sx - size / 2, sy - size / 2, size, size, 5);
  c.fill();
  c.stroke();
  drawLines(c, lines, sx, sy, size, "#1f5fa8", 1.6);
  c.fillStyle = "#1f5fa8";
  c.font = "11px system-ui, sans-serif";
  c.fillText("your drawing", sx - size / 2, sy + size / 2 + 12);
}

// the drawing on the map: its strip, its neighbours' marks, and the drawing itself where they are
function drawingDecoration(view) {
  const {A, debug} = view;
  return {
    strip: () => (debug.drawn && debug.drawn.found ? [debug.drawn.note, debug.drawn.found.map(({i}) => i)] : null),
    marks(m, e, basis) {
      const d = debug.drawn;
      if (!d || !d.pos) return;
      const [x, y] = d.pos[basis], X = A["x_" + basis], Y = A["y_" + basis];
      for (const {i} of d.found) {
        m.x.push(X[i]); m.y.push(Y[i]); m.color.push("#1f5fa8"); m.size.push(12);
        e.x0.push(x); e.y0.push(y); e.x1.push(X[i]); e.y1.push(Y[i]); e.color.push("#1f5fa8");
      }
    },
    keep(basis) {
      const d = debug.drawn;
      return d && d.pos ? [d.pos[basis]].concat(d.found.map(({i}) => [A["x_" + basis][i], A["y_" + basis][i]])) : [];
    },
    overlay(c, f, basis) {
      const d = debug.drawn;
      if (d && d.pos) drawDrawing(c, d.lines, ...view.dataToScreen(...d.pos[basis], f));
    },
  };
}

// ---- interpolation strip, decoded sketch by sketch: ends from the pinned point or the drawing
function setupInterpolation(m, view) {
  const {A, debug} = view, label = (i) => `row ${A.row[i]}` + (view.className(i) ? ` (${view.className(i)})` : "");
  interpolation(m.api, {
    pinned: async () => (debug.pinned < 0 ? null : {
      z: m.search.muOf(debug.pinned), lines: polylines(A, "orig", debug.pinned), label: label(debug.pinned)}),
    drawn: () => debug.drawn,
    decodeAttrs: m.meta.decodes.length && m.meta.decodes[0].attrs,
    debug,
  });
}

// the model's panels, when the page carries a model; its calls join the page's API `page` at once and wait
// for the explorer (a promise of its context) and the workers
export function startInpage(meta, page, explorer) {
  const info = meta.model;
  if (!info || !showModelPanels(info)) return;
  const workers = inflate($("ll-model").textContent).then((bytes) => spawnWorkers(info, bytes, info.arrays));
  const search = explorer.then((ctx) => storedMu(meta, ctx.A));
  const api = Object.assign(modelApi(info, workers), {
    ready: Promise.all([workers, search]).then(() => true),
    async neighbors(query, k = 10) {
      const s = await search;
      return s.nearest(query, k).map(({i}) => s.row[i]);
    },
  });
  Object.assign(page, api);
  Promise.all([explorer, search]).then(([view, found]) => {
    const m = {meta, api, search: found};
    setupDraw(m, view);
    setupInterpolation(m, view);
    announceModel(api, DRAW_HINT);
  });
}

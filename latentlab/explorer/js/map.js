// The single file's map: projection and colour of the bokeh scatter, page <-> data geometry, hover and click on
// points, and the marks of the pinned point and its neighbours. Its state (the points' grid, the columns held
// while the page starts) lives on the explorer's context.
import {gridIndex, gridVisit} from "./core.js";
import {$} from "./draw.js";
import {glyphAt} from "./hittest.js";
import {quantile, sortedFinite} from "./histogram.js";
import {viridisPalette} from "./ramp.js";

const HOVER_PX = 5;  // a point answers the pointer within this many pixels of its centre

function setBasis(ctx, basis) {
  const {meta, A, S, fig} = ctx;
  S.basis = basis;
  const [x0, x1, y0, y1] = meta.bounds[basis];
  fig.x_range.setv({start: x0, end: x1, reset_start: x0, reset_end: x1});
  fig.y_range.setv({start: y0, end: y1, reset_start: y0, reset_end: y1});
  updatePoints(ctx, {x: A["x_" + basis], y: A["y_" + basis]});
  ctx.grid = gridIndex(A["x_" + basis], A["y_" + basis], meta.bounds[basis]);
  ctx.refreshMarks();
  ctx.stateChanged();
}

// colour by an obs column: a categorical one by its palette (and the class list shows its categories), a
// numeric one by viridis over its 1st-99th percentiles with a colour bar
function setColor(ctx, by) {
  const {A, S} = ctx, col = ctx.column(by), c = Float32Array.from(A[col.array]);
  const numeric = col.kind === "numeric", newList = !numeric && S.catColumn !== by;
  S.colorBy = by;
  let palette, lo, hi;
  if (numeric) {
    const sorted = sortedFinite(c);
    palette = viridisPalette(10);
    lo = quantile(sorted, 0.01, 0);
    hi = quantile(sorted, 0.99, 1);
    if (hi <= lo) hi = lo + 1;
  } else {
    palette = col.palette.slice();
    lo = -0.5;
    hi = col.palette.length - 0.5;
  }
  ctx.mapper.setv({palette, low: lo, high: hi, low_color: numeric ? null : "#bbbbbb"});  // no category: grey
  ctx.colorbar.setv({visible: numeric, title: numeric ? `${by} (1st-99th percentile)` : ""});
  updatePoints(ctx, {c});
  if (newList) {  // the category list (and its filter) moves to this column
    S.catColumn = by;
    S.classes = null;
    ctx.countClasses();
    ctx.applyFilters();
  }
  ctx.renderClassList();  // swatches coloured or grey
  ctx.scheduleOverlay();  // the colour bar changes the frame's width
  ctx.stateChanged();
}

// the colour of shown point i under a categorical colouring, else null
function categoryColor(ctx, i) {
  const col = ctx.column(ctx.S.colorBy);
  if (col.kind !== "categorical") return null;
  const code = ctx.A[col.array][i];
  return code >= 0 ? col.palette[code] : null;
}

// new columns for the map's points: held while the page starts and given to bokeh once (each change of its data
// re-indexes every point), then given at once
function updatePoints(ctx, cols) {
  if (ctx.pendingPoints) Object.assign(ctx.pendingPoints, cols);
  else ctx.points.data = Object.assign({}, ctx.points.data, cols);
}
function flushPoints(ctx) {
  if (ctx.pendingPoints) ctx.points.data = ctx.pendingPoints;
  ctx.pendingPoints = null;
}

function plotView(ctx) {
  const index = window.Bokeh && window.Bokeh.index;
  if (!index) return null;
  if (typeof index.find_one === "function") return index.find_one(ctx.fig);
  for (const root of Object.values(index)) if (root.model === ctx.fig) return root;
  return null;
}

// the plot's data frame on the page (left, top), inside bokeh's canvas (bx, by: where bokeh's sx, sy start)
// and inside the map box (ox, oy: where the overlay goes)
function frame(ctx) {
  const view = plotView(ctx), mapbox = $("ll-mapbox").getBoundingClientRect();
  const canvas = view ? view.canvas_view.el.getBoundingClientRect() : mapbox;
  const b = view ? view.frame.bbox : {left: 0, top: 0, width: mapbox.width, height: mapbox.height};
  return {left: canvas.left + b.left, top: canvas.top + b.top, width: b.width, height: b.height, bx: b.left,
          by: b.top, ox: canvas.left - mapbox.left + b.left, oy: canvas.top - mapbox.top + b.top};
}

function dataToScreen(ctx, x, y, f) {
  const xr = ctx.fig.x_range, yr = ctx.fig.y_range;
  return [(x - xr.start) / (xr.end - xr.start) * f.width, (yr.end - y) / (yr.end - yr.start) * f.height];
}
const toScreen = (ctx, i, f) => dataToScreen(ctx, ctx.A["x_" + ctx.S.basis][i], ctx.A["y_" + ctx.S.basis][i], f);

function pagePoint(ctx, i) {
  const f = frame(ctx), [sx, sy] = toScreen(ctx, i, f);
  return {x: f.left + sx, y: f.top + sy};
}

// nearest shown point to a frame position within `radius` px; ties: the one drawn on top
function pointAt(ctx, sx, sy, radius, f = frame(ctx)) {
  const xr = ctx.fig.x_range, yr = ctx.fig.y_range;
  const perX = (xr.end - xr.start) / f.width, perY = (yr.end - yr.start) / f.height;
  let best = -1, bestD = radius * radius;
  gridVisit(ctx.grid, xr.start + sx * perX, yr.end - sy * perY, radius * perX, radius * perY, (i) => {
    if (!ctx.S.visible[i]) return;
    const [px, py] = toScreen(ctx, i, f), d = (px - sx) ** 2 + (py - sy) ** 2;
    if (d < bestD || (d === bestD && i > best)) { best = i; bestD = d; }
  });
  return best;
}

// what the pointer is over: a sketch drawn on the map (anywhere on it), else the nearest point within HOVER_PX
function under(ctx, e, f = frame(ctx)) {
  const sx = e.clientX - f.left, sy = e.clientY - f.top;
  if (sx < 0 || sy < 0 || sx > f.width || sy > f.height) return -1;
  const g = glyphAt(ctx.glyphs, sx, sy);
  return g >= 0 ? g : pointAt(ctx, sx, sy, HOVER_PX, f);
}

function hover(ctx, e) {
  if (ctx.debug.pinned >= 0 || !ctx.grid) return;
  const i = under(ctx, e);
  if (i >= 0 && i !== ctx.debug.inspected) ctx.inspect(i);
}

function tap(ctx, obj) {
  const f = frame(ctx), sx = obj.sx - f.bx, sy = obj.sy - f.by, g = glyphAt(ctx.glyphs, sx, sy);
  ctx.pin(g >= 0 ? g : pointAt(ctx, sx, sy, 10, f));
}

// rings on the pinned point and its neighbours, edges between them, and what decorations add
function refreshMarks(ctx) {
  const {A, S} = ctx, X = A["x_" + S.basis], Y = A["y_" + S.basis], i = ctx.debug.pinned;
  const m = {x: [], y: [], color: [], size: []}, e = {x0: [], y0: [], x1: [], y1: [], color: []};
  if (i >= 0) {
    for (const j of ctx.neighborsOf(i)) {
      m.x.push(X[j]); m.y.push(Y[j]); m.color.push("#e4572e"); m.size.push(12);
      e.x0.push(X[i]); e.y0.push(Y[i]); e.x1.push(X[j]); e.y1.push(Y[j]); e.color.push("#e4572e");
    }
    m.x.push(X[i]); m.y.push(Y[i]); m.color.push("#111"); m.size.push(18);
  }
  for (const d of ctx.decorations) if (d.marks) d.marks(m, e, S.basis);
  ctx.marks.data = m;
  ctx.edges.data = e;
  ctx.scheduleOverlay();
}

function controls(ctx) {
  const {meta, A, S} = ctx;
  meta.bases.forEach((b, i) => $("ll-basis").add(new Option(meta.basis_labels[i], b)));
  $("ll-basis").disabled = meta.bases.length < 2;
  $("ll-basis").onchange = (e) => ctx.setBasis(e.target.value);
  const present = (col) => new Set(A[col.array].filter((v) => v >= 0)).size > 1;  // a colour worth choosing
  const colorOptions = meta.columns.filter((col) => col.kind === "numeric" || present(col)).map((col) => col.name);
  for (const c of colorOptions) $("ll-color").add(new Option(c, c));
  if (!colorOptions.includes(S.colorBy)) S.colorBy = colorOptions[0];
  $("ll-color").value = S.colorBy;
  $("ll-color").onchange = (e) => ctx.setColor(e.target.value);
  const tools = ctx.fig.toolbar.tools;
  const drag = {pan: tools.find((t) => t.type === "PanTool"), box: tools.find((t) => t.type === "BoxSelectTool"),
                lasso: tools.find((t) => t.type === "LassoSelectTool")};
  $("ll-drag").onchange = (e) => { for (const [key, t] of Object.entries(drag)) t.active = key === e.target.value; };
}

// the map's part of the context: its calls, bokeh's tap hook, the pointer's hover
export function setupMap(ctx) {
  const bind = (f) => (...args) => f(ctx, ...args);
  Object.assign(ctx, {setBasis: bind(setBasis), setColor: bind(setColor), categoryColor: bind(categoryColor),
                      updatePoints: bind(updatePoints), flushPoints: bind(flushPoints), plotView: bind(plotView),
                      frame: bind(frame), dataToScreen: bind(dataToScreen), toScreen: bind(toScreen),
                      pointAt: bind(pointAt), refreshMarks: bind(refreshMarks), glyphs: [], grid: null});
  ctx.hooks.tap = bind(tap);
  Object.assign(ctx.debug, {pagePoint: bind(pagePoint), pointAt: ctx.pointAt, frame: ctx.frame});
  document.addEventListener("pointermove", (e) => { ctx.debug.moveTime = e.timeStamp; }, true);
  $("ll-mapbox").addEventListener("pointermove", bind(hover));
  controls(ctx);
  const n = ctx.n;
  ctx.pendingPoints = {x: ctx.A["x_" + ctx.S.basis], y: ctx.A["y_" + ctx.S.basis], c: new Float32Array(n),
                       a: new Float32Array(n).fill(0.75)};
}

// The single file's sketches drawn on the map (glyphs.js chooses them), never covering the pinned point, its
// neighbours or a decoration's points; and the labels of the colour column's categories (labels.js).
import {$, drawSketch} from "./draw.js";
import {chooseGlyphs, covers} from "./glyphs.js";
import {drawLabels} from "./labels.js";

const WATCH_FRAMES = 30;
const frameKey = (f) => [f.ox, f.oy, f.width, f.height].map(Math.round).join();

// redraw on the next frame, then keep watching the frame for a while: bokeh lays the map out again some frames
// after a window resize or a colour bar appearing, and the sketches must follow their points
function scheduleOverlay(ctx) {
  const o = ctx.overlayState;
  o.settling = WATCH_FRAMES;
  if (o.pending) return;
  o.pending = true;
  const tick = () => {
    if (o.pending || frameKey(ctx.frame()) !== o.drawnFor) { o.pending = false; drawOverlay(ctx); }
    if (--o.settling > 0) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function inView(ctx, f) {
  const {n, S} = ctx, found = [];
  for (let i = 0; i < n; i++) {
    if (!S.visible[i]) continue;
    const [sx, sy] = ctx.toScreen(i, f);
    if (sx >= 0 && sx <= f.width && sy >= 0 && sy <= f.height) found.push([i, sx, sy]);
  }
  return found;
}

function kept(ctx, f) {  // screen positions a glyph must not cover
  const {S, debug} = ctx, marked = debug.pinned < 0 ? [] : [debug.pinned].concat(ctx.neighborsOf(debug.pinned))
    .map((j) => ctx.toScreen(j, f));
  for (const d of ctx.decorations) if (d.keep) marked.push(...d.keep(S.basis).map(([x, y]) => ctx.dataToScreen(x, y, f)));
  return marked;
}

function glyph(ctx, c, i, sx, sy, size) {
  const color = ctx.categoryColor(i);  // the frame keeps the point's category colour
  c.fillStyle = "rgba(255,255,255,0.93)";
  c.strokeStyle = color || "rgba(0,0,0,0.25)";
  c.lineWidth = color ? 2 : 1;
  c.beginPath();
  c.roundRect(sx - size / 2, sy - size / 2, size, size, 4);
  c.fill();
  c.stroke();
  drawSketch(c, ctx.A, "orig", i, sx, sy, size, "#222", size > 40 ? 1.3 : 1);
}

function drawOverlay(ctx) {
  const {S, debug} = ctx, f = ctx.frame(), ratio = window.devicePixelRatio || 1, overlay = $("ll-overlay");
  const o = ctx.overlayState;
  o.drawnFor = frameKey(f);
  const view = ctx.plotView();
  if (view && !o.watched) {  // bokeh resizes its canvas some time after the window: redraw when it does
    o.watched = true;
    new ResizeObserver(() => scheduleOverlay(ctx)).observe(view.canvas_view.el);
  }
  Object.assign(overlay.style, {left: f.ox + "px", top: f.oy + "px", width: f.width + "px", height: f.height + "px"});
  overlay.width = Math.round(f.width * ratio);
  overlay.height = Math.round(f.height * ratio);
  const c = overlay.getContext("2d");
  c.scale(ratio, ratio);
  c.clearRect(0, 0, f.width, f.height);
  debug.overlayRows = [];
  ctx.glyphs = debug.glyphs = [];
  debug.labels = [];
  if (!(f.width > 0)) return;
  if ($("ll-thumbs").checked) drawGlyphs(ctx, c, f);
  for (const d of ctx.decorations) if (d.overlay) d.overlay(c, f, S.basis);
  if ($("ll-labels").checked) drawMapLabels(ctx, c, f);
}

// the colour column's labels, each where its category's points are (left out when the category is hidden)
function drawMapLabels(ctx, c, f) {
  const {meta, S, debug} = ctx, labels = (meta.labels || {})[S.colorBy] || [], col = ctx.column(S.colorBy);
  const shown = (code) => S.catColumn !== S.colorBy || !S.classes || S.classes.has(code);
  const place = (l) => (shown(l.code) ? ctx.dataToScreen(...l.at[S.basis], f) : null);
  debug.labels = drawLabels(c, labels, place, (code) => col.palette[code], f.width, f.height);
}

function drawGlyphs(ctx, c, f) {
  const marked = kept(ctx, f);
  const chosen = chooseGlyphs(inView(ctx, f), f.width).filter((g) => !covers(g, marked));
  for (const [i, sx, sy, size] of chosen) glyph(ctx, c, i, sx, sy, size);
  ctx.debug.overlayRows = chosen.map((g) => ctx.A.row[g[0]]);
  ctx.glyphs = ctx.debug.glyphs = chosen;
}

// the overlay's part of the context: drawn again as the view, the window or the map's box change
export function setupOverlay(ctx) {
  ctx.overlayState = {pending: false, drawnFor: "", settling: 0, watched: false};
  const schedule = () => scheduleOverlay(ctx), draw = () => drawOverlay(ctx);
  Object.assign(ctx, {scheduleOverlay: schedule, drawOverlay: draw});
  ctx.hooks.viewChanged = () => { schedule(); ctx.stateChanged(); };
  window.addEventListener("resize", schedule);
  new ResizeObserver(schedule).observe($("ll-mapbox"));
  $("ll-thumbs").onchange = draw;  // at once: hover must not find sketches no longer drawn
  $("ll-labels").onchange = draw;
}

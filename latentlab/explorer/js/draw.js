// Drawing on canvases and making elements: what every view of the page shares.
// Every string from the data reaches the page through textContent (never innerHTML).
import {polylines} from "./core.js";

export const $ = (id) => document.getElementById(id);
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Draw polylines centred in the box (cx, cy, size) of a 2-D context, aspect kept.
export function drawLines(ctx, lines, cx, cy, size, color, width) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const l of lines) for (let k = 0; k < l.length; k += 2) {
    x0 = Math.min(x0, l[k]); x1 = Math.max(x1, l[k]); y0 = Math.min(y0, l[k + 1]); y1 = Math.max(y1, l[k + 1]);
  }
  if (!lines.length) return;
  const margin = Math.max(2, size * 0.06), s = (size - 2 * margin) / Math.max(x1 - x0, y1 - y0, 1e-6);
  const ox = cx - (x0 + x1) / 2 * s, oy = cy - (y0 + y1) / 2 * s;
  ctx.strokeStyle = color || "#111";
  ctx.lineWidth = width || Math.max(1, size / 110);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  for (const l of lines) {
    ctx.moveTo(ox + l[0] * s, oy + l[1] * s);
    if (l.length === 2) ctx.lineTo(ox + l[0] * s + 0.01, oy + l[1] * s);
    for (let k = 2; k < l.length; k += 2) ctx.lineTo(ox + l[k] * s, oy + l[k + 1] * s);
  }
  ctx.stroke();
}
export const drawSketch = (ctx, A, which, i, cx, cy, size, color, width) =>
  drawLines(ctx, polylines(A, which, i), cx, cy, size, color, width);

// Paint polylines (or nothing, for null) filling a square canvas at the screen's pixel ratio.
export function paintLines(canvas, lines, color) {
  const ratio = window.devicePixelRatio || 1, w = canvas.clientWidth || canvas.width;
  if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = canvas.width; }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!lines) return;
  ctx.scale(ratio, ratio);
  drawLines(ctx, lines, w / 2, w / 2, w, color || "#111", Math.max(1.2, w / 120));
}
export const paintCanvas = (canvas, A, which, i) => paintLines(canvas, i < 0 ? null : polylines(A, which, i));

// the rows of a disc `d` px across: [dy, x0, x1) each, from its top-left corner
export function discRows(d) {
  const r = d / 2, rows = [];
  for (let y = 0; y < d; y++) {
    const h = Math.sqrt(Math.max(0, r * r - (y + 0.5 - r) ** 2));
    rows.push([y, Math.round(r - h), Math.round(r + h)]);
  }
  return rows;
}

// lines from screen point `from` to each of `to`
export function edges(ctx, from, to, color) {
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.75;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (const [x, y] of to) { ctx.moveTo(...from); ctx.lineTo(x, y); }
  ctx.stroke();
  ctx.globalAlpha = 1;
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

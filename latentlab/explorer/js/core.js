// latentlab's page helpers that touch no page: packed arrays, stroke tables, drawings -> stroke-3, latent paths.
export const DTYPES = {float32: Float32Array, int32: Int32Array, uint32: Uint32Array, int16: Int16Array,
                uint16: Uint16Array, uint8: Uint8Array, int8: Int8Array};

// text of 7-bit characters (latentlab.explorer.packing.to_text) -> bytes; U+0100 + v stands for an unsafe value v
export function unpack(text) {
  const out = new Uint8Array(Math.floor(text.length * 7 / 8));
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < text.length; i++) {
    acc = ((acc << 7) | (text.charCodeAt(i) & 0x7f)) & 0x7fff;
    bits += 7;
    if (bits >= 8) { bits -= 8; out[o++] = acc >> bits; }
  }
  return out;
}

// latentlab.explorer.packing.pack_binary's file (ArrayBuffer) -> {bytes: the inflated Uint8Array, header}
export async function inflateBinary(buffer) {
  const n = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
  const stream = new Blob([new Uint8Array(buffer, 4 + n)]).stream().pipeThrough(new DecompressionStream("deflate"));
  return {bytes: new Uint8Array(await new Response(stream).arrayBuffer()), header};
}

// latentlab.explorer.packing.pack_binary's file (ArrayBuffer) -> typed-array views of its arrays
export async function unpackBinary(buffer) {
  const {bytes, header} = await inflateBinary(buffer);
  return views(bytes, header);
}

// typed-array views of the inflated bytes, by the pack's header {name: [dtype, byte offset, shape]}
export function views(buf, header) {
  const out = {};
  for (const [name, [dtype, offset, shape]] of Object.entries(header)) {
    const count = shape.reduce((a, b) => a * b, 1);
    out[name] = new DTYPES[dtype](buf.buffer, buf.byteOffset + offset, count);
  }
  return out;
}

// sketch i of a stroke table (latentlab.explorer.sketchtable: <which>_ids, _offsets, _steps, _starts) -> polylines
export function polylines(A, which, i) {
  const ids = A[which + "_ids"], offsets = A[which + "_offsets"], steps = A[which + "_steps"],
        starts = A[which + "_starts"];
  const j = ids[i], lines = [];
  let x = 0, y = 0, line = null;
  for (let p = offsets[j]; p < offsets[j + 1]; p++) {
    x += steps[2 * p];
    y += steps[2 * p + 1];
    if (starts[p] || !line) { line = []; lines.push(line); }
    line.push(x, y);
  }
  return lines;
}

// sketch i of a stroke table -> stroke-3 rows [[dx, dy, pen], ...] in the table's lattice units (pen 1 ends a
// stroke), the first step from the origin
export function strokesOf(A, which, i) {
  const rows = [];
  let px = 0, py = 0;
  for (const line of polylines(A, which, i)) {
    for (let k = 0; k < line.length; k += 2) {
      rows.push([line[k] - px, line[k + 1] - py, k === line.length - 2 ? 1 : 0]);
      px = line[k]; py = line[k + 1];
    }
  }
  return rows;
}

// stroke-3 points (flat [dx, dy, pen] rows) -> polylines, as polylines() reads the stored tables
export function pointLines(points) {
  const lines = [];
  let x = 0, y = 0, line = null;
  for (let p = 0; p < points.length; p += 3) {
    x += points[p]; y += points[p + 1];
    if (!line) { line = []; lines.push(line); }
    line.push(x, y);
    if (points[p + 2] > 0.5) line = null;
  }
  return lines;
}

// Ramer-Douglas-Peucker: which points of one stroke to keep at tolerance eps (as latentlab.io.quickdraw)
export function rdpMask(xs, ys, eps) {
  const n = xs.length, keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    if (b - a < 2) continue;
    const abx = xs[b] - xs[a], aby = ys[b] - ys[a], norm = Math.hypot(abx, aby);
    let best = -1, bestD = -1;
    for (let i = a + 1; i < b; i++) {
      const d = norm === 0 ? Math.hypot(xs[i] - xs[a], ys[i] - ys[a]) :
        Math.abs(abx * (ys[i] - ys[a]) - aby * (xs[i] - xs[a])) / norm;
      if (d > bestD) { best = i; bestD = d; }
    }
    if (bestD > eps) { keep[best] = 1; stack.push([a, best], [best, b]); }
  }
  return keep;
}

export function roundHalfEven(v) {  // numpy's round
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// strokes: [[x...], [y...]] per pen-down stroke, any units -> [[dx, dy, pen], ...], with the settings (side,
// rdp_epsilon, first_point) the report measured on the stored sketches (latentlab.io.quickdraw.drawing_conversion)
export function fromDrawing(strokes, settings) {
  const {side, rdp_epsilon: eps, first_point: firstPoint} = settings;
  strokes = strokes.filter((s) => s[0].length);
  if (!strokes.length) throw new Error("the drawing has no points");
  const all = (k) => strokes.flatMap((s) => s[k]);
  const x0 = Math.min(...all(0)), y0 = Math.min(...all(1));
  const extent = Math.max(Math.max(...all(0)) - x0, Math.max(...all(1)) - y0);
  const scale = extent > 0 ? side / extent : 1;
  const rows = [];
  let px = 0, py = 0;
  for (const [sx, sy] of strokes) {
    const xs = sx.map((v) => (v - x0) * scale), ys = sy.map((v) => (v - y0) * scale);
    const keep = xs.length > 2 ? rdpMask(xs, ys, eps) : xs.map(() => 1);
    const kept = xs.map((_, i) => i).filter((i) => keep[i]);
    kept.forEach((i, j) => {
      const x = roundHalfEven(xs[i]), y = roundHalfEven(ys[i]);
      rows.push([x - px, y - py, j === kept.length - 1 ? 1 : 0]);
      px = x; py = y;
    });
  }
  if (firstPoint === "origin") {  // magenta's lines_to_strokes: the first point is the origin, not a row
    if (rows.length < 2) throw new Error("the drawing has a single point");
    rows.shift();
  }
  return rows;
}

const dot = (a, b) => a.reduce((s, v, d) => s + v * b[d], 0);
export function lerp(a, b, t) { return a.map((v, d) => (1 - t) * v + t * b[d]); }

// latentlab.tl.slerp: lerp for (near-)parallel or zero vectors; opposite ones turn through a fixed orthogonal
// direction (the axis a points least along) while the norm moves linearly; exact at t = 0 and 1
export function slerp(a, b, t) {
  if (t === 0) return a.slice();
  if (t === 1) return b.slice();
  const na = Math.hypot(...a), nb = Math.hypot(...b);
  if (na < 1e-7 || nb < 1e-7) return lerp(a, b, t);
  const cos = Math.min(1, Math.max(-1, dot(a, b) / (na * nb)));
  const omega = Math.acos(cos), so = Math.sin(omega);
  if (so > 1e-6) {
    const ka = Math.sin((1 - t) * omega) / so, kb = Math.sin(t * omega) / so;
    return a.map((v, d) => ka * v + kb * b[d]);
  }
  if (cos > 0) return lerp(a, b, t);
  const ua = a.map((v) => v / na);
  let axis = 0;
  ua.forEach((v, d) => { if (Math.abs(v) < Math.abs(ua[axis])) axis = d; });
  const u = ua.map((v, d) => (d === axis ? 1 : 0) - ua[axis] * v), nu = Math.hypot(...u);
  const radius = (1 - t) * na + t * nb, c = Math.cos(Math.PI * t), s = Math.sin(Math.PI * t);
  return ua.map((v, d) => radius * (c * v + s * u[d] / nu));
}

// a uniform grid over points (X, Y) in bounds [x0, x1, y0, y1]: items sorted by cell, cell c's items at
// items[start[c]:start[c + 1]]; built in O(n), for hover and click lookups without a scan of every point
export function gridIndex(X, Y, bounds, side = 256) {
  const [x0, x1, y0, y1] = bounds, n = X.length, cw = (x1 - x0) / side || 1, ch = (y1 - y0) / side || 1;
  const clamp = (v) => Math.min(side - 1, Math.max(0, Math.floor(v)));
  const cell = new Uint32Array(n), start = new Uint32Array(side * side + 1);
  for (let i = 0; i < n; i++) {
    cell[i] = clamp((Y[i] - y0) / ch) * side + clamp((X[i] - x0) / cw);
    start[cell[i] + 1]++;
  }
  for (let c = 0; c < side * side; c++) start[c + 1] += start[c];
  const fill = start.slice(0, side * side), items = new Uint32Array(n);
  for (let i = 0; i < n; i++) items[fill[cell[i]]++] = i;
  return {x0, y0, cw, ch, side, start, items, clamp};
}

// call visit(i) for every point of the cells that overlap [x - rx, x + rx] x [y - ry, y + ry]
export function gridVisit(g, x, y, rx, ry, visit) {
  const a = g.clamp((x - rx - g.x0) / g.cw), b = g.clamp((x + rx - g.x0) / g.cw);
  const c = g.clamp((y - ry - g.y0) / g.ch), d = g.clamp((y + ry - g.y0) / g.ch);
  for (let row = c; row <= d; row++) {
    for (let k = g.start[row * g.side + a]; k < g.start[row * g.side + b + 1]; k++) visit(g.items[k]);
  }
}

// latentlab's explorer: explorer.bundle.js, bundled by esbuild from latentlab/explorer/js/main-explorer.js (make js); edit the modules, not this file.
(() => {
  // core.js
  var DTYPES = {
    float32: Float32Array,
    int32: Int32Array,
    uint32: Uint32Array,
    int16: Int16Array,
    uint16: Uint16Array,
    uint8: Uint8Array,
    int8: Int8Array
  };
  function unpack(text) {
    const out = new Uint8Array(Math.floor(text.length * 7 / 8));
    let acc = 0, bits = 0, o = 0;
    for (let i = 0; i < text.length; i++) {
      acc = (acc << 7 | text.charCodeAt(i) & 127) & 32767;
      bits += 7;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = acc >> bits;
      }
    }
    return out;
  }
  async function inflateBinary(buffer) {
    const n = new DataView(buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
    const stream = new Blob([new Uint8Array(buffer, 4 + n)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return { bytes: new Uint8Array(await new Response(stream).arrayBuffer()), header };
  }
  async function unpackBinary(buffer) {
    const { bytes, header } = await inflateBinary(buffer);
    return views(bytes, header);
  }
  function views(buf, header) {
    const out = {};
    for (const [name, [dtype, offset, shape]] of Object.entries(header)) {
      const count = shape.reduce((a, b) => a * b, 1);
      out[name] = new DTYPES[dtype](buf.buffer, buf.byteOffset + offset, count);
    }
    return out;
  }
  function polylines(A, which, i) {
    const ids = A[which + "_ids"], offsets = A[which + "_offsets"], steps = A[which + "_steps"], starts = A[which + "_starts"];
    const j = ids[i], lines = [];
    let x = 0, y = 0, line = null;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      x += steps[2 * p];
      y += steps[2 * p + 1];
      if (starts[p] || !line) {
        line = [];
        lines.push(line);
      }
      line.push(x, y);
    }
    return lines;
  }
  function strokesOf(A, which, i) {
    const rows = [];
    let px = 0, py = 0;
    for (const line of polylines(A, which, i)) {
      for (let k = 0; k < line.length; k += 2) {
        rows.push([line[k] - px, line[k + 1] - py, k === line.length - 2 ? 1 : 0]);
        px = line[k];
        py = line[k + 1];
      }
    }
    return rows;
  }
  function pointLines(points) {
    const lines = [];
    let x = 0, y = 0, line = null;
    for (let p = 0; p < points.length; p += 3) {
      x += points[p];
      y += points[p + 1];
      if (!line) {
        line = [];
        lines.push(line);
      }
      line.push(x, y);
      if (points[p + 2] > 0.5) line = null;
    }
    return lines;
  }
  function rdpMask(xs, ys, eps) {
    const n = xs.length, keep = new Uint8Array(n);
    keep[0] = keep[n - 1] = 1;
    const stack = [[0, n - 1]];
    while (stack.length) {
      const [a, b] = stack.pop();
      if (b - a < 2) continue;
      const abx = xs[b] - xs[a], aby = ys[b] - ys[a], norm = Math.hypot(abx, aby);
      let best = -1, bestD = -1;
      for (let i = a + 1; i < b; i++) {
        const d = norm === 0 ? Math.hypot(xs[i] - xs[a], ys[i] - ys[a]) : Math.abs(abx * (ys[i] - ys[a]) - aby * (xs[i] - xs[a])) / norm;
        if (d > bestD) {
          best = i;
          bestD = d;
        }
      }
      if (bestD > eps) {
        keep[best] = 1;
        stack.push([a, best], [best, b]);
      }
    }
    return keep;
  }
  function roundHalfEven(v) {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }
  function fromDrawing(strokes, settings) {
    const { side, rdp_epsilon: eps, first_point: firstPoint } = settings;
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
        px = x;
        py = y;
      });
    }
    if (firstPoint === "origin") {
      if (rows.length < 2) throw new Error("the drawing has a single point");
      rows.shift();
    }
    return rows;
  }
  var dot = (a, b) => a.reduce((s, v, d) => s + v * b[d], 0);
  function lerp(a, b, t) {
    return a.map((v, d) => (1 - t) * v + t * b[d]);
  }
  function slerp(a, b, t) {
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
    ua.forEach((v, d) => {
      if (Math.abs(v) < Math.abs(ua[axis])) axis = d;
    });
    const u = ua.map((v, d) => (d === axis ? 1 : 0) - ua[axis] * v), nu = Math.hypot(...u);
    const radius = (1 - t) * na + t * nb, c = Math.cos(Math.PI * t), s = Math.sin(Math.PI * t);
    return ua.map((v, d) => radius * (c * v + s * u[d] / nu));
  }
  function gridIndex(X, Y, bounds, side = 256) {
    const [x0, x1, y0, y1] = bounds, n = X.length, cw = (x1 - x0) / side || 1, ch = (y1 - y0) / side || 1;
    const clamp = (v) => Math.min(side - 1, Math.max(0, Math.floor(v)));
    const cell3 = new Uint32Array(n), start = new Uint32Array(side * side + 1);
    for (let i = 0; i < n; i++) {
      cell3[i] = clamp((Y[i] - y0) / ch) * side + clamp((X[i] - x0) / cw);
      start[cell3[i] + 1]++;
    }
    for (let c = 0; c < side * side; c++) start[c + 1] += start[c];
    const fill = start.slice(0, side * side), items = new Uint32Array(n);
    for (let i = 0; i < n; i++) items[fill[cell3[i]]++] = i;
    return { x0, y0, cw, ch, side, start, items, clamp };
  }
  function gridVisit(g, x, y, rx, ry, visit) {
    const a = g.clamp((x - rx - g.x0) / g.cw), b = g.clamp((x + rx - g.x0) / g.cw);
    const c = g.clamp((y - ry - g.y0) / g.ch), d = g.clamp((y + ry - g.y0) / g.ch);
    for (let row3 = c; row3 <= d; row3++) {
      for (let k = g.start[row3 * g.side + a]; k < g.start[row3 * g.side + b + 1]; k++) visit(g.items[k]);
    }
  }

  // draw.js
  var $ = (id) => document.getElementById(id);
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== void 0) e.textContent = text;
    return e;
  }
  function drawLines(ctx, lines, cx, cy, size, color, width) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const l of lines) for (let k = 0; k < l.length; k += 2) {
      x0 = Math.min(x0, l[k]);
      x1 = Math.max(x1, l[k]);
      y0 = Math.min(y0, l[k + 1]);
      y1 = Math.max(y1, l[k + 1]);
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
  var drawSketch = (ctx, A, which, i, cx, cy, size, color, width) => drawLines(ctx, polylines(A, which, i), cx, cy, size, color, width);
  function paintLines(canvas, lines, color) {
    const ratio = window.devicePixelRatio || 1, w = canvas.clientWidth || canvas.width;
    if (canvas.width !== Math.round(w * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = canvas.width;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!lines) return;
    ctx.scale(ratio, ratio);
    drawLines(ctx, lines, w / 2, w / 2, w, color || "#111", Math.max(1.2, w / 120));
  }
  var paintCanvas = (canvas, A, which, i) => paintLines(canvas, i < 0 ? null : polylines(A, which, i));
  function discRows(d) {
    const r = d / 2, rows = [];
    for (let y = 0; y < d; y++) {
      const h = Math.sqrt(Math.max(0, r * r - (y + 0.5 - r) ** 2));
      rows.push([y, Math.round(r - h), Math.round(r + h)]);
    }
    return rows;
  }
  function edges(ctx, from, to, color) {
    ctx.strokeStyle = color;
    ctx.globalAlpha = 0.75;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const [x, y] of to) {
      ctx.moveTo(...from);
      ctx.lineTo(x, y);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
  function drawDrawing(c, lines, sx, sy, size = 64) {
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

  // files.js
  var source = null;
  async function fetchBuffer(path) {
    if (source) return source(path);
    const response = await fetch(path);
    if (!response.ok) throw new Error(`${path} (${response.status} ${response.statusText})`);
    return response.arrayBuffer();
  }
  function filesFrom(read) {
    source = read;
  }
  function inlineFiles(text, where) {
    let bytes = null;
    filesFrom(async (path) => {
      if (!where[path]) throw new Error(`${path} (not in this page)`);
      bytes = bytes || unpack(text);
      const [offset, length] = where[path];
      return bytes.buffer.slice(offset, offset + length);
    });
  }

  // hittest.js
  function insidePolygon(poly, x, y) {
    let hit = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i], [xj, yj] = poly[j];
      if (yi > y !== yj > y && x < (xj - xi) * (y - yi) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
  }
  function boxPolygon([x0, y0, x1, y1]) {
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  }
  function dragBox([sx, sy], x, y) {
    return [Math.min(sx, x), Math.min(sy, y), Math.max(sx, x), Math.max(sy, y)];
  }
  function overlaps(a, b) {
    return !(a[2] < b[0] || a[0] > b[2] || a[3] < b[1] || a[1] > b[3]);
  }
  function glyphAt(glyphs2, sx, sy) {
    let found = -1;
    for (const [i, gx, gy, size] of glyphs2) {
      if (Math.abs(sx - gx) <= size / 2 && Math.abs(sy - gy) <= size / 2) found = i;
    }
    return found;
  }

  // issues.js
  var KINDS = [
    ["label", "likely mislabelled"],
    ["outlier", "unlike the rest (out of domain)"],
    ["near_duplicate", "near duplicates"]
  ];
  function issueCell(worst, pinRow) {
    const box = el("div", "cell"), canvas = el("canvas");
    canvas.width = canvas.height = 84 * (window.devicePixelRatio || 1);
    box.append(canvas, el("div", "cap", `#${worst.row}`));
    if (worst.given) box.append(el("div", "cap", `${worst.given} → ${worst.suggested}`));
    box.title = `score ${worst.score}`;
    box.onclick = () => pinRow(worst.row);
    requestAnimationFrame(() => paintLines(canvas, worst.thumb));
    return box;
  }
  function showIssues(issues, pinRow) {
    const panel = $("ll-issues");
    if (!issues) {
      panel.hidden = true;
      return;
    }
    const parts = [];
    for (const [kind, title] of KINDS) {
      const found = issues[kind];
      if (!found) continue;
      parts.push(el("h3", "", `${title}: ${found.issues.toLocaleString("en")} flagged; lowest scores`));
      const cells = el("div", "cells");
      cells.append(...found.worst.map((w) => issueCell(w, pinRow)));
      parts.push(cells);
    }
    $("ll-issues-body").replaceChildren(...parts);
    panel.hidden = false;
  }

  // share.js
  var MAX_HASH_ROWS = 500;
  function numbers(text) {
    if (!text) return [];
    const out = text.split(",").map(Number);
    return out.every(Number.isFinite) ? out : null;
  }
  function encodeState(state2) {
    const parts = [];
    for (const [key, value] of Object.entries(state2)) {
      if (value === null || value === void 0 || value === "") continue;
      let text = value;
      if (value instanceof Set) text = [...value].sort((a, b) => a - b).join(",");
      else if (Array.isArray(value)) text = value.map((v) => typeof v === "number" ? +v.toPrecision(7) : v).join(",");
      if (text === "") continue;
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(text))}`);
    }
    return parts.join("&");
  }
  function decodeState(hash, lists = []) {
    const out = {};
    for (const part of hash.replace(/^#/, "").split("&")) {
      if (!part) continue;
      const eq = part.indexOf("="), key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      const text = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
      if (lists.includes(key)) {
        const values = numbers(text);
        if (values) out[key] = values;
      } else {
        out[key] = text;
      }
    }
    return out;
  }
  var hashRows = (rows) => rows.length <= MAX_HASH_ROWS ? rows : null;
  function csvField(value) {
    const text = value === null || value === void 0 ? "" : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  function toCsv(columns, rows) {
    return [columns, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
  }
  var DESCR = {
    Int16Array: "<i2",
    Int32Array: "<i4",
    Float32Array: "<f4",
    Uint32Array: "<u4",
    Uint8Array: "|u1",
    Float64Array: "<f8",
    BigInt64Array: "<i8"
  };
  function npy(array, shape) {
    const descr = DESCR[array.constructor.name];
    if (!descr) throw new Error(`no .npy type for ${array.constructor.name}`);
    const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
    let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
    header += " ".repeat(63 - (10 + header.length) % 64) + "\n";
    const out = new Uint8Array(10 + header.length + array.byteLength), view = new DataView(out.buffer);
    out.set([147, 78, 85, 77, 80, 89, 1, 0]);
    view.setUint16(8, header.length, true);
    out.set(new TextEncoder().encode(header), 10);
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 10 + header.length);
    return out;
  }
  var CRC = Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
    return c >>> 0;
  });
  function crc32(bytes) {
    let c = 4294967295;
    for (const b of bytes) c = CRC[(c ^ b) & 255] ^ c >>> 8;
    return (c ^ 4294967295) >>> 0;
  }
  function zip(files) {
    const enc = new TextEncoder(), locals = [], central = [];
    let offset = 0;
    for (const [name, data] of Object.entries(files)) {
      const n = enc.encode(name), crc = crc32(data);
      const local = new Uint8Array(30 + n.length), lv = new DataView(local.buffer);
      lv.setUint32(0, 67324752, true);
      lv.setUint16(4, 20, true);
      lv.setUint32(14, crc, true);
      lv.setUint32(18, data.length, true);
      lv.setUint32(22, data.length, true);
      lv.setUint16(26, n.length, true);
      local.set(n, 30);
      const entry = new Uint8Array(46 + n.length), cv = new DataView(entry.buffer);
      cv.setUint32(0, 33639248, true);
      cv.setUint16(4, 20, true);
      cv.setUint16(6, 20, true);
      cv.setUint32(16, crc, true);
      cv.setUint32(20, data.length, true);
      cv.setUint32(24, data.length, true);
      cv.setUint16(28, n.length, true);
      cv.setUint32(42, offset, true);
      entry.set(n, 46);
      locals.push(local, data);
      central.push(entry);
      offset += local.length + data.length;
    }
    const size = central.reduce((s, e) => s + e.length, 0), end = new Uint8Array(22), ev = new DataView(end.buffer);
    ev.setUint32(0, 101010256, true);
    ev.setUint16(8, central.length, true);
    ev.setUint16(10, central.length, true);
    ev.setUint32(12, size, true);
    ev.setUint32(16, offset, true);
    const parts = [...locals, ...central, end], out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  function sketchesNpz(rows, sketches) {
    const total = sketches.reduce((s, k) => s + k.length, 0), strokes = new Int16Array(total * 3);
    const offsets = new BigInt64Array(sketches.length + 1);
    let p = 0;
    sketches.forEach((sketch, j) => {
      for (const [dx, dy, pen] of sketch) {
        strokes[p * 3] = dx;
        strokes[p * 3 + 1] = dy;
        strokes[p * 3 + 2] = pen;
        p++;
      }
      offsets[j + 1] = BigInt(p);
    });
    return zip({
      "rows.npy": npy(BigInt64Array.from(rows, BigInt), [rows.length]),
      "strokes.npy": npy(strokes, [total, 3]),
      "offsets.npy": npy(offsets, [sketches.length + 1])
    });
  }

  // exporting.js
  function download(name, data, type) {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1e3);
  }
  function cell(col, { A, i }) {
    const v = A[col.array][i];
    if (col.kind === "categorical") return v >= 0 ? col.categories[v] : "";
    return Number.isFinite(v) ? v : "";
  }
  function selectionCsv(items, columns) {
    return toCsv(["row", ...columns.map((c) => c.name)], items.map((it) => [it.A.row[it.i], ...columns.map((c) => cell(c, it))]));
  }
  function setupExport(items, columns, store) {
    const name = store.replace(/\.[^.]*$/, "") || "selection";
    const rows = () => items().map(({ A, i }) => A.row[i]);
    $("ll-export-ids").onclick = () => download(`${name}_rows.txt`, rows().join("\n") + "\n", "text/plain");
    $("ll-export-csv").onclick = () => download(`${name}_rows.csv`, selectionCsv(items(), columns), "text/csv");
    $("ll-export-npz").onclick = () => {
      const chosen = items();
      download(
        `${name}_sketches.npz`,
        sketchesNpz(rows(), chosen.map(({ A, i }) => strokesOf(A, "orig", i))),
        "application/octet-stream"
      );
    };
    return () => {
      const none = !items().length;
      for (const id of ["ll-export-ids", "ll-export-csv", "ll-export-npz"]) $(id).disabled = none;
    };
  }

  // tabs.js
  function show(name) {
    for (const b of document.querySelectorAll("#ll-tabs button")) b.setAttribute("aria-selected", b.dataset.tab === name);
    for (const p of document.querySelectorAll(".ll-panel")) p.classList.toggle("on", p.dataset.tab === name);
    document.dispatchEvent(new Event("ll-tab"));
  }
  function sync() {
    for (const p of document.querySelectorAll(".ll-panel")) {
      const empty = p.children.length === 1 && p.firstElementChild.hidden;
      document.querySelector(`#ll-tabs button[data-tab="${p.dataset.tab}"]`).hidden = empty;
    }
  }
  function restore(name) {
    if (name && document.querySelector(`#ll-tabs button[data-tab="${name}"]:not([hidden])`)) show(name);
  }
  function setupTabs(first = "neighbours") {
    for (const b of document.querySelectorAll("#ll-tabs button")) b.onclick = () => show(b.dataset.tab);
    new MutationObserver(sync).observe($("ll-panels"), { attributes: true, attributeFilter: ["hidden"], subtree: true });
    sync();
    show(first);
    return { show, restore, current: () => document.querySelector(".ll-panel.on").dataset.tab };
  }

  // labels.js
  var THUMB = 26;
  var PAD = 3;
  var FONT = "600 12px system-ui, -apple-system, sans-serif";
  function placeLabels(labels, place, textWidth, width, height) {
    const placed = [];
    for (const label2 of labels) {
      const at = place(label2);
      if (!at) continue;
      const [x, y] = at;
      const box = [
        x - THUMB / 2 - PAD,
        y - THUMB / 2 - PAD,
        x + THUMB / 2 + 3 * PAD + textWidth(label2.text),
        y + THUMB / 2 + PAD
      ];
      if (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height) continue;
      if (placed.some((p) => overlaps(p.box, box))) continue;
      placed.push({ label: label2, x, y, box });
    }
    return placed;
  }
  function drawLabels(c, labels, place, color, width, height) {
    c.save();
    c.font = FONT;
    c.textBaseline = "middle";
    const placed = placeLabels(labels, place, (text) => c.measureText(text).width, width, height);
    for (const { label: label2, x, y, box } of placed) {
      c.fillStyle = "rgba(255,255,255,0.92)";
      c.strokeStyle = color(label2.code) || "#666";
      c.lineWidth = 2;
      c.beginPath();
      c.roundRect(box[0], box[1], box[2] - box[0], box[3] - box[1], 5);
      c.fill();
      c.stroke();
      drawLines(c, label2.thumb, x, y, THUMB, "#222", 1);
      c.fillStyle = "#111";
      c.fillText(label2.text, x + THUMB / 2 + 2 * PAD, y);
    }
    c.restore();
    return placed.map(({ label: label2, x, y, box }) => ({ text: label2.text, code: label2.code, x, y, box }));
  }

  // widgetlink.js
  var HIGHLIGHT = "#ff8c00";
  var waiting = /* @__PURE__ */ new Map();
  var asked = 0;
  var post = (msg) => window.parent.postMessage(Object.assign({ latentlab: 1 }, msg), "*");
  function listen(type, handler) {
    window.addEventListener("message", (e) => {
      const msg = e.data;
      if (e.source === window.parent && msg && msg.latentlab && msg.type === type) handler(msg);
    });
  }
  function filesFromKernel() {
    filesFrom((path) => {
      const id = ++asked;
      post({ type: "fetch", id, path });
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject, path }));
    });
    listen("file", (msg) => {
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (!w) return;
      if (msg.error) w.reject(new Error(`${w.path} (${msg.error})`));
      else w.resolve(msg.buffer);
    });
  }
  function forPython({ selection, pinned, color_by, filter }) {
    return { selected: selection.length || pinned === null ? selection : [pinned], pinned, color_by, filter };
  }
  function linkWidget({ state: state2, apply: apply2 }) {
    let timer = null;
    const send = () => {
      clearTimeout(timer);
      timer = setTimeout(() => post({ type: "state", state: forPython(state2()) }), 30);
    };
    document.addEventListener("ll-state", send);
    document.addEventListener("ll-hover", (e) => post({ type: "hover", row: e.detail }));
    listen("set", (msg) => Promise.resolve(apply2(msg.set)).then(send, (err) => post({ type: "error", text: String(err) })));
    post({ type: "ready", state: forPython(state2()) });
  }
  function hovered(row3) {
    document.dispatchEvent(new CustomEvent("ll-hover", { detail: row3 }));
  }

  // rowview.js
  function factText(A, col, i) {
    const v = A[col.array][i];
    if (col.kind === "categorical") return v >= 0 ? col.categories[v] : "—";
    if (!Number.isFinite(v)) return "—";
    return col.integer ? String(v) + (col.name === "length" ? " points" : "") : v.toFixed(3);
  }
  function inspectRow(A, i, dec, columns, extra = []) {
    hovered(i >= 0 ? A.row[i] : null);
    paintCanvas($("ll-orig"), A, "orig", i);
    if (dec) paintCanvas($("ll-dec"), A, dec, i);
    const facts = $("ll-facts");
    facts.replaceChildren();
    if (i < 0) return;
    for (const [key, text] of [["row", String(A.row[i])], ...extra, ...columns.map((c) => [c.name, factText(A, c, i)])]) {
      const tr = facts.insertRow();
      tr.insertCell().textContent = key;
      tr.insertCell().textContent = text;
    }
  }
  function rowCell(A, i, size, caption, { onPin, onHover = null }) {
    const box = el("div", "cell"), canvas = el("canvas");
    canvas.dataset.row = A.row[i];
    box.append(canvas, el("div", "cap", `#${A.row[i]}`), el("div", "cap", caption));
    box.title = `row ${A.row[i]} ${caption}`.trim();
    box.onclick = onPin;
    if (onHover) box.onmouseenter = onHover;
    requestAnimationFrame(() => {
      canvas.style.width = canvas.style.height = size + "px";
      paintCanvas(canvas, A, "orig", i);
    });
    return box;
  }

  // glyphs.js
  var ZOOMED_IN = 120;
  var CELL_PX = 120;
  var MAX_GLYPHS = 24;
  var SMALL = 34;
  var LARGE = 60;
  function representative(members) {
    let mx = 0, my = 0;
    for (const p of members) {
      mx += p[1];
      my += p[2];
    }
    mx /= members.length;
    my /= members.length;
    let best = members[0], bestD = Infinity;
    for (const p of members) {
      const d = (p[1] - mx) ** 2 + (p[2] - my) ** 2;
      if (d < bestD) {
        best = p;
        bestD = d;
      }
    }
    return best;
  }
  function chooseGlyphs(points, width) {
    if (points.length <= ZOOMED_IN) return points.map(([i, sx, sy]) => [i, sx, sy, SMALL]);
    const cols = Math.ceil(width / CELL_PX), cells = /* @__PURE__ */ new Map();
    for (const p of points) {
      const key = Math.floor(p[2] / CELL_PX) * cols + Math.floor(p[1] / CELL_PX);
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(p);
    }
    const floor = Math.max(3, points.length * 4e-3);
    return [...cells.values()].filter((c) => c.length >= floor).sort((a, b) => b.length - a.length).slice(0, MAX_GLYPHS).map((c) => [...representative(c), LARGE]);
  }

  // ramp.js
  var VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function hexRgb(hex) {
    const v = parseInt(hex.slice(1), 16);
    return [v >> 16, v >> 8 & 255, v & 255];
  }
  function ramp(t) {
    const x = Math.max(0, Math.min(1, t)) * 4, k = Math.min(3, Math.floor(x)), f = x - k;
    return VIRIDIS[k].map((c, d) => Math.round(c + f * (VIRIDIS[k + 1][d] - c)));
  }
  var rgbCss = ([r, g, b]) => `rgb(${r},${g},${b})`;

  // strokecode.js
  var PROB_BITS = 14;
  var MASK = (1 << PROB_BITS) - 1;
  var LOW = 1 << 16;
  var CONTEXTS = 9;
  function tables(freq) {
    const k = freq.length / CONTEXTS, slots = [], starts = [];
    for (let c = 0; c < CONTEXTS; c++) {
      const slot = new Uint16Array(1 << PROB_BITS), start = new Uint32Array(k);
      let at = 0;
      for (let s = 0; s < k; s++) {
        start[s] = at;
        slot.fill(s, at, at + freq[c * k + s]);
        at += freq[c * k + s];
      }
      slots.push(slot);
      starts.push(start);
    }
    return { k, slots, starts };
  }
  function tableSteps(A, name) {
    if (A[name + "_steps"]) return A[name + "_steps"];
    const freq = A[name + "_freq"], symbols = A[name + "_symbols"], escaped = A[name + "_escaped"];
    const words = A[name + "_words"], state2 = A[name + "_state"], len = A[name + "_len"];
    const { k, slots, starts } = tables(freq), escape = k - 1;
    const out = new Int8Array(2 * len.reduce((a, b) => a + b, 0));
    let o = 0, w = 0, e = 0;
    for (let i = 0; i < len.length; i++) {
      let x = state2[i], dx = 0, dy = 0;
      for (let j = 0; j < len[i]; j++) {
        const c = 3 * (Math.sign(dx) + 1) + Math.sign(dy) + 1, slot = x & MASK, s = slots[c][slot];
        x = freq[c * k + s] * Math.floor(x / (1 << PROB_BITS)) + slot - starts[c][s];
        if (x < LOW) x = x * 65536 + words[w++];
        if (s === escape) {
          dx = escaped[2 * e];
          dy = escaped[2 * e + 1];
          e++;
        } else {
          dx = symbols[2 * s];
          dy = symbols[2 * s + 1];
        }
        out[o++] = dx;
        out[o++] = dy;
      }
    }
    return out;
  }

  // tiles.js
  var MAX_TILES = 256;
  function basisView(M, j) {
    const b = M.bases[j];
    const boxes = b.tiles.map((name) => {
      const [lv, rest] = name.split("/"), [cx, cy] = rest.split("-").map(Number), s = 1 / (1 << Number(lv));
      return [cx * s, (cx + 1) * s, cy * s, (cy + 1) * s];
    });
    return {
      j,
      key: b.basis,
      dir: b.dir,
      shares: b.shares,
      tiles: b.tiles,
      levels: b.levels,
      boxes,
      maxLevel: Math.max(...b.levels)
    };
  }
  function explorerContext(M, canvas) {
    const S = {
      tiles: /* @__PURE__ */ new Map(),
      loading: /* @__PURE__ */ new Map(),
      rowFiles: /* @__PURE__ */ new Map(),
      cx: 0.5,
      cy: 0.5,
      zoom: 1,
      hover: null,
      pin: null,
      neighbors: [],
      drawing: null,
      dec: "dec0",
      color: M.color_by,
      listed: null,
      filters: {},
      drawn: null,
      selection: [],
      failed: null,
      frames: 0,
      hoverMs: [],
      lasso: null,
      glyphs: []
    };
    return { M, S, B: basisView(M, 0), canvas, overlays: [], stateChanged: () => {
    } };
  }
  async function loadArrays(path) {
    return unpackBinary(await fetchBuffer(path));
  }
  function tileArrays(M, A) {
    for (let k = 1; k < A.row.length; k++) A.row[k] += A.row[k - 1];
    for (const which of ["orig"].concat(M.decodes.map((d, j) => "dec" + j))) {
      A[which + "_steps"] = tableSteps(A, which);
      const len = A[which + "_len"], off = new Uint32Array(len.length + 1);
      for (let k = 0; k < len.length; k++) off[k + 1] = off[k] + len[k];
      A[which + "_offsets"] = off;
      A[which + "_ids"] = Uint32Array.from({ length: len.length }, (_, k) => k);
    }
    return A;
  }
  async function tileData(M, B, i) {
    const A = await loadArrays(`${B.dir}/${B.tiles[i]}.bin`);
    if (!B.shares) return tileArrays(M, A);
    return tileArrays(M, Object.assign(await loadArrays(`${B.shares}/${B.tiles[i]}.bin`), { x: A.x, y: A.y }));
  }
  function loadTile(ex2, i) {
    const { S, B } = ex2;
    if (!S.loading.has(i)) {
      const j = B.j;
      S.loading.set(i, tileData(ex2.M, B, i).then((A) => {
        const tile = { i, A, n: A.row.length, index: null };
        if (ex2.B.j === j) S.tiles.set(i, tile);
        return tile;
      }).catch((err) => failed(ex2, err)));
    }
    return S.loading.get(i);
  }
  function failed(ex2, err) {
    const { S } = ex2;
    if (!S.failed) {
      S.failed = String(err.message || err);
      const b = $("ll-banner");
      b.hidden = false;
      b.textContent = location.protocol === "file:" ? "This explorer loads its tiles as you zoom, which a browser does not allow from a file: open it through a web server, e.g. `latentlab serve <this folder>`, and follow the link it prints." : `Could not load ${S.failed}: keep index.html beside its tiles/ and rows/ folders.`;
    }
    return null;
  }
  function rowFile(ex2, block) {
    const { S } = ex2;
    if (!S.rowFiles.has(block)) S.rowFiles.set(block, loadArrays(`rows/${block}.bin`).catch((err) => failed(ex2, err)));
    return S.rowFiles.get(block);
  }
  async function locate(ex2, row3) {
    const { M, B } = ex2;
    const R = await rowFile(ex2, Math.floor(row3 / M.row_block));
    const tile = R && await loadTile(ex2, R[`tile${B.j || ""}`][row3 % M.row_block]);
    if (!tile) return null;
    if (!tile.index) tile.index = new Map(Array.from(tile.A.row, (r, k) => [r, k]));
    return tile.index.has(row3) ? { tile, k: tile.index.get(row3), R } : null;
  }
  function evict(ex2, need) {
    const { S } = ex2;
    if (S.tiles.size <= MAX_TILES) return;
    const keep = new Set(need), old = [...S.tiles.values()].filter((t) => !keep.has(t.i));
    old.sort((a, b) => a.used - b.used);
    for (const t of old.slice(0, S.tiles.size - MAX_TILES)) {
      S.tiles.delete(t.i);
      S.loading.delete(t.i);
    }
  }

  // map.js
  var HOVER_PX = 6;
  var DOT = 5;
  var GLYPHS = 400;
  var GLYPH = 30;
  var SELECTION_MARKS = 5e3;
  var column = (ex2) => ex2.M.columns.find((c) => c.name === ex2.S.color);
  function geometry(ex2) {
    const { S } = ex2;
    const w = ex2.canvas.clientWidth, h = ex2.canvas.clientHeight;
    return { w, h, scale: Math.min(w, h) * S.zoom };
  }
  function toScreen(ex2, u, v, g) {
    const { S } = ex2;
    return [(u - S.cx) * g.scale + g.w / 2, g.h / 2 - (v - S.cy) * g.scale];
  }
  function toUnit(ex2, px, py, g) {
    const { S } = ex2;
    return [(px - g.w / 2) / g.scale + S.cx, S.cy - (py - g.h / 2) / g.scale];
  }
  function level(ex2) {
    return Math.max(0, Math.min(ex2.B.maxLevel, Math.floor(Math.log2(ex2.S.zoom)) + 1));
  }
  function visibleTiles(ex2) {
    const { B } = ex2;
    const g = geometry(ex2), [u0, v1] = toUnit(ex2, 0, 0, g), [u1, v0] = toUnit(ex2, g.w, g.h, g), lv = level(ex2), out = [];
    for (let i = 0; i < B.boxes.length; i++) {
      const b = B.boxes[i];
      if (B.levels[i] <= lv && b[1] >= u0 && b[0] <= u1 && b[3] >= v0 && b[2] <= v1) out.push(i);
    }
    return out;
  }
  async function update(ex2) {
    const { S } = ex2;
    const need = visibleTiles(ex2);
    render(ex2, need);
    const missing = need.filter((i) => !S.tiles.has(i));
    if (missing.length) {
      status(ex2, need, missing.length);
      await Promise.all(missing.map((i) => loadTile(ex2, i)));
      render(ex2, visibleTiles(ex2));
    }
    evict(ex2, need);
    ex2.stateChanged();
  }
  function activeFilters(ex2) {
    const { S, M } = ex2;
    return Object.entries(S.filters).map(([name, f]) => [M.columns.find((c) => c.name === name).array, f]);
  }
  function passes(ex2, A, k, checks = activeFilters(ex2)) {
    for (const [array, f] of checks) {
      const v = A[array][k];
      if (f instanceof Set ? v < 0 || f.has(v) : !(v >= f[0] && v <= f[1])) return false;
    }
    return true;
  }
  function colorOf(ex2, A, k, col, rgb, checks) {
    if (!passes(ex2, A, k, checks)) return null;
    const v = A[col.array][k];
    if (col.kind === "categorical") return v < 0 ? [190, 190, 190] : rgb[v % rgb.length];
    const [lo, hi] = col.range;
    return Number.isFinite(v) ? ramp((v - lo) / (hi - lo || 1)) : [190, 190, 190];
  }
  function paintPoints(ex2, need, g, px, [w, h, ratio]) {
    const { S } = ex2, col = column(ex2), checks = activeFilters(ex2);
    const rgb = col.kind === "categorical" ? col.palette.map(hexRgb) : null, X = [], Y = [], T = [], K2 = [];
    const dot2 = Math.max(2, Math.round(DOT * ratio)), disc = discRows(dot2);
    for (const i of need) {
      const tile = S.tiles.get(i);
      if (!tile) continue;
      tile.used = S.frames;
      for (let k = 0; k < tile.n; k++) {
        const c = colorOf(ex2, tile.A, k, col, rgb, checks);
        if (!c) continue;
        const [sx, sy] = toScreen(ex2, tile.A.x[k] / 65535, tile.A.y[k] / 65535, g);
        if (sx < 0 || sy < 0 || sx >= g.w || sy >= g.h) continue;
        X.push(sx);
        Y.push(sy);
        T.push(i);
        K2.push(k);
        const value = 255 << 24 | c[2] << 16 | c[1] << 8 | c[0];
        const x0 = Math.round(sx * ratio - dot2 / 2), y0 = Math.round(sy * ratio - dot2 / 2);
        for (const [dy, a, b] of disc) {
          const y = y0 + dy;
          if (y >= 0 && y < h) px.fill(value, y * w + Math.max(0, x0 + a), y * w + Math.min(w, x0 + b));
        }
      }
    }
    return { X: Float32Array.from(X), Y: Float32Array.from(Y), T, K: K2, need };
  }
  function render(ex2, need) {
    const { S } = ex2;
    const g = geometry(ex2), ratio = window.devicePixelRatio || 1;
    ex2.canvas.width = Math.round(g.w * ratio);
    ex2.canvas.height = Math.round(g.h * ratio);
    const ctx = ex2.canvas.getContext("2d"), img = ctx.createImageData(ex2.canvas.width, ex2.canvas.height);
    S.drawn = paintPoints(ex2, need, g, new Uint32Array(img.data.buffer), [ex2.canvas.width, ex2.canvas.height, ratio]);
    ctx.putImageData(img, 0, 0);
    S.drawn.grid = gridIndex(S.drawn.X, S.drawn.Y, [0, g.w, 0, g.h], 128);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    glyphs(ex2, ctx, g);
    S.frames++;
    status(ex2, need, 0);
    marks(ex2);
  }
  function marks(ex2) {
    const { S } = ex2;
    const g = geometry(ex2), ratio = window.devicePixelRatio || 1, over = $("ll-marks");
    if (over.width !== Math.round(g.w * ratio) || over.height !== Math.round(g.h * ratio)) {
      over.width = Math.round(g.w * ratio);
      over.height = Math.round(g.h * ratio);
    }
    const ctx = over.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, g.w, g.h);
    const at = (p) => toScreen(ex2, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, g);
    const ring = (p, color, r) => {
      if (!p) return;
      const [sx, sy] = at(p);
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(sx, sy, r, 0, 2 * Math.PI);
      ctx.stroke();
    };
    ctx.strokeStyle = "rgba(31, 95, 168, 0.6)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const p of S.selection.slice(0, SELECTION_MARKS)) {
      const [sx, sy] = at(p);
      ctx.moveTo(sx + DOT / 2 + 1, sy);
      ctx.arc(sx, sy, DOT / 2 + 1, 0, 2 * Math.PI);
    }
    ctx.stroke();
    S.edges = S.pin && !S.drawing ? S.neighbors.length : 0;
    if (S.edges) edges(ctx, at(S.pin), S.neighbors.map(at), "#e6550d");
    S.neighbors.forEach((p) => ring(p, S.drawing ? "#1f5fa8" : "#e6550d", 5));
    for (const overlay of ex2.overlays) overlay(ctx, g);
    ring(S.pin, "#d62728", 8);
    ring(S.hover, "#111", 6);
    if (S.lasso && S.lasso.length > 1) {
      ctx.strokeStyle = "#4a90d9";
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      S.lasso.forEach(([x, y], i) => i ? ctx.lineTo(x, y) : ctx.moveTo(x, y));
      ctx.closePath();
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (S.box) {
      ctx.strokeStyle = "#4a90d9";
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(S.box[0], S.box[1], S.box[2] - S.box[0], S.box[3] - S.box[1]);
      ctx.setLineDash([]);
    }
  }
  function glyphs(ex2, ctx, g) {
    const { S } = ex2, d = S.drawn, col = column(ex2), rgb = col.kind === "categorical" ? col.palette.map(hexRgb) : null;
    S.glyphs = [];
    if (!$("ll-thumbs").checked) return;
    const points = Array.from(d.X, (x, j) => [j, x, d.Y[j]]);
    const chosen = d.X.length <= GLYPHS ? points.map(([j, x, y]) => [j, x, y, GLYPH]) : chooseGlyphs(points, g.w);
    for (const [j, x, y, size] of chosen) {
      const A = S.tiles.get(d.T[j]).A, k = d.K[j], c = rgbCss(colorOf(ex2, A, k, col, rgb, []));
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
  function status(ex2, need, missing) {
    const { S, M, B } = ex2;
    const shown = S.drawn ? S.drawn.X.length : 0;
    const every = level(ex2) === B.maxLevel, label2 = M.bases[B.j].label, en = (v) => v.toLocaleString("en");
    const rows = M.sample ? `${en(M.sample.rows)} of ${en(M.n_total)} rows (a sample)` : `${en(M.n_total)} rows`;
    $("ll-subtitle").textContent = `${rows} · ${label2} · ${en(shown)} points drawn` + (every ? " (every row in view that passes the filters)" : " (an overview: zoom in to reach every row)") + (missing ? ` · loading ${missing} of ${need.length} tiles…` : "") + (M.left_out ? ` · ${M.left_out}` : "");
  }
  var redraw = (ex2) => ex2.S.drawn && render(ex2, ex2.S.drawn.need);
  function hover(ex2, x, y) {
    const { S } = ex2;
    const t0 = performance.now(), p = S.drawn && nearest(ex2, x, y);
    const same = p && S.hover && p.tile === S.hover.tile && p.k === S.hover.k;
    if (same || !p && !S.hover) return;
    S.hover = p;
    inspect(ex2, p || S.pin);
    marks(ex2);
    if (p) S.hoverMs.push(performance.now() - t0);
  }
  function nearest(ex2, px, py) {
    const { S } = ex2, found = glyphAt((S.glyphs || []).filter((g) => g[3] > GLYPH), px, py);
    if (found >= 0) return { tile: S.tiles.get(S.drawn.T[found]), k: S.drawn.K[found] };
    const r = S.drawn.X.length <= GLYPHS ? GLYPH / 2 : HOVER_PX;
    let best = -1, bd = 2 * r * r;
    gridVisit(S.drawn.grid, px, py, r, r, (j) => {
      const dx = S.drawn.X[j] - px, dy = S.drawn.Y[j] - py, d = dx * dx + dy * dy;
      if (Math.abs(dx) <= r && Math.abs(dy) <= r && d <= bd) {
        bd = d;
        best = j;
      }
    });
    return best < 0 ? null : { tile: S.tiles.get(S.drawn.T[best]), k: S.drawn.K[best] };
  }
  function inspect(ex2, p) {
    const { S, M } = ex2, columns = M.columns.filter((c) => c.kind !== "categorical" || c.categories.length);
    inspectRow(p ? p.tile.A : {}, p ? p.k : -1, M.decodes.length ? S.dec : null, columns);
  }
  function cell2(ex2, p, size, caption) {
    return rowCell(p.tile.A, p.k, size, caption, { onPin: () => pin(ex2, p), onHover: () => inspect(ex2, p) });
  }
  function label(ex2, p) {
    const { M } = ex2;
    const c = M.columns[0], v = p.tile.A[c.array][p.k];
    return v < 0 ? "" : c.categories[v];
  }
  async function pin(ex2, p) {
    const { S, M } = ex2;
    S.pin = p;
    S.neighbors = [];
    S.drawing = null;
    inspect(ex2, p);
    $("ll-pin-note").textContent = p ? `row ${p.tile.A.row[p.k]} pinned` : "";
    $("ll-strip").replaceChildren();
    marks(ex2);
    ex2.stateChanged();
    if (!p) return;
    if (!M.neighbors) {
      $("ll-nn-note").textContent = "no neighbours stored (latentlab neighbors)";
      return;
    }
    const row3 = p.tile.A.row[p.k], R = await rowFile(ex2, Math.floor(row3 / M.row_block));
    if (!R || S.pin !== p) return;
    const k = R.neighbors.length / Math.min(M.row_block, M.n_total - Math.floor(row3 / M.row_block) * M.row_block);
    const ids = Array.from(R.neighbors.subarray(row3 % M.row_block * k, (row3 % M.row_block + 1) * k));
    const found = (await Promise.all(ids.map((id) => locate(ex2, id)))).filter(Boolean);
    if (S.pin !== p) return;
    S.neighbors = found;
    $("ll-nn-note").textContent = `${found.length} nearest by ${M.neighbors.metric || "cosine"} on mu, from any tile`;
    $("ll-strip").replaceChildren(...found.map((q) => cell2(ex2, q, 64, label(ex2, q))));
    marks(ex2);
  }
  function zoomAt(ex2, [x, y], factor) {
    const { S, B } = ex2;
    const g = geometry(ex2), [u, v] = toUnit(ex2, x, y, g);
    S.zoom = Math.max(0.5, Math.min(1 << B.maxLevel + 3, S.zoom * factor));
    const g2 = geometry(ex2);
    S.cx = u - (x - g2.w / 2) / g2.scale;
    S.cy = v + (y - g2.h / 2) / g2.scale;
    return update(ex2);
  }
  function setView(ex2, cx, cy, zoom) {
    Object.assign(ex2.S, { cx, cy, zoom });
    return update(ex2);
  }
  async function setBasis(ex2, j) {
    const { S } = ex2;
    const row3 = S.pin ? S.pin.tile.A.row[S.pin.k] : null;
    ex2.B = basisView(ex2.M, j);
    S.tiles.clear();
    S.loading.clear();
    Object.assign(S, { hover: null, pin: null, neighbors: [], cx: 0.5, cy: 0.5, zoom: 1 });
    await update(ex2);
    if (row3 !== null) {
      const p = await locate(ex2, row3);
      if (p) await pin(ex2, p);
    }
    document.dispatchEvent(new Event("ll-basis"));
  }

  // categories.js
  function clickCategory(shown, j, count, together2) {
    if (!together2) return shown && shown.size === 1 && shown.has(j) ? null : /* @__PURE__ */ new Set([j]);
    const next = shown ? new Set(shown) : new Set(Array.from({ length: count }, (_, i) => i));
    if (next.has(j)) next.delete(j);
    else next.add(j);
    return next.size === count ? null : next;
  }
  var together = (e) => e.ctrlKey || e.metaKey || e.shiftKey;

  // categorylist.js
  function categoryList({ names, order, count, colour, shown, query, onChange }) {
    const list = $("ll-classes"), q = query.trim().toLowerCase();
    list.replaceChildren();
    for (const j of order) {
      if (q && !names[j].toLowerCase().includes(q)) continue;
      const li = el("li", shown ? shown.has(j) ? "on" : "off" : ""), sw = el("span", "sw");
      sw.style.background = colour(j);
      li.append(sw, el("span", "name", names[j]), el("span", "count", count(j).toLocaleString("en")));
      li.title = `${names[j]}: click to show it alone, Ctrl-click to show or hide it beside others`;
      li.addEventListener("click", (e) => onChange(clickCategory(shown, j, names.length, together(e))));
      list.append(li);
    }
    return list;
  }

  // histogram.js
  function paintHistogram(canvas, counts, color, { height = 34, below = 0 } = {}) {
    const w = canvas.clientWidth || 200, ratio = window.devicePixelRatio || 1, peak = Math.max(...counts, 1);
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(height * ratio);
    const c = canvas.getContext("2d"), bw = w / counts.length;
    c.scale(ratio, ratio);
    counts.forEach((v, j) => {
      const bh = Math.max(v ? 1 : 0, v / peak * (height - below - 2));
      c.fillStyle = color(j);
      c.fillRect(j * bw, height - below - bh, bw - 1, bh);
    });
    return c;
  }

  // filters.js
  var SLIDER = 1e3;
  var fmt = (v) => (+v.toPrecision(3)).toLocaleString("en");
  function filtered(ex2) {
    const { S } = ex2;
    if (S.hover && !passes(ex2, S.hover.tile.A, S.hover.k)) {
      S.hover = null;
      inspect(ex2, S.pin);
    }
    redraw(ex2);
    filterList(ex2);
    ex2.stateChanged();
    document.dispatchEvent(new Event("ll-filtered"));
  }
  function filterList(ex2) {
    const { S, M } = ex2, items = [];
    for (const [name, f] of Object.entries(S.filters)) {
      const col = M.columns.find((c) => c.name === name);
      const text = f instanceof Set ? `${name}: ${f.size} of ${col.categories.length} hidden` : `${name}: ${fmt(f[0])} to ${fmt(f[1])}`;
      const drop = el("button", "", "×");
      drop.title = `drop the ${name} filter`;
      drop.onclick = () => {
        delete S.filters[name];
        sidePanel(ex2);
        filtered(ex2);
      };
      const item = el("span", "filter", text);
      item.append(drop);
      items.push(item);
    }
    $("ll-filter-list").replaceChildren(...items);
    $("ll-filter-list").hidden = !items.length;
  }
  function listedColumn(ex2) {
    const { S, M } = ex2, col = column(ex2);
    if (col.kind === "categorical") S.listed = col.name;
    S.listed = S.listed || (M.columns.find((c) => c.kind === "categorical" && c.categories.length > 1) || {}).name;
    return M.columns.find((c) => c.name === S.listed) || null;
  }
  function categories(ex2, col) {
    const { S } = ex2, hidden = S.filters[col.name], coloured = S.color === col.name;
    const order = col.categories.map((_, i) => i).sort((a, b) => col.counts[b] - col.counts[a]);
    categoryList({
      names: col.categories,
      order,
      count: (j) => col.counts[j],
      colour: (j) => coloured ? col.palette[j] : "#bbb",
      shown: hidden ? new Set(order.filter((j) => !hidden.has(j))) : null,
      query: $("ll-search").value,
      onChange: (shown) => {
        if (shown) S.filters[col.name] = new Set(order.filter((j) => !shown.has(j)));
        else delete S.filters[col.name];
        sidePanel(ex2);
        filtered(ex2);
      }
    });
  }
  function drawRange(ex2, col, box) {
    const range = ex2.S.filters[col.name], [lo, hi] = col.range, step = (hi - lo) / col.hist.length;
    const out = (b2) => range && (lo + (b2 + 1) * step < range[0] || lo + b2 * step > range[1]);
    const coloured = ex2.S.color === col.name;
    paintHistogram(box.querySelector("canvas"), col.hist, (b2) => out(b2) ? "#ddd" : coloured ? rgbCss(ramp((b2 + 0.5) / col.hist.length)) : "#4a90d9");
    const at = (v) => Math.round(Math.max(0, Math.min(1, (v - lo) / (hi - lo || 1))) * SLIDER);
    const [a, b] = box.querySelectorAll("input");
    a.value = range ? at(range[0]) : 0;
    b.value = range ? at(range[1]) : SLIDER;
    const rows = col.hist.reduce((n, v, k) => n + (!range || !out(k) ? v : 0), 0);
    box.querySelector(".note").textContent = range ? `${fmt(range[0])} to ${fmt(range[1])}: ~${rows.toLocaleString("en")} rows` : `${fmt(lo)} to ${fmt(hi)}`;
  }
  function rangeChanged(ex2, col, box) {
    const { S } = ex2, [lo, hi] = col.range, [a, b] = Array.from(box.querySelectorAll("input"), (i) => Number(i.value));
    if (Math.min(a, b) === 0 && Math.max(a, b) === SLIDER) delete S.filters[col.name];
    else S.filters[col.name] = [lo + (hi - lo) * Math.min(a, b) / SLIDER, lo + (hi - lo) * Math.max(a, b) / SLIDER];
    drawRange(ex2, col, box);
    filtered(ex2);
  }
  function setupRanges(ex2) {
    const boxes = ex2.M.columns.filter((c) => c.kind === "numeric" && c.hist).map((col) => {
      const box = el("div", "range"), head = el("div", "head");
      head.append(el("span", "", col.name === "length" ? "length (points)" : col.name), el("span", "note"));
      box.dataset.column = col.name;
      box.append(head, el("canvas"));
      for (const side of ["from", "to"]) {
        const input = Object.assign(el("input"), { type: "range", min: 0, max: SLIDER, step: 1 });
        input.setAttribute("aria-label", `${col.name} ${side}`);
        input.addEventListener("input", () => rangeChanged(ex2, col, box));
        box.append(input);
      }
      return box;
    });
    $("ll-ranges").replaceChildren(...boxes);
  }
  function colorBar(col) {
    const bar = $("ll-colorbar");
    bar.hidden = col.kind === "categorical";
    if (bar.hidden) return;
    const cv = bar.querySelector("canvas"), c = cv.getContext("2d");
    cv.width = 1;
    cv.height = 100;
    for (let y = 0; y < 100; y++) {
      c.fillStyle = rgbCss(ramp(1 - y / 99));
      c.fillRect(0, y, 1, 1);
    }
    bar.querySelector(".hi").textContent = fmt(col.range[1]);
    bar.querySelector(".lo").textContent = fmt(col.range[0]);
    bar.querySelector(".title").textContent = col.name;
  }
  function sidePanel(ex2) {
    const listed = listedColumn(ex2);
    $("ll-classes-title").textContent = listed ? listed.name === "class" ? "Classes" : listed.name : "Classes";
    $("ll-classes").replaceChildren();
    $("ll-classes").parentElement.classList.toggle("empty", !listed);
    if (listed) categories(ex2, listed);
    else $("ll-classes").append(el("li", "note", "no class labels in this store"));
    for (const box of $("ll-ranges").children) drawRange(ex2, ex2.M.columns.find((c) => c.name === box.dataset.column), box);
    colorBar(column(ex2));
    filterList(ex2);
  }

  // side.js
  var MAX_GRID = 60;
  function select(ex2, shape) {
    const { S } = ex2;
    const poly = shape.length === 4 && typeof shape[0] === "number" ? boxPolygon(shape) : shape;
    const out = [];
    for (let j = 0; j < S.drawn.X.length; j++) {
      if (insidePolygon(poly, S.drawn.X[j], S.drawn.Y[j])) out.push({ tile: S.tiles.get(S.drawn.T[j]), k: S.drawn.K[j] });
    }
    showSelection(ex2, out, level(ex2) === ex2.B.maxLevel);
  }
  function showSelection(ex2, out, every = true) {
    ex2.S.selection = out;
    if (out.length) ex2.tabs.show("selection");
    $("ll-sel-clear").disabled = !out.length;
    ex2.refreshExport();
    $("ll-sel-note").textContent = !out.length ? "none" : `${out.length.toLocaleString()} ` + (every ? "rows selected" : "points drawn in the selection at this zoom") + (out.length > MAX_GRID ? ` (the first ${MAX_GRID} shown)` : "") + (every ? "" : "; zoom in to reach every row");
    $("ll-grid").replaceChildren(...out.slice(0, MAX_GRID).map((p) => cell2(ex2, p, 84, label(ex2, p))));
    ex2.stateChanged();
  }
  function clearSelection(ex2, unpin = true) {
    const { S } = ex2;
    S.selection = [];
    S.box = null;
    S.lasso = null;
    $("ll-grid").replaceChildren();
    $("ll-sel-clear").disabled = true;
    ex2.refreshExport();
    ex2.stateChanged();
    $("ll-sel-note").textContent = "choose box or lasso under Map (or shift-drag), then drag on the map";
    if (unpin) pin(ex2, null);
  }
  function dragMove(ex2, drag, x, y) {
    const { S } = ex2;
    drag.moved = drag.moved || Math.hypot(x - drag.start[0], y - drag.start[1]) > 3;
    if (drag.mode === "box") {
      S.box = dragBox(drag.start, x, y);
      return marks(ex2);
    }
    if (drag.mode === "lasso") {
      S.lasso.push([x, y]);
      return marks(ex2);
    }
    const g = geometry(ex2);
    S.cx = drag.cx - (x - drag.start[0]) / g.scale;
    S.cy = drag.cy + (y - drag.start[1]) / g.scale;
    redraw(ex2);
  }
  function dragEnd(ex2, drag, x, y) {
    const { S } = ex2;
    if (drag.mode !== "pan" && drag.moved) {
      select(ex2, drag.mode === "box" ? S.box : S.lasso);
      S.box = null;
      S.lasso = null;
      return marks(ex2);
    }
    S.box = null;
    S.lasso = null;
    if (!drag.moved) return pin(ex2, nearest(ex2, x, y));
    update(ex2);
  }
  function wire(ex2) {
    const { S, canvas } = ex2;
    let drag = null;
    const at = (e) => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    canvas.addEventListener("pointerdown", (e) => {
      const mode = e.shiftKey ? "box" : $("ll-drag").value;
      drag = { start: at(e), cx: S.cx, cy: S.cy, mode, moved: false };
      if (mode === "lasso") S.lasso = [at(e)];
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => drag ? dragMove(ex2, drag, ...at(e)) : hover(ex2, ...at(e)));
    canvas.addEventListener("pointerup", (e) => {
      const d = drag;
      drag = null;
      if (d) dragEnd(ex2, d, ...at(e));
    });
    canvas.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        zoomAt(ex2, at(e), Math.exp(-e.deltaY / 500));
      },
      { passive: false }
    );
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape") clearSelection(ex2);
    });
    $("ll-reset").addEventListener("click", () => setView(ex2, 0.5, 0.5, 1));
    $("ll-basis").addEventListener("change", (e) => {
      clearSelection(ex2, false);
      setBasis(ex2, Number(e.target.value));
    });
    $("ll-search").addEventListener("input", () => sidePanel(ex2));
    $("ll-color").addEventListener("change", (e) => {
      S.color = e.target.value;
      sidePanel(ex2);
      redraw(ex2);
      ex2.stateChanged();
    });
    new ResizeObserver(() => update(ex2)).observe(canvas);
  }
  function mapLabels(ex2, c, g) {
    const { S, M, B } = ex2;
    S.labels = [];
    if (!$("ll-labels").checked) return;
    const col = column(ex2), labels = (M.labels || {})[S.color] || [], b = M.bases[B.j];
    const place = (l) => {
      if (S.filters[S.color] instanceof Set && S.filters[S.color].has(l.code)) return null;
      const [x, y] = l.at[b.basis];
      return toScreen(ex2, (x - b.origin[0]) / b.span, (y - b.origin[1]) / b.span, g);
    };
    S.labels = drawLabels(c, labels, place, (code) => col.palette[code], g.w, g.h);
  }
  function debugApi(ex2) {
    const bind = (f) => (...args) => f(ex2, ...args);
    return {
      S: ex2.S,
      M: ex2.M,
      get B() {
        return ex2.B;
      },
      setView: bind(setView),
      setBasis: bind(setBasis),
      zoomAt: bind(zoomAt),
      update: bind(update),
      locate: bind(locate),
      pin: bind(pin),
      select: bind(select),
      nearest: bind(nearest),
      level: bind(level),
      paintCanvas,
      polylines,
      screenOf: (p) => toScreen(ex2, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, geometry(ex2))
    };
  }
  function decodeText(dec) {
    const p = dec.attrs;
    return `${dec.key}: temperature ${p.temperature}, softmax temperature ${p.softmax_temperature}${p.greedy ? ", greedy" : ""}, seed ${p.random_state ?? p.seed}, from ${p.use_rep || "mu"}`;
  }
  function controls(ex2) {
    const { S, M } = ex2;
    $("ll-title").textContent = document.title = M.title;
    if (M.sample) {
      const b = $("ll-banner"), en = (v) => v.toLocaleString("en");
      b.hidden = false;
      b.textContent = `This store holds ${en(M.n_total)} sketches; this page shows a random sample of ${en(M.sample.rows)} (seed ${M.sample.seed}). Raise max_points to show more, or write the tiled explorer (latentlab report STORE -o FOLDER), which shows every row.`;
    }
    $("ll-labels").onchange = () => marks(ex2);
    $("ll-thumbs").onchange = () => redraw(ex2);
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
    $("ll-dec-choice").onchange = (e) => {
      S.dec = e.target.value;
      inspect(ex2, S.hover || S.pin);
    };
    $("ll-prev").hidden = $("ll-next").hidden = true;
    $("ll-sel-clear").onclick = () => clearSelection(ex2);
    for (const [key, value] of M.provenance || []) {
      const tr = $("ll-prov-table").insertRow();
      tr.insertCell().textContent = key;
      tr.insertCell().textContent = value;
    }
  }
  function startExplorer(ex2, page2) {
    ex2.tabs = setupTabs();
    ex2.refreshExport = setupExport(() => ex2.S.selection.map((p) => ({ A: p.tile.A, i: p.k })), ex2.M.columns, ex2.M.store);
    ex2.overlays.push((c, g) => mapLabels(ex2, c, g));
    showIssues(ex2.M.issues, async (row3) => {
      const p = await locate(ex2, row3);
      if (p) await pin(ex2, p);
      else $("ll-pin-note").textContent = `row ${row3} is not in this page's sample`;
    });
    controls(ex2);
    setupRanges(ex2);
    sidePanel(ex2);
    wire(ex2);
    page2.debug = debugApi(ex2);
    return update(ex2);
  }

  // model.js
  function spawnWorkers(info, bytes, header) {
    const url = URL.createObjectURL(new Blob([$("ll-model-js").textContent], { type: "text/javascript" }));
    const count = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    const pool = [];
    let nextId = 1;
    for (let w = 0; w < count; w++) {
      const worker = new Worker(url), waiting2 = /* @__PURE__ */ new Map();
      worker.onmessage = (e) => {
        const { id, result, error } = e.data, done = waiting2.get(id);
        waiting2.delete(id);
        if (error) done.reject(new Error(error));
        else done.resolve(result);
      };
      pool.push({ worker, waiting: waiting2 });
    }
    const send = (slot, message) => new Promise((resolve, reject) => {
      const id = nextId++;
      slot.waiting.set(id, { resolve, reject });
      slot.worker.postMessage(Object.assign({ id }, message));
    });
    const call = (message) => send(pool.reduce((a, b) => b.waiting.size < a.waiting.size ? b : a), message);
    const model = Object.assign({}, info, { arrays: void 0 });
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return Promise.all(pool.map((slot) => send(slot, { type: "init", meta: model, buffer: buffer.slice(0), header }))).then(() => ({ call, size: count }));
  }
  function modelApi(info, workers) {
    const api = {
      info: {
        precision: info.precision,
        scale_factor: info.scale_factor,
        z_size: info.z_size,
        model_dir: info.model_dir,
        drawing: info.drawing
      },
      fromDrawing: (strokes, settings = info.drawing) => fromDrawing(strokes, settings),
      async workerCount() {
        return (await workers).size;
      },
      async encode(points) {
        const w = await workers;
        const r = await w.call({ type: "encode", points: Float32Array.from(points.flat()) });
        return Array.from(r.mu);
      },
      // a drawing from the pad encoded: {rows, mu, ms, lines}, or null (the note says why) when it has more
      // points after simplification than the model takes
      async encodeDrawing(strokes) {
        const rows = api.fromDrawing(strokes);
        if (rows.length > info.max_seq_len) {
          $("ll-draw-note").textContent = `Your drawing has ${rows.length} points after simplification; the model takes up to ${info.max_seq_len}. Draw with fewer strokes.`;
          return null;
        }
        $("ll-draw-note").textContent = "encoding…";
        const t0 = performance.now(), mu = await api.encode(rows);
        return { rows, mu, ms: performance.now() - t0, lines: pointLines(rows.flat()) };
      },
      async decode(z, options = {}) {
        const w = await workers;
        const flat = await w.call({ type: "decode", z: Float32Array.from(z), options });
        const rows = [];
        for (let p = 0; p < flat.length; p += 3) rows.push([flat[p], flat[p + 1], flat[p + 2]]);
        return rows;
      },
      // a strip of `steps` decodes from z `a` to z `b`; onSketch(j, rows) as each finishes
      async interpolate(a, b, {
        method = "slerp",
        steps = 8,
        temperature = 0.1,
        greedy = false,
        seed = 0,
        softmaxTemperature = null,
        onSketch = null
      } = {}) {
        const path = method === "lerp" ? lerp : slerp;
        const ts = Array.from({ length: steps }, (_, j) => steps > 1 ? j / (steps - 1) : 0);
        return Promise.all(ts.map((t, j) => api.decode(path(a, b, t), {
          temperature,
          greedy,
          softmaxTemperature,
          seed: seed + j
        }).then((rows) => {
          if (onSketch) onSketch(j, rows);
          return rows;
        })));
      }
    };
    return api;
  }
  function drawingPad(onChange) {
    const canvas = $("ll-draw"), ctx = canvas.getContext("2d"), strokes = [];
    let current = null;
    const ratio = window.devicePixelRatio || 1, side = canvas.clientWidth || 204;
    canvas.width = canvas.height = Math.round(side * ratio);
    function paint() {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, side, side);
      ctx.strokeStyle = "#1f5fa8";
      ctx.lineWidth = 2.2;
      ctx.lineCap = ctx.lineJoin = "round";
      ctx.beginPath();
      for (const [xs, ys] of strokes) {
        ctx.moveTo(xs[0], ys[0]);
        if (xs.length === 1) ctx.lineTo(xs[0] + 0.01, ys[0]);
        for (let p = 1; p < xs.length; p++) ctx.lineTo(xs[p], ys[p]);
      }
      ctx.stroke();
    }
    const at = (e) => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    canvas.addEventListener("pointerdown", (e) => {
      canvas.setPointerCapture(e.pointerId);
      const [x, y] = at(e);
      current = [[x], [y]];
      strokes.push(current);
      paint();
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!current) return;
      const [x, y] = at(e);
      current[0].push(x);
      current[1].push(y);
      paint();
    });
    const end = () => {
      if (current) {
        current = null;
        onChange();
      }
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    $("ll-draw-undo").onclick = () => {
      strokes.pop();
      paint();
      onChange();
    };
    $("ll-draw-clear").onclick = () => {
      strokes.length = 0;
      paint();
      onChange();
    };
    return strokes;
  }
  function interpolation(api, { pinned, drawn, decodeAttrs, debug }) {
    const ends = { a: null, b: null };
    function setEnd(which, end) {
      ends[which] = end;
      paintLines($(`ll-${which}-canvas`), end ? end.lines : null, end && end.drawn ? "#1f5fa8" : "#111");
      $(`ll-${which}-cap`).textContent = `${which.toUpperCase()}: ${end ? end.label : "empty"}`;
      $("ll-run").disabled = !(ends.a && ends.b);
    }
    if (decodeAttrs && !decodeAttrs.greedy) {
      $("ll-temp").value = decodeAttrs.temperature;
      if (Math.abs(decodeAttrs.softmax_temperature - (0.5 + 0.5 * decodeAttrs.temperature)) < 1e-9 && decodeAttrs.softmax_temperature !== decodeAttrs.temperature) $("ll-choices").value = "js";
    }
    for (const which of ["a", "b"]) {
      $(`ll-${which}-pin`).onclick = async () => {
        const end = await pinned();
        if (!end) {
          $("ll-interp-note").textContent = "click a point on the map first (it is pinned)";
          return;
        }
        setEnd(which, end);
      };
      $(`ll-${which}-draw`).onclick = () => {
        const d = drawn();
        if (!d) {
          $("ll-interp-note").textContent = "draw a sketch first (Draw to search)";
          return;
        }
        setEnd(which, { z: d.mu, lines: d.lines, label: "your drawing", drawn: true });
      };
      setEnd(which, null);
    }
    $("ll-run").onclick = () => runStrip(api, ends, debug);
  }
  async function runStrip(api, ends, debug) {
    const steps = Math.max(2, Math.min(32, Math.round(+$("ll-steps").value) || 8));
    const temperature = Math.max(0.01, +$("ll-temp").value || 0.1), greedy = $("ll-greedy").checked;
    const seed = Math.round(+$("ll-seed").value) || 0, method = $("ll-method").value;
    const softmaxTemperature = $("ll-choices").value === "js" ? "js" : null;
    const strip = $("ll-istrip"), cells = [];
    for (let j = 0; j < steps; j++) {
      const box = el("div", "cell pending"), canvas = el("canvas");
      box.append(canvas, el("div", "cap", `t = ${(j / (steps - 1)).toFixed(2)}`));
      cells.push([box, canvas]);
    }
    strip.replaceChildren(...cells.map(([box]) => box));
    $("ll-run").disabled = true;
    $("ll-interp-note").textContent = `decoding ${steps} sketches in the page…`;
    const t0 = performance.now();
    debug.interpStrip = new Array(steps).fill(null);
    try {
      await api.interpolate(ends.a.z, ends.b.z, {
        method,
        steps,
        temperature,
        greedy,
        seed,
        softmaxTemperature,
        onSketch(j, rows) {
          debug.interpStrip[j] = rows;
          const [box, canvas] = cells[j];
          box.classList.remove("pending");
          canvas.style.width = canvas.style.height = "84px";
          paintLines(canvas, pointLines(rows.flat()));
        }
      });
      $("ll-interp-note").textContent = `${steps} sketches (${method}, temperature ${temperature}${softmaxTemperature ? ", sketch-rnn-js choices" : ""}${greedy ? ", greedy" : ""}, seed ${seed}) in ${((performance.now() - t0) / 1e3).toFixed(2)} s`;
    } catch (err) {
      $("ll-interp-note").textContent = "decoding failed: " + err.message;
    } finally {
      $("ll-run").disabled = false;
    }
  }
  function showModelPanels(info) {
    $("ll-model-panel").hidden = $("ll-interp").hidden = false;
    if (!info.unsupported) return true;
    $("ll-draw-note").textContent = `The model is not in this page: ${info.unsupported}.`;
    $("ll-draw-box").hidden = $("ll-interp").hidden = true;
    return false;
  }
  function announceModel(api, hint) {
    api.ready.then(
      () => {
        $("ll-draw-note").textContent = hint;
        document.body.dataset.model = "ready";
      },
      (err) => {
        $("ll-draw-note").textContent = "The model could not start: " + err.message;
      }
    );
  }

  // search.js
  function cosineTop(query, k, n, zSize, mu, norms, keep = null) {
    const qn = Math.hypot(...query) || 1, best = [];
    for (let i = 0; i < n; i++) {
      if (keep && !keep(i)) continue;
      let s = 0;
      for (let d = 0; d < zSize; d++) s += query[d] * mu[i * zSize + d];
      const sim = s / (qn * (norms[i] || 1));
      if (best.length < k || sim > best[best.length - 1].sim) {
        best.push({ i, sim });
        best.sort((a, b) => b.sim - a.sim || a.i - b.i);
        if (best.length > k) best.pop();
      }
    }
    return best;
  }
  function dequantise(q, scale, n, zSize) {
    const mu = new Float32Array(n * zSize), norms = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < zSize; d++) {
        const v = q[i * zSize + d] * scale[d];
        mu[i * zSize + d] = v;
        s += v * v;
      }
      norms[i] = Math.sqrt(s);
    }
    return { mu, norms };
  }

  // drawsearch.js
  var K = 12;
  var CANDIDATES = 4 * K;
  var MAX_CELLS = 64;
  var DRAW_HINT = "Draw a sketch: it is encoded in this page and searched over every row.";
  function searchCell(m, c) {
    const { cells } = m;
    if (!cells.has(c)) {
      cells.set(c, loadArrays(`search/${c}.bin`).then((A) => {
        const n = A.row.length;
        return Object.assign({ row: A.row, n }, dequantise(A.mu_q, A.mu_scale, n, m.info.z_size));
      }));
      if (cells.size > MAX_CELLS) cells.delete(cells.keys().next().value);
    } else {
      const hit = cells.get(c);
      cells.delete(c);
      cells.set(c, hit);
    }
    return cells.get(c);
  }
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
      for (const { i, sim } of cosineTop(query, k, data.n, zSize, data.mu, data.norms)) found.push({ row: data.row[i], sim });
    }
    return found.sort((a, b) => b.sim - a.sim || a.row - b.row).slice(0, k);
  }
  async function muOfRow(m, row3) {
    const { M } = m.ex, zSize = m.info.z_size;
    const R = await rowFile(m.ex, Math.floor(row3 / M.row_block)), data = await searchCell(m, R.cell[row3 % M.row_block]);
    const i = data.row.indexOf(row3);
    return Array.from(data.mu.subarray(i * zSize, (i + 1) * zSize));
  }
  async function searchDrawing(m, strokes) {
    const { S } = m.ex;
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
    m.drawing = Object.assign(encoded, { candidates: await nearestRows(m, encoded.mu, CANDIDATES) });
    await showDrawing(m, true);
  }
  function drawingNotes(m, found) {
    const first = found[0], cls = label(m.ex, first), { info } = m;
    $("ll-draw-note").textContent = `${m.drawing.rows.length} points, encoded in ${Math.round(m.drawing.ms)} ms · nearest: row ${first.tile.A.row[first.k]}${cls ? ` (${cls})` : ""}`;
    const filtered2 = Object.keys(m.ex.S.filters).length ? " that pass the filters" : "";
    $("ll-nn-note").textContent = `${found.length} nearest of your drawing${filtered2} (cosine on mu, over every row` + (info.search.cells > 1 ? ` in the ${info.search.probe} of ${info.search.cells} cells nearest it)` : ")");
  }
  async function showDrawing(m, move = false) {
    const { ex: ex2 } = m, { S } = ex2, candidates = m.drawing.candidates;
    const located = await Promise.all(candidates.map(({ row: row3 }) => locate(ex2, row3)));
    const found = located.filter((p) => p && passes(ex2, p.tile.A, p.k)).slice(0, K);
    S.pin = null;
    S.neighbors = found;
    S.drawing = Object.assign({}, m.drawing, { found, pos: null });
    $("ll-pin-note").textContent = "";
    if (!found.length) {
      $("ll-draw-note").textContent = `None of the ${candidates.length} nearest rows passes the filters: loosen them to search.`;
      $("ll-strip").replaceChildren();
      marks(ex2);
      return;
    }
    let su = 0, sv = 0;
    for (const p of found) {
      su += p.tile.A.x[p.k] / 65535;
      sv += p.tile.A.y[p.k] / 65535;
    }
    S.drawing.pos = [su / found.length, sv / found.length];
    drawingNotes(m, found);
    $("ll-strip").replaceChildren(...found.map((q) => cell2(ex2, q, 64, label(ex2, q))));
    inspect(ex2, found[0]);
    if (move) setView(ex2, S.drawing.pos[0], S.drawing.pos[1], S.zoom);
    else marks(ex2);
  }
  function setupPanels(m) {
    const { ex: ex2 } = m, { S, M } = ex2;
    ex2.overlays.push((c, g) => {
      if (!S.drawing || !S.drawing.pos) return;
      const at = toScreen(ex2, ...S.drawing.pos, g);
      edges(c, at, S.neighbors.map((p) => toScreen(ex2, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, g)), "#1f5fa8");
      drawDrawing(c, S.drawing.lines, ...at);
    });
    let busy = Promise.resolve();
    const strokes = drawingPad(() => {
      busy = busy.then(() => searchDrawing(m, strokes));
    });
    document.addEventListener("ll-filtered", () => {
      if (S.drawing) busy = busy.then(() => showDrawing(m));
    });
    document.addEventListener("ll-basis", () => {
      if (S.drawing) busy = busy.then(() => showDrawing(m, true));
    });
    const pinned = async () => {
      if (!S.pin) return null;
      const row3 = S.pin.tile.A.row[S.pin.k], cls = label(ex2, S.pin);
      return {
        z: await muOfRow(m, row3),
        lines: polylines(S.pin.tile.A, "orig", S.pin.k),
        label: `row ${row3}` + (cls ? ` (${cls})` : "")
      };
    };
    interpolation(m.api, { pinned, drawn: () => m.drawing, decodeAttrs: M.decodes.length && M.decodes[0].attrs, debug: S });
  }
  function startModel(ex2, page2) {
    const info = ex2.M.model;
    if (!info || !showModelPanels(info)) return;
    const workers = fetchBuffer("model.bin").then(inflateBinary).then(({ bytes, header }) => spawnWorkers(info, bytes, header));
    const m = { ex: ex2, info, cells: /* @__PURE__ */ new Map(), drawing: null, centres: loadArrays("search/cells.bin").then((A) => A.centres) };
    m.api = Object.assign(modelApi(info, workers), {
      ready: Promise.all([workers, m.centres]).then(() => true),
      async neighbors(query, k = 10, { probe } = {}) {
        return (await nearestRows(m, query, k, probe)).map(({ row: row3 }) => row3);
      },
      muOfRow: (row3) => muOfRow(m, row3)
    });
    Object.assign(page2, m.api);
    setupPanels(m);
    announceModel(m.api, DRAW_HINT);
  }

  // linkstate.js
  async function copyLink() {
    try {
      await navigator.clipboard.writeText(location.href);
      $("ll-link-note").textContent = "copied";
    } catch {
      $("ll-link-note").textContent = location.href;
    }
  }
  function followState(snapshot2) {
    let timer = null, last = "";
    const save = () => {
      const hash = snapshot2();
      if (hash !== last) {
        try {
          history.replaceState(null, "", "#" + hash);
        } catch {
        }
      }
      last = hash;
    };
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(save, 200);
      document.dispatchEvent(new Event("ll-state"));
    };
    document.addEventListener("ll-tab", changed);
    $("ll-copy-link").onclick = () => copyLink();
    return changed;
  }

  // pagestate.js
  var row = (p) => p.tile.A.row[p.k];
  function snapshot(ex2) {
    const { S, B } = ex2;
    const filters2 = Object.fromEntries(Object.entries(S.filters).map(([name, f]) => ["f." + name, f]));
    return encodeState({
      basis: B.j || null,
      view: [S.cx, S.cy, S.zoom],
      color: S.color,
      ...filters2,
      pin: S.pin ? row(S.pin) : null,
      sel: hashRows(S.selection.map(row)),
      tab: ex2.tabs.current()
    });
  }
  function restoreFilters(ex2, st) {
    const { S, M } = ex2;
    if (st.color && M.columns.some((c) => c.name === st.color)) S.color = $("ll-color").value = st.color;
    for (const col of M.columns) {
      const f = st["f." + col.name];
      if (f && col.kind === "categorical") S.filters[col.name] = new Set(f.filter((v) => v >= 0 && v < col.categories.length));
      else if (f && f.length === 2) S.filters[col.name] = f;
    }
    sidePanel(ex2);
  }
  async function applyState(ex2, st) {
    const { M } = ex2;
    const j = Number(st.basis);
    if (st.basis && Number.isInteger(j) && j > 0 && j < M.bases.length) {
      $("ll-basis").value = String(j);
      await setBasis(ex2, j);
    }
    restoreFilters(ex2, st);
    if (st.view && st.view.length === 3 && st.view[2] > 0) await setView(ex2, ...st.view);
    if (st.pin !== void 0) {
      const p = await locate(ex2, Number(st.pin));
      if (p) await pin(ex2, p);
    }
    if (st.sel) showSelection(ex2, (await Promise.all(st.sel.map((r) => locate(ex2, r)))).filter(Boolean));
    ex2.tabs.restore(st.tab);
  }
  async function setupPageState(ex2) {
    await applyState(ex2, decodeState(location.hash, ["view", "sel", ...ex2.M.columns.map((c) => "f." + c.name)]));
    ex2.stateChanged = followState(() => snapshot(ex2));
  }

  // widgetpage.js
  var row2 = (p) => p.tile.A.row[p.k];
  function filters(ex2) {
    const out = {};
    for (const [name, f] of Object.entries(ex2.S.filters)) {
      const col = ex2.M.columns.find((c) => c.name === name);
      out[name] = f instanceof Set ? col.categories.filter((_, j) => !f.has(j)) : f;
    }
    return out;
  }
  function state(ex2) {
    const { S } = ex2;
    return { selection: S.selection.map(row2), pinned: S.pin ? row2(S.pin) : null, color_by: S.color, filter: filters(ex2) };
  }
  function filterState(ex2, filter) {
    const st = {};
    for (const [name, value] of Object.entries(filter)) {
      const col = ex2.M.columns.find((c) => c.name === name);
      if (!col) throw new Error(`this page has no column "${name}"`);
      st["f." + name] = col.kind === "categorical" ? col.categories.map((_, j) => j).filter((j) => !value.includes(col.categories[j])) : value;
    }
    return st;
  }
  async function apply(ex2, set, highlight) {
    const { S } = ex2, st = {};
    if (set.color_by) st.color = set.color_by;
    if (set.filter) {
      S.filters = {};
      Object.assign(st, filterState(ex2, set.filter));
    }
    if (set.selected) {
      st.sel = set.selected;
      if (!set.selected.length && S.pin) await pin(ex2, null);
    }
    if (set.highlight) {
      const found = await Promise.all(set.highlight.map((r) => locate(ex2, r)));
      highlight.splice(0, highlight.length, ...found.filter(Boolean));
    }
    await applyState(ex2, st);
    if (set.color_by || set.filter) filtered(ex2);
    else marks(ex2);
  }
  function linkToPython(ex2) {
    const highlight = [];
    ex2.overlays.push((c, g) => {
      c.strokeStyle = HIGHLIGHT;
      c.lineWidth = 2.5;
      for (const p of highlight) {
        const [sx, sy] = toScreen(ex2, p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, g);
        c.beginPath();
        c.arc(sx, sy, 7, 0, 2 * Math.PI);
        c.stroke();
      }
    });
    ex2.S.highlighted = highlight;
    linkWidget({ state: () => state(ex2), apply: (set) => apply(ex2, set, highlight) });
  }

  // main-explorer.js
  var meta = JSON.parse($("ll-meta").textContent);
  if (meta.files) inlineFiles($("ll-files").textContent, meta.files);
  else if (meta.widget) filesFromKernel();
  var ex = explorerContext(meta, $("ll-map"));
  var page = window.latentlab = {};
  var started = startExplorer(ex, page).then(() => setupPageState(ex));
  page.ready = started.then(() => new Promise((r) => requestAnimationFrame(() => r(!ex.S.failed))));
  page.ready.then((ok) => {
    document.body.dataset.ready = ok ? "1" : "0";
  });
  if (meta.widget) page.ready.then(() => linkToPython(ex));
  startModel(ex, page);
})();

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
  async function inflate(text) {
    const stream = new Blob([unpack(text)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
  function views(buf, header2) {
    const out = {};
    for (const [name, [dtype, offset, shape]] of Object.entries(header2)) {
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
      const kept2 = xs.map((_, i) => i).filter((i) => keep[i]);
      kept2.forEach((i, j) => {
        const x = roundHalfEven(xs[i]), y = roundHalfEven(ys[i]);
        rows.push([x - px, y - py, j === kept2.length - 1 ? 1 : 0]);
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
    for (let row = c; row <= d; row++) {
      for (let k = g.start[row * g.side + a]; k < g.start[row * g.side + b + 1]; k++) visit(g.items[k]);
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
  function binCounts(values, bins, lo, hi) {
    const counts = new Uint32Array(bins), width = hi - lo || 1;
    for (const v of values) {
      if (Number.isFinite(v)) counts[Math.max(0, Math.min(bins - 1, Math.floor((v - lo) / width * bins)))]++;
    }
    return counts;
  }
  function sortedFinite(values) {
    return Float32Array.from(values).filter(Number.isFinite).sort();
  }
  function quantile(sorted, q, otherwise = 0) {
    return sorted.length ? sorted[Math.floor(q * (sorted.length - 1))] : otherwise;
  }
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
  var BINS = 40;
  function classesShown(ctx) {
    const { S } = ctx, names = ctx.column(S.catColumn).categories, q = S.query.toLowerCase();
    const ok = new Uint8Array(names.length + 1);
    names.forEach((name, j) => {
      ok[j + 1] = (S.classes ? S.classes.has(j) : true) && (!q || name.toLowerCase().includes(q)) ? 1 : 0;
    });
    ok[0] = !S.classes && !q ? 1 : 0;
    return ok;
  }
  function applyFilters(ctx) {
    const { A, n, S } = ctx, vis = S.visible, alpha = new Float32Array(n), classOk = classesShown(ctx);
    const codes = A[ctx.column(S.catColumn).array];
    const ranges = Object.entries(S.ranges).map(([name, bounds]) => [A[name], bounds]);
    let shown = 0;
    for (let i = 0; i < n; i++) {
      let ok = classOk[codes[i] + 1] && S.splits.has(A.split[i]);
      for (const [values, [lo, hi]] of ranges) {
        const v = values[i];
        if (!(v >= lo && v <= hi)) {
          ok = 0;
          break;
        }
      }
      vis[i] = ok ? 1 : 0;
      alpha[i] = ok ? 0.75 : 0.05;
      shown += vis[i];
    }
    $("ll-count").textContent = `${shown.toLocaleString("en")} of ${n.toLocaleString("en")} points pass the filters`;
    ctx.shown = shown;
    ctx.status();
    ctx.updatePoints({ a: alpha });
    ctx.renderGrid();
    ctx.scheduleOverlay();
    for (const r of ctx.filterState.ranges) r.draw();
    for (const d of ctx.decorations) if (d.filtered) d.filtered();
    const { debug } = ctx;
    if (debug.inspected >= 0 && !vis[debug.inspected] && debug.pinned !== debug.inspected) ctx.inspect(-1);
    ctx.stateChanged();
  }
  function splitBoxes(ctx) {
    ctx.meta.splits.forEach((name, j) => {
      const label = el("label", "check"), box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.split = j;
      box.onchange = () => {
        if (box.checked) ctx.S.splits.add(j);
        else ctx.S.splits.delete(j);
        applyFilters(ctx);
      };
      label.append(box, document.createTextNode(" split " + name));
      $("ll-splits").append(label);
    });
  }
  function rangeWidget(ctx, name, title, values, integer) {
    const sorted = sortedFinite(values);
    if (!sorted.length) return;
    const lo = sorted[0], hi = sorted[sorted.length - 1];
    const box = el("div", "range"), head = el("div", "head"), text = el("span");
    const canvas = el("canvas"), min = el("input"), max = el("input");
    for (const input of [min, max]) {
      Object.assign(input, { type: "range", min: lo, max: hi, step: integer ? 1 : (hi - lo) / 200 || 1 });
    }
    min.value = lo;
    max.value = hi;
    head.append(el("span", "", title), text);
    box.append(head, canvas, min, max);
    $("ll-ranges").append(box);
    const counts = binCounts(sorted, BINS, lo, hi);
    const bounds = () => [Math.min(+min.value, +max.value), Math.max(+min.value, +max.value)];
    const changed = () => {
      const [a, b] = bounds();
      if (a <= lo && b >= hi) delete ctx.S.ranges[name];
      else ctx.S.ranges[name] = [a, b];
    };
    ctx.filterState.ranges.push({ name, draw() {
      const [a, b] = bounds(), centre = (j) => lo + (j + 0.5) / BINS * (hi - lo);
      text.textContent = integer ? `${a}–${b}` : `${a.toFixed(2)} – ${b.toFixed(2)}`;
      paintHistogram(canvas, counts, (j) => centre(j) >= a && centre(j) <= b ? "#4a90d9" : "#d5d5d5");
    }, set(a, b) {
      min.value = a;
      max.value = b;
      changed();
    }, reset() {
      min.value = lo;
      max.value = hi;
      delete ctx.S.ranges[name];
    } });
    min.oninput = max.oninput = () => {
      changed();
      applyFilters(ctx);
    };
  }
  function countClasses(ctx) {
    const { A, n, S } = ctx, col = ctx.column(S.catColumn), codes = A[col.array], counts = /* @__PURE__ */ new Map();
    for (let i = 0; i < n; i++) if (codes[i] >= 0) counts.set(codes[i], (counts.get(codes[i]) || 0) + 1);
    ctx.filterState.counts = counts;
    ctx.filterState.order = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || col.categories[a].localeCompare(col.categories[b]));
  }
  function renderClassList(ctx) {
    const { S } = ctx, { counts, order } = ctx.filterState;
    const col = ctx.column(S.catColumn), coloured = S.colorBy === S.catColumn;
    $("ll-classes-title").textContent = S.catColumn === "class" ? "Classes" : S.catColumn;
    const list = categoryList({
      names: col.categories,
      order,
      count: (j) => counts.get(j),
      shown: S.classes,
      colour: (j) => coloured ? col.palette[j] : "#bbb",
      query: S.query,
      onChange: (shown) => {
        S.classes = shown;
        renderClassList(ctx);
        applyFilters(ctx);
      }
    });
    if (!order.length) list.append(el("li", "note", S.catColumn === "class" ? "no class labels in this store" : `no ${S.catColumn} values`));
    list.parentElement.classList.toggle("empty", !order.length);
  }
  function setupFilters(ctx) {
    ctx.filterState = { ranges: [], counts: /* @__PURE__ */ new Map(), order: [] };
    Object.assign(ctx, {
      applyFilters: () => applyFilters(ctx),
      renderClassList: () => renderClassList(ctx),
      countClasses: () => countClasses(ctx)
    });
    splitBoxes(ctx);
    for (const col of ctx.meta.columns) {
      if (col.kind === "numeric") rangeWidget(
        ctx,
        col.array,
        col.name === "length" ? "length (points)" : col.name,
        ctx.A[col.array],
        col.integer
      );
    }
    countClasses(ctx);
    $("ll-search").oninput = (e) => {
      ctx.S.query = e.target.value.trim();
      renderClassList(ctx);
      applyFilters(ctx);
    };
  }

  // widgetlink.js
  var HIGHLIGHT = "#ff8c00";
  var post = (msg) => window.parent.postMessage(Object.assign({ latentlab: 1 }, msg), "*");
  function listen(type, handler) {
    window.addEventListener("message", (e) => {
      const msg = e.data;
      if (e.source === window.parent && msg && msg.latentlab && msg.type === type) handler(msg);
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
  function hovered(row) {
    document.dispatchEvent(new CustomEvent("ll-hover", { detail: row }));
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

  // inspector.js
  function inspect(ctx, i) {
    const { meta: meta2, A, S, debug } = ctx;
    debug.inspected = i;
    const columns = meta2.columns.filter((col) => col.name !== "class" || meta2.classes.length);
    inspectRow(A, i, S.dec, columns, i < 0 ? [] : [["split", meta2.splits[A.split[i]] || "?"]]);
    if (i >= 0 && debug.moveTime !== void 0) debug.hoverLatencies.push(performance.now() - debug.moveTime);
  }
  function pin(ctx, i) {
    const { meta: meta2, A } = ctx;
    ctx.debug.pinned = i;
    $("ll-pin-note").textContent = i >= 0 ? "(pinned: click empty map to release)" : "";
    inspect(ctx, i);
    if (i >= 0 && A.neighbors) {
      const found = ctx.neighborsOf(i), nb = meta2.neighbors;
      showStrip(ctx, `${found.length} nearest of row ${A.row[i]} (${nb.metric} on ${nb.use_rep}, ${nb.method})`, found);
    } else {
      const strip = ctx.decorations.map((d) => d.strip && d.strip()).find((x) => x);
      if (strip) {
        showStrip(ctx, ...strip);
        inspect(ctx, strip[1].length ? strip[1][0] : -1);
      } else {
        showStrip(ctx, A.neighbors ? "click a point" : `no neighbours stored: run \`${meta2.makers["uns/knn"]}\``, []);
      }
    }
    ctx.refreshMarks();
    ctx.stateChanged();
  }
  function showStrip(ctx, note, found) {
    $("ll-nn-note").textContent = note;
    ctx.debug.stripRows = found.map((j) => ctx.A.row[j]);
    $("ll-strip").replaceChildren(...found.map((j) => cell(ctx, j, 64)));
  }
  var cell = (ctx, i, size) => rowCell(ctx.A, i, size, ctx.className(i), { onPin: () => pin(ctx, i) });
  function setupInspector(ctx) {
    Object.assign(ctx, {
      inspect: (i) => inspect(ctx, i),
      pin: (i) => pin(ctx, i),
      showStrip: (note, found) => showStrip(ctx, note, found),
      cell: (i, size) => cell(ctx, i, size)
    });
    $("ll-dec-choice").onchange = (e) => {
      ctx.S.dec = e.target.value;
      inspect(ctx, ctx.debug.inspected);
    };
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

  // hittest.js
  function overlaps(a, b) {
    return !(a[2] < b[0] || a[0] > b[2] || a[3] < b[1] || a[1] > b[3]);
  }
  function glyphAt(glyphs, sx, sy) {
    let found = -1;
    for (const [i, gx, gy, size] of glyphs) {
      if (Math.abs(sx - gx) <= size / 2 && Math.abs(sy - gy) <= size / 2) found = i;
    }
    return found;
  }

  // ramp.js
  var VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function rgbHex(rgb) {
    return "#" + rgb.map((c) => c.toString(16).padStart(2, "0")).join("");
  }
  function ramp(t) {
    const x = Math.max(0, Math.min(1, t)) * 4, k = Math.min(3, Math.floor(x)), f = x - k;
    return VIRIDIS[k].map((c, d) => Math.round(c + f * (VIRIDIS[k + 1][d] - c)));
  }
  function viridisPalette(n) {
    return Array.from({ length: n }, (_, j) => rgbHex(ramp(n > 1 ? j / (n - 1) : 0)));
  }

  // map.js
  var HOVER_PX = 5;
  function setBasis(ctx, basis) {
    const { meta: meta2, A, S, fig } = ctx;
    S.basis = basis;
    const [x0, x1, y0, y1] = meta2.bounds[basis];
    fig.x_range.setv({ start: x0, end: x1, reset_start: x0, reset_end: x1 });
    fig.y_range.setv({ start: y0, end: y1, reset_start: y0, reset_end: y1 });
    updatePoints(ctx, { x: A["x_" + basis], y: A["y_" + basis] });
    ctx.grid = gridIndex(A["x_" + basis], A["y_" + basis], meta2.bounds[basis]);
    ctx.refreshMarks();
    ctx.stateChanged();
  }
  function setColor(ctx, by) {
    const { A, S } = ctx, col = ctx.column(by), c = Float32Array.from(A[col.array]);
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
    ctx.mapper.setv({ palette, low: lo, high: hi, low_color: numeric ? null : "#bbbbbb" });
    ctx.colorbar.setv({ visible: numeric, title: numeric ? `${by} (1st-99th percentile)` : "" });
    updatePoints(ctx, { c });
    if (newList) {
      S.catColumn = by;
      S.classes = null;
      ctx.countClasses();
      ctx.applyFilters();
    }
    ctx.renderClassList();
    ctx.scheduleOverlay();
    ctx.stateChanged();
  }
  function categoryColor(ctx, i) {
    const col = ctx.column(ctx.S.colorBy);
    if (col.kind !== "categorical") return null;
    const code = ctx.A[col.array][i];
    return code >= 0 ? col.palette[code] : null;
  }
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
  function frame(ctx) {
    const view = plotView(ctx), mapbox = $("ll-mapbox").getBoundingClientRect();
    const canvas = view ? view.canvas_view.el.getBoundingClientRect() : mapbox;
    const b = view ? view.frame.bbox : { left: 0, top: 0, width: mapbox.width, height: mapbox.height };
    return {
      left: canvas.left + b.left,
      top: canvas.top + b.top,
      width: b.width,
      height: b.height,
      bx: b.left,
      by: b.top,
      ox: canvas.left - mapbox.left + b.left,
      oy: canvas.top - mapbox.top + b.top
    };
  }
  function dataToScreen(ctx, x, y, f) {
    const xr = ctx.fig.x_range, yr = ctx.fig.y_range;
    return [(x - xr.start) / (xr.end - xr.start) * f.width, (yr.end - y) / (yr.end - yr.start) * f.height];
  }
  var toScreen = (ctx, i, f) => dataToScreen(ctx, ctx.A["x_" + ctx.S.basis][i], ctx.A["y_" + ctx.S.basis][i], f);
  function pagePoint(ctx, i) {
    const f = frame(ctx), [sx, sy] = toScreen(ctx, i, f);
    return { x: f.left + sx, y: f.top + sy };
  }
  function pointAt(ctx, sx, sy, radius, f = frame(ctx)) {
    const xr = ctx.fig.x_range, yr = ctx.fig.y_range;
    const perX = (xr.end - xr.start) / f.width, perY = (yr.end - yr.start) / f.height;
    let best = -1, bestD = radius * radius;
    gridVisit(ctx.grid, xr.start + sx * perX, yr.end - sy * perY, radius * perX, radius * perY, (i) => {
      if (!ctx.S.visible[i]) return;
      const [px, py] = toScreen(ctx, i, f), d = (px - sx) ** 2 + (py - sy) ** 2;
      if (d < bestD || d === bestD && i > best) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }
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
  function refreshMarks(ctx) {
    const { A, S } = ctx, X = A["x_" + S.basis], Y = A["y_" + S.basis], i = ctx.debug.pinned;
    const m = { x: [], y: [], color: [], size: [] }, e = { x0: [], y0: [], x1: [], y1: [], color: [] };
    if (i >= 0) {
      for (const j of ctx.neighborsOf(i)) {
        m.x.push(X[j]);
        m.y.push(Y[j]);
        m.color.push("#e4572e");
        m.size.push(12);
        e.x0.push(X[i]);
        e.y0.push(Y[i]);
        e.x1.push(X[j]);
        e.y1.push(Y[j]);
        e.color.push("#e4572e");
      }
      m.x.push(X[i]);
      m.y.push(Y[i]);
      m.color.push("#111");
      m.size.push(18);
    }
    for (const d of ctx.decorations) if (d.marks) d.marks(m, e, S.basis);
    ctx.marks.data = m;
    ctx.edges.data = e;
    ctx.scheduleOverlay();
  }
  function controls(ctx) {
    const { meta: meta2, A, S } = ctx;
    meta2.bases.forEach((b, i) => $("ll-basis").add(new Option(meta2.basis_labels[i], b)));
    $("ll-basis").disabled = meta2.bases.length < 2;
    $("ll-basis").onchange = (e) => ctx.setBasis(e.target.value);
    const present = (col) => new Set(A[col.array].filter((v) => v >= 0)).size > 1;
    const colorOptions = meta2.columns.filter((col) => col.kind === "numeric" || present(col)).map((col) => col.name);
    for (const c of colorOptions) $("ll-color").add(new Option(c, c));
    if (!colorOptions.includes(S.colorBy)) S.colorBy = colorOptions[0];
    $("ll-color").value = S.colorBy;
    $("ll-color").onchange = (e) => ctx.setColor(e.target.value);
    const tools = ctx.fig.toolbar.tools;
    const drag = {
      pan: tools.find((t) => t.type === "PanTool"),
      box: tools.find((t) => t.type === "BoxSelectTool"),
      lasso: tools.find((t) => t.type === "LassoSelectTool")
    };
    $("ll-drag").onchange = (e) => {
      for (const [key, t] of Object.entries(drag)) t.active = key === e.target.value;
    };
  }
  function setupMap(ctx) {
    const bind = (f) => (...args) => f(ctx, ...args);
    Object.assign(ctx, {
      setBasis: bind(setBasis),
      setColor: bind(setColor),
      categoryColor: bind(categoryColor),
      updatePoints: bind(updatePoints),
      flushPoints: bind(flushPoints),
      plotView: bind(plotView),
      frame: bind(frame),
      dataToScreen: bind(dataToScreen),
      toScreen: bind(toScreen),
      pointAt: bind(pointAt),
      refreshMarks: bind(refreshMarks),
      glyphs: [],
      grid: null
    });
    ctx.hooks.tap = bind(tap);
    Object.assign(ctx.debug, { pagePoint: bind(pagePoint), pointAt: ctx.pointAt, frame: ctx.frame });
    document.addEventListener("pointermove", (e) => {
      ctx.debug.moveTime = e.timeStamp;
    }, true);
    $("ll-mapbox").addEventListener("pointermove", bind(hover));
    controls(ctx);
    const n = ctx.n;
    ctx.pendingPoints = {
      x: ctx.A["x_" + ctx.S.basis],
      y: ctx.A["y_" + ctx.S.basis],
      c: new Float32Array(n),
      a: new Float32Array(n).fill(0.75)
    };
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
  function covers([, sx, sy, size], marked, margin = 8) {
    return marked.some(([mx, my]) => Math.abs(mx - sx) < size / 2 + margin && Math.abs(my - sy) < size / 2 + margin);
  }

  // labels.js
  var THUMB = 26;
  var PAD = 3;
  var FONT = "600 12px system-ui, -apple-system, sans-serif";
  function placeLabels(labels, place, textWidth, width, height) {
    const placed = [];
    for (const label of labels) {
      const at = place(label);
      if (!at) continue;
      const [x, y] = at;
      const box = [
        x - THUMB / 2 - PAD,
        y - THUMB / 2 - PAD,
        x + THUMB / 2 + 3 * PAD + textWidth(label.text),
        y + THUMB / 2 + PAD
      ];
      if (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height) continue;
      if (placed.some((p) => overlaps(p.box, box))) continue;
      placed.push({ label, x, y, box });
    }
    return placed;
  }
  function drawLabels(c, labels, place, color, width, height) {
    c.save();
    c.font = FONT;
    c.textBaseline = "middle";
    const placed = placeLabels(labels, place, (text) => c.measureText(text).width, width, height);
    for (const { label, x, y, box } of placed) {
      c.fillStyle = "rgba(255,255,255,0.92)";
      c.strokeStyle = color(label.code) || "#666";
      c.lineWidth = 2;
      c.beginPath();
      c.roundRect(box[0], box[1], box[2] - box[0], box[3] - box[1], 5);
      c.fill();
      c.stroke();
      drawLines(c, label.thumb, x, y, THUMB, "#222", 1);
      c.fillStyle = "#111";
      c.fillText(label.text, x + THUMB / 2 + 2 * PAD, y);
    }
    c.restore();
    return placed.map(({ label, x, y, box }) => ({ text: label.text, code: label.code, x, y, box }));
  }

  // overlay.js
  var WATCH_FRAMES = 30;
  var frameKey = (f) => [f.ox, f.oy, f.width, f.height].map(Math.round).join();
  function scheduleOverlay(ctx) {
    const o = ctx.overlayState;
    o.settling = WATCH_FRAMES;
    if (o.pending) return;
    o.pending = true;
    const tick = () => {
      if (o.pending || frameKey(ctx.frame()) !== o.drawnFor) {
        o.pending = false;
        drawOverlay(ctx);
      }
      if (--o.settling > 0) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  function inView(ctx, f) {
    const { n, S } = ctx, found = [];
    for (let i = 0; i < n; i++) {
      if (!S.visible[i]) continue;
      const [sx, sy] = ctx.toScreen(i, f);
      if (sx >= 0 && sx <= f.width && sy >= 0 && sy <= f.height) found.push([i, sx, sy]);
    }
    return found;
  }
  function kept(ctx, f) {
    const { S, debug } = ctx, marked = debug.pinned < 0 ? [] : [debug.pinned].concat(ctx.neighborsOf(debug.pinned)).map((j) => ctx.toScreen(j, f));
    for (const d of ctx.decorations) if (d.keep) marked.push(...d.keep(S.basis).map(([x, y]) => ctx.dataToScreen(x, y, f)));
    return marked;
  }
  function glyph(ctx, c, i, sx, sy, size) {
    const color = ctx.categoryColor(i);
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
    const { S, debug } = ctx, f = ctx.frame(), ratio = window.devicePixelRatio || 1, overlay = $("ll-overlay");
    const o = ctx.overlayState;
    o.drawnFor = frameKey(f);
    const view = ctx.plotView();
    if (view && !o.watched) {
      o.watched = true;
      new ResizeObserver(() => scheduleOverlay(ctx)).observe(view.canvas_view.el);
    }
    Object.assign(overlay.style, { left: f.ox + "px", top: f.oy + "px", width: f.width + "px", height: f.height + "px" });
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
  function drawMapLabels(ctx, c, f) {
    const { meta: meta2, S, debug } = ctx, labels = (meta2.labels || {})[S.colorBy] || [], col = ctx.column(S.colorBy);
    const shown = (code) => S.catColumn !== S.colorBy || !S.classes || S.classes.has(code);
    const place = (l) => shown(l.code) ? ctx.dataToScreen(...l.at[S.basis], f) : null;
    debug.labels = drawLabels(c, labels, place, (code) => col.palette[code], f.width, f.height);
  }
  function drawGlyphs(ctx, c, f) {
    const marked = kept(ctx, f);
    const chosen = chooseGlyphs(inView(ctx, f), f.width).filter((g) => !covers(g, marked));
    for (const [i, sx, sy, size] of chosen) glyph(ctx, c, i, sx, sy, size);
    ctx.debug.overlayRows = chosen.map((g) => ctx.A.row[g[0]]);
    ctx.glyphs = ctx.debug.glyphs = chosen;
  }
  function setupOverlay(ctx) {
    ctx.overlayState = { pending: false, drawnFor: "", settling: 0, watched: false };
    const schedule = () => scheduleOverlay(ctx), draw = () => drawOverlay(ctx);
    Object.assign(ctx, { scheduleOverlay: schedule, drawOverlay: draw });
    ctx.hooks.viewChanged = () => {
      schedule();
      ctx.stateChanged();
    };
    window.addEventListener("resize", schedule);
    new ResizeObserver(schedule).observe($("ll-mapbox"));
    $("ll-thumbs").onchange = draw;
    $("ll-labels").onchange = draw;
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
    let header2 = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
    header2 += " ".repeat(63 - (10 + header2.length) % 64) + "\n";
    const out = new Uint8Array(10 + header2.length + array.byteLength), view = new DataView(out.buffer);
    out.set([147, 78, 85, 77, 80, 89, 1, 0]);
    view.setUint16(8, header2.length, true);
    out.set(new TextEncoder().encode(header2), 10);
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 10 + header2.length);
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

  // pagestate.js
  var LISTS = ["view", "classes", "splits", "sel"];
  function snapshot(ctx) {
    const { S, A, meta: meta2, fig, debug } = ctx, state2 = { basis: S.basis, color: S.colorBy, q: S.query };
    state2.view = [fig.x_range.start, fig.x_range.end, fig.y_range.start, fig.y_range.end];
    state2.classes = S.classes;
    state2.splits = S.splits.size === meta2.splits.length ? null : S.splits;
    for (const [name, bounds] of Object.entries(S.ranges)) state2["r." + name] = bounds;
    state2.pin = debug.pinned >= 0 ? A.row[debug.pinned] : null;
    state2.sel = hashRows(S.selection.map((i) => A.row[i]));
    state2.tab = ctx.tabs.current();
    return encodeState(state2);
  }
  function restoreFilters(ctx, st) {
    const { S, meta: meta2 } = ctx;
    if (!Object.keys(st).some((k) => ["color", "classes", "q", "splits"].includes(k) || k.startsWith("r."))) return;
    if (st.color && [...$("ll-color").options].some((o) => o.value === st.color)) {
      $("ll-color").value = st.color;
      ctx.setColor(st.color);
    }
    const names = ctx.column(S.catColumn).categories;
    if (st.classes) S.classes = new Set(st.classes.filter((j) => j >= 0 && j < names.length));
    if (st.q) S.query = $("ll-search").value = st.q;
    if (st.splits) {
      S.splits = new Set(st.splits.filter((j) => j >= 0 && j < meta2.splits.length));
      for (const box of document.querySelectorAll("#ll-splits input")) box.checked = S.splits.has(+box.dataset.split);
    }
    for (const r of ctx.filterState.ranges) if (st["r." + r.name]) r.set(...st["r." + r.name]);
    ctx.renderClassList();
    ctx.applyFilters();
  }
  function applyState(ctx, st) {
    const { S, meta: meta2, fig } = ctx;
    if (st.basis && meta2.bases.includes(st.basis) && st.basis !== S.basis) {
      $("ll-basis").value = st.basis;
      ctx.setBasis(st.basis);
    }
    restoreFilters(ctx, st);
    if (st.view && st.view.length === 4) {
      fig.x_range.setv({ start: st.view[0], end: st.view[1] });
      fig.y_range.setv({ start: st.view[2], end: st.view[3] });
    }
    const index = rowIndex(ctx);
    if (st.pin !== void 0 && index(+st.pin) >= 0) ctx.pin(index(+st.pin));
    if (st.sel) {
      S.selection = [...new Set(st.sel.map(index).filter((i) => i >= 0))].sort((a, b) => a - b);
      ctx.points.selected.indices = S.selection.slice();
      ctx.renderGrid();
    }
    ctx.tabs.restore(st.tab);
  }
  function rowIndex(ctx) {
    if (!ctx.rowMap) ctx.rowMap = new Map(Array.from(ctx.A.row, (row, i) => [row, i]));
    return (row) => ctx.rowMap.get(row) ?? -1;
  }
  function setupPageState(ctx) {
    applyState(ctx, decodeState(location.hash, LISTS.concat(ctx.filterState.ranges.map((r) => "r." + r.name))));
    ctx.stateChanged = followState(() => snapshot(ctx));
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
  function cell2(col, { A, i }) {
    const v = A[col.array][i];
    if (col.kind === "categorical") return v >= 0 ? col.categories[v] : "";
    return Number.isFinite(v) ? v : "";
  }
  function selectionCsv(items, columns) {
    return toCsv(["row", ...columns.map((c) => c.name)], items.map((it) => [it.A.row[it.i], ...columns.map((c) => cell2(c, it))]));
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

  // selection.js
  function setupSelection(ctx) {
    const { A, S, debug } = ctx;
    const passing = () => S.selection.filter((i) => S.visible[i]);
    const refreshExport = setupExport(() => passing().map((i) => ({ A, i })), ctx.meta.columns, ctx.meta.store);
    ctx.hooks.selected = (obj) => {
      const chosen = Array.from(obj.indices).sort((a, b) => a - b);
      const fresh = chosen.length !== S.selection.length || chosen.some((i, k) => i !== S.selection[k]);
      if (!fresh) return;
      S.selection = chosen;
      S.page = 0;
      ctx.renderGrid();
      if (S.selection.length) ctx.tabs.show("selection");
      ctx.stateChanged();
    };
    ctx.renderGrid = function() {
      const rows = passing();
      const pages = Math.max(1, Math.ceil(rows.length / S.perPage));
      S.page = Math.min(S.page, pages - 1);
      const shown = rows.slice(S.page * S.perPage, (S.page + 1) * S.perPage);
      debug.gridRows = shown.map((i) => A.row[i]);
      debug.selectionRows = rows.map((i) => A.row[i]);
      $("ll-grid").replaceChildren(...shown.map((i) => ctx.cell(i, 84)));
      $("ll-sel-note").textContent = rows.length ? `${rows.length} selected sketches pass the filters (Esc or clear to empty the selection)` : "choose box or lasso select under Map, then drag on the map";
      $("ll-sel-clear").disabled = !S.selection.length;
      $("ll-page").textContent = rows.length ? `page ${S.page + 1} of ${pages}` : "";
      $("ll-prev").disabled = S.page === 0;
      $("ll-next").disabled = S.page >= pages - 1;
      refreshExport();
    };
    const clear = () => {
      ctx.points.selected.indices = [];
      S.selection = [];
      ctx.renderGrid();
      ctx.stateChanged();
    };
    $("ll-sel-clear").onclick = clear;
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && S.selection.length && e.target.tagName !== "INPUT") clear();
    });
    $("ll-prev").onclick = () => {
      S.page--;
      ctx.renderGrid();
    };
    $("ll-next").onclick = () => {
      S.page++;
      ctx.renderGrid();
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

  // explorer.js
  var VIEWS = [setupMap, setupOverlay, setupFilters, setupInspector, setupSelection];
  var nextFrame = () => new Promise((r) => requestAnimationFrame(r));
  function decodeText(dec) {
    const p = dec.attrs;
    return `${dec.key} (temperature ${p.temperature}, softmax temperature ${p.softmax_temperature}${p.greedy ? ", greedy" : ""}, seed ${p.random_state ?? p.seed}, from ${p.use_rep || "mu"})`;
  }
  function statusLine(ctx) {
    const { meta: meta2, n, shown } = ctx, decs = meta2.decodes, en = (v) => v.toLocaleString("en");
    const decText = decs.length ? `decoded: ${decodeText(decs[0])}` + (decs.length > 1 ? ` and ${decs.length - 1} more (chosen in the inspector)` : "") : `no decoded sketches in this store (run \`${meta2.makers["uns/decoded"]}\`)`;
    const points = shown < n ? `${en(shown)} of ${en(n)} points pass the filters` : `${en(n)} points shown`;
    $("ll-subtitle").textContent = points + (meta2.sampled ? ` (a sample of ${en(meta2.n_total)})` : shown < n ? "" : " (all)") + ` · ${decText}` + (meta2.left_out ? ` · ${meta2.left_out}` : "");
  }
  function header(meta2, n) {
    $("ll-title").textContent = meta2.title;
    const decs = meta2.decodes;
    if (meta2.sampled) {
      const b = $("ll-banner");
      b.hidden = false;
      b.textContent = `This store holds ${meta2.n_total.toLocaleString("en")} sketches; the map shows a random sample of ${n.toLocaleString("en")} (seed ${meta2.sample_seed}). Raise max_points to show more.`;
    }
    if (!decs.length) $("ll-dec-fig").hidden = true;
    decs.forEach((d, j) => $("ll-dec-choice").add(new Option(`decoded (${d.key})`, "dec" + j)));
    $("ll-dec-choice").disabled = decs.length < 2;
    $("ll-dec-choice").title = decs.map(decodeText).join("\n");
    for (const [key, value] of meta2.provenance) {
      const tr = $("ll-prov-table").insertRow();
      tr.insertCell().textContent = key;
      tr.insertCell().textContent = value;
    }
  }
  function bokehDocument() {
    return new Promise((resolve) => {
      const poll = () => {
        const B = window.Bokeh, docs = B && B.documents;
        const doc = docs && docs.find((d) => d.get_model_by_name("ll-map"));
        const ready = doc && (!B.index || Object.keys(B.index).length || typeof B.index.find_one === "function");
        if (doc && ready) resolve(doc);
        else setTimeout(poll, 20);
      };
      poll();
    });
  }
  async function readArrays(meta2) {
    const A = views(await inflate($("ll-data").textContent), meta2.arrays);
    for (const [name, [lo, step]] of Object.entries(meta2.quantised)) {
      const q = A[name], x = A[name] = new Float32Array(q.length);
      for (let i = 0; i < q.length; i++) x[i] = lo + q[i] * step;
    }
    return A;
  }
  async function context(meta2, page2) {
    const A = await readArrays(meta2);
    const n = meta2.n_shown, k = A.neighbors ? A.neighbors.length / Math.max(n, 1) : 0;
    const S = {
      basis: meta2.bases[0],
      colorBy: meta2.color_by,
      catColumn: "class",
      classes: null,
      query: "",
      dec: meta2.decodes.length ? "dec0" : null,
      splits: new Set(meta2.splits.keys()),
      ranges: {},
      visible: new Uint8Array(n).fill(1),
      selection: [],
      page: 0,
      perPage: 48
    };
    Object.assign(page2.debug, { state: S, arrays: A });
    const doc = await bokehDocument();
    const model = (name) => doc.get_model_by_name(name);
    return {
      meta: meta2,
      A,
      n,
      S,
      debug: page2.debug,
      hooks: page2.hooks,
      decorations: [],
      tabs: setupTabs(),
      stateChanged: () => {
      },
      shown: n,
      status: () => {
      },
      fig: model("ll-map"),
      points: model("ll-points"),
      mapper: model("ll-mapper"),
      colorbar: model("ll-colorbar"),
      marks: model("ll-marks"),
      edges: model("ll-edges"),
      className: (i) => A.label[i] >= 0 ? meta2.classes[A.label[i]] : "",
      column: (name) => meta2.columns.find((c) => c.name === name),
      // the stored neighbours of shown point i that are shown too, nearest first
      neighborsOf: (i) => (A.neighbors ? Array.from(A.neighbors.subarray(i * k, i * k + k)) : []).filter((j) => j >= 0)
    };
  }
  async function settled(ctx) {
    let last = "";
    for (let tries = 0; tries < 100; tries++) {
      await nextFrame();
      const f = ctx.frame(), key = [f.left, f.top, f.width, f.height].join();
      if (key === last && f.width > 0) break;
      last = key;
    }
    ctx.drawOverlay();
    let prompt = 0;
    for (let t = performance.now(), tries = 0; prompt < 2 && tries < 300; tries++) {
      await nextFrame();
      const now = performance.now();
      prompt = now - t < 100 ? prompt + 1 : 0;
      t = now;
    }
  }
  async function boot(meta2, page2) {
    const ctx = await context(meta2, page2);
    ctx.status = () => statusLine(ctx);
    header(meta2, ctx.n);
    for (const setup of VIEWS) setup(ctx);
    ctx.setBasis(ctx.S.basis);
    ctx.setColor(ctx.S.colorBy);
    ctx.applyFilters();
    ctx.pin(-1);
    showIssues(meta2.issues, (row) => {
      const i = ctx.A.row.indexOf(row);
      if (i >= 0) ctx.pin(i);
      else $("ll-pin-note").textContent = `row ${row} is not in this page's sample`;
    });
    ctx.flushPoints();
    setupPageState(ctx);
    await settled(ctx);
    document.body.dataset.ready = "1";
    return ctx;
  }
  function startExplorer(meta2, page2) {
    Object.assign(page2, { debug: { inspected: -1, pinned: -1, hoverLatencies: [], state: null }, hooks: {} });
    const started = boot(meta2, page2);
    started.catch((err) => {
      document.body.dataset.ready = "error";
      const b = $("ll-banner");
      b.hidden = false;
      b.textContent = "The explorer could not start: " + err;
      console.error(err);
    });
    return started;
  }

  // explorerwidget.js
  function filters(ctx) {
    const { S, meta: meta2 } = ctx, out = {};
    if (S.classes) out[S.catColumn] = [...S.classes].sort((a, b) => a - b).map((j) => ctx.column(S.catColumn).categories[j]);
    if (S.splits.size < meta2.splits.length) out.split = [...S.splits].sort((a, b) => a - b).map((j) => meta2.splits[j]);
    for (const [array, bounds] of Object.entries(S.ranges)) out[meta2.columns.find((c) => c.array === array).name] = bounds;
    return out;
  }
  function state(ctx) {
    const { S, A, debug } = ctx;
    return {
      selection: S.selection.map((i) => A.row[i]),
      pinned: debug.pinned >= 0 ? A.row[debug.pinned] : null,
      color_by: S.colorBy,
      filter: filters(ctx)
    };
  }
  function dropFilters(ctx) {
    const { S, meta: meta2 } = ctx;
    S.classes = null;
    S.query = $("ll-search").value = "";
    S.splits = new Set(meta2.splits.keys());
    for (const box of document.querySelectorAll("#ll-splits input")) box.checked = true;
    for (const r of ctx.filterState.ranges) r.reset();
  }
  function filterState(ctx, filter) {
    const { meta: meta2 } = ctx, st = {};
    for (const [name, value] of Object.entries(filter)) {
      const col = ctx.column(name);
      if (name === "split") st.splits = value.map((v) => meta2.splits.indexOf(v));
      else if (!col) throw new Error(`this page has no column "${name}"`);
      else if (col.kind === "numeric") st["r." + col.array] = value;
      else {
        if (name !== ctx.S.catColumn) st.color = name;
        st.classes = value.map((v) => col.categories.indexOf(v));
      }
    }
    return st;
  }
  function apply(ctx, set, highlight) {
    const st = {};
    if (set.color_by) st.color = set.color_by;
    if (set.filter) {
      dropFilters(ctx);
      Object.assign(st, filterState(ctx, set.filter));
      if (!Object.keys(set.filter).length) {
        ctx.renderClassList();
        ctx.applyFilters();
      }
    }
    if (set.selected) {
      st.sel = set.selected;
      if (!set.selected.length && ctx.debug.pinned >= 0) ctx.pin(-1);
    }
    if (set.highlight) {
      const index = rowIndex(ctx);
      highlight.splice(0, highlight.length, ...set.highlight.map(index).filter((i) => i >= 0));
      ctx.refreshMarks();
    }
    applyState(ctx, st);
    if (set.selected && set.selected.length) ctx.tabs.show("selection");
  }
  function linkExplorerWidget(ctx) {
    const highlight = [];
    ctx.decorations.push({ marks(m, e, basis) {
      for (const i of highlight) {
        m.x.push(ctx.A["x_" + basis][i]);
        m.y.push(ctx.A["y_" + basis][i]);
        m.color.push(HIGHLIGHT);
        m.size.push(14);
      }
    } });
    ctx.debug.highlighted = highlight;
    linkWidget({ state: () => state(ctx), apply: (set) => apply(ctx, set, highlight) });
  }

  // model.js
  function spawnWorkers(info, bytes, header2) {
    const url = URL.createObjectURL(new Blob([$("ll-model-js").textContent], { type: "text/javascript" }));
    const count = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    const pool = [];
    let nextId = 1;
    for (let w = 0; w < count; w++) {
      const worker = new Worker(url), waiting = /* @__PURE__ */ new Map();
      worker.onmessage = (e) => {
        const { id, result, error } = e.data, done = waiting.get(id);
        waiting.delete(id);
        if (error) done.reject(new Error(error));
        else done.resolve(result);
      };
      pool.push({ worker, waiting });
    }
    const send = (slot, message) => new Promise((resolve, reject) => {
      const id = nextId++;
      slot.waiting.set(id, { resolve, reject });
      slot.worker.postMessage(Object.assign({ id }, message));
    });
    const call = (message) => send(pool.reduce((a, b) => b.waiting.size < a.waiting.size ? b : a), message);
    const model = Object.assign({}, info, { arrays: void 0 });
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return Promise.all(pool.map((slot) => send(slot, { type: "init", meta: model, buffer: buffer.slice(0), header: header2 }))).then(() => ({ call, size: count }));
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

  // inpage.js
  var K = 12;
  var DRAW_HINT = "Draw a sketch: it is encoded in this page and its nearest stored sketches are shown.";
  function storedMu(meta2, A) {
    const n = meta2.n_shown, zSize = meta2.model.z_size, { mu, norms } = dequantise(A.mu_q, A.mu_scale, n, zSize);
    const nearest = (query, k, visible) => cosineTop(query, k, n, zSize, mu, norms, visible && ((i) => visible[i]));
    return { nearest, row: A.row, muOf: (i) => Array.from(mu.subarray(i * zSize, (i + 1) * zSize)) };
  }
  function setupDraw(m, view) {
    let busy = Promise.resolve();
    const strokes = drawingPad(() => {
      busy = busy.then(() => searchDrawing(m, view, strokes));
    });
    view.decorations.push(Object.assign(drawingDecoration(view), {
      filtered: () => {
        if (view.debug.drawn) placeDrawing(m, view);
      }
    }));
  }
  async function searchDrawing(m, view, strokes) {
    const { debug } = view;
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
  function drawingPlace(bases, A, found) {
    const pos = {};
    for (const basis of bases) {
      let sx = 0, sy = 0, sw = 0;
      for (const { i, sim } of found) {
        const w = 1 / (1 - sim + 1e-3);
        sx += w * A["x_" + basis][i];
        sy += w * A["y_" + basis][i];
        sw += w;
      }
      pos[basis] = [sx / sw, sy / sw];
    }
    return pos;
  }
  function placeDrawing(m, view) {
    const { A, S, debug } = view, d = debug.drawn, found = m.search.nearest(d.mu, K, S.visible);
    if (!found.length) {
      Object.assign(d, { found, pos: null, note: "no sketch passes the filters" });
      debug.drawnRows = [];
      $("ll-draw-note").textContent = "No stored sketch passes the filters: loosen them to search.";
      view.pin(-1);
      return;
    }
    const filtered = found.length < view.n && S.visible.some((v) => !v) ? " that pass the filters" : "";
    Object.assign(d, {
      found,
      pos: drawingPlace(m.meta.bases, A, found),
      note: `${found.length} nearest of your drawing${filtered} (cosine on mu; ${d.rows.length} points encoded in the page in ${Math.round(d.ms)} ms)`
    });
    debug.drawnRows = found.map(({ i }) => A.row[i]);
    view.pin(-1);
    view.inspect(found[0].i);
    $("ll-draw-note").textContent = `${d.rows.length} points · nearest: row ${A.row[found[0].i]}` + (view.className(found[0].i) ? ` (${view.className(found[0].i)})` : "") + `, cosine ${found[0].sim.toFixed(3)}`;
    view.refreshMarks();
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
  function drawingDecoration(view) {
    const { A, debug } = view;
    return {
      strip: () => debug.drawn && debug.drawn.found ? [debug.drawn.note, debug.drawn.found.map(({ i }) => i)] : null,
      marks(m, e, basis) {
        const d = debug.drawn;
        if (!d || !d.pos) return;
        const [x, y] = d.pos[basis], X = A["x_" + basis], Y = A["y_" + basis];
        for (const { i } of d.found) {
          m.x.push(X[i]);
          m.y.push(Y[i]);
          m.color.push("#1f5fa8");
          m.size.push(12);
          e.x0.push(x);
          e.y0.push(y);
          e.x1.push(X[i]);
          e.y1.push(Y[i]);
          e.color.push("#1f5fa8");
        }
      },
      keep(basis) {
        const d = debug.drawn;
        return d && d.pos ? [d.pos[basis]].concat(d.found.map(({ i }) => [A["x_" + basis][i], A["y_" + basis][i]])) : [];
      },
      overlay(c, f, basis) {
        const d = debug.drawn;
        if (d && d.pos) drawDrawing(c, d.lines, ...view.dataToScreen(...d.pos[basis], f));
      }
    };
  }
  function setupInterpolation(m, view) {
    const { A, debug } = view, label = (i) => `row ${A.row[i]}` + (view.className(i) ? ` (${view.className(i)})` : "");
    interpolation(m.api, {
      pinned: async () => debug.pinned < 0 ? null : {
        z: m.search.muOf(debug.pinned),
        lines: polylines(A, "orig", debug.pinned),
        label: label(debug.pinned)
      },
      drawn: () => debug.drawn,
      decodeAttrs: m.meta.decodes.length && m.meta.decodes[0].attrs,
      debug
    });
  }
  function startInpage(meta2, page2, explorer) {
    const info = meta2.model;
    if (!info || !showModelPanels(info)) return;
    const workers = inflate($("ll-model").textContent).then((bytes) => spawnWorkers(info, bytes, info.arrays));
    const search = explorer.then((ctx) => storedMu(meta2, ctx.A));
    const api = Object.assign(modelApi(info, workers), {
      ready: Promise.all([workers, search]).then(() => true),
      async neighbors(query, k = 10) {
        const s = await search;
        return s.nearest(query, k).map(({ i }) => s.row[i]);
      }
    });
    Object.assign(page2, api);
    Promise.all([explorer, search]).then(([view, found]) => {
      const m = { meta: meta2, api, search: found };
      setupDraw(m, view);
      setupInterpolation(m, view);
      announceModel(api, DRAW_HINT);
    });
  }

  // main-explorer.js
  var meta = JSON.parse($("ll-meta").textContent);
  var page = window.latentlab = {};
  page.explorer = startExplorer(meta, page);
  startInpage(meta, page, page.explorer);
  if (meta.widget) page.explorer.then(linkExplorerWidget);
})();

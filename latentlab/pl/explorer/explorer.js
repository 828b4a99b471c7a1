// latentlab's explorer: draws the store's sketches from their strokes and links the page's views to the bokeh map.
// Every string from the data reaches the page through textContent (never innerHTML).
(function () {
  "use strict";
  const meta = JSON.parse(document.getElementById("ll-meta").textContent);
  const DTYPES = {float32: Float32Array, int32: Int32Array, uint32: Uint32Array, int16: Int16Array,
                  uint16: Uint16Array, uint8: Uint8Array, int8: Int8Array};
  const VIRIDIS = ["#440154", "#482878", "#3e4a89", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58",
                   "#b5de2b", "#fde725"];
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const LL = {ready: null, inspected: -1, pinned: -1, hoverLatencies: [], state: null, decorations: []};
  window.LL = LL;

  // base64 of deflated bytes -> Uint8Array (the data here, the model's weights in inpage.js)
  LL.inflate = inflate;
  async function inflate(b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function views(buf, header) {
    const out = {};
    for (const [name, [dtype, offset, shape]] of Object.entries(header)) {
      const T = DTYPES[dtype];
      const count = shape.reduce((a, b) => a * b, 1);
      out[name] = new T(buf.buffer, buf.byteOffset + offset, count);
    }
    return out;
  }

  // ---- sketches -------------------------------------------------------------------------------------------
  function polylines(A, which, i) {
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

  // stroke-3 points (flat [dx, dy, pen] rows) -> polylines, as polylines() does for the stored tables
  function pointLines(points) {
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

  // Draw polylines centred in the box (cx, cy, size) of a 2-D context, aspect kept.
  function drawLines(ctx, lines, cx, cy, size, color, width) {
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
  const drawSketch = (ctx, A, which, i, cx, cy, size, color, width) =>
    drawLines(ctx, polylines(A, which, i), cx, cy, size, color, width);

  // Paint polylines (or nothing, for null) filling a square canvas at the screen's pixel ratio.
  function paintLines(canvas, lines, color) {
    const ratio = window.devicePixelRatio || 1, w = canvas.clientWidth || canvas.width;
    if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = canvas.width; }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!lines) return;
    ctx.scale(ratio, ratio);
    drawLines(ctx, lines, w / 2, w / 2, w, color || "#111", Math.max(1.2, w / 120));
  }
  const paintCanvas = (canvas, A, which, i) => paintLines(canvas, i < 0 ? null : polylines(A, which, i));

  // ---- the page -------------------------------------------------------------------------------------------
  async function boot() {
    const A = views(await inflate($("ll-data").textContent.trim()), meta.arrays);
    const n = meta.n_shown, hasDec = !!meta.decoded, nbr = A.neighbors;
    const k = nbr ? nbr.length / Math.max(n, 1) : 0;
    const S = {basis: meta.bases[0], colorBy: meta.color_by, classes: null, query: "", splits: new Set(meta.splits.keys()),
               ranges: {}, visible: new Uint8Array(n).fill(1), selection: [], page: 0, perPage: 48};
    LL.state = S;
    LL.arrays = A;
    const doc = await bokehDocument();
    const model = (name) => doc.get_model_by_name(name);
    const fig = model("ll-map"), points = model("ll-points"), mapper = model("ll-mapper"),
          colorbar = model("ll-colorbar"), marks = model("ll-marks"), edges = model("ll-edges");

    // header, provenance
    $("ll-title").textContent = meta.title;
    const dec = meta.decoded;
    const decText = dec ? `decoded: ${dec.key} (temperature ${dec.attrs.temperature}, softmax temperature ` +
      `${dec.attrs.softmax_temperature}${dec.attrs.greedy ? ", greedy" : ""}, seed ${dec.attrs.seed}, from ` +
      `${dec.attrs.use_rep || "mu"})` : "no decoded sketches in this store";
    $("ll-subtitle").textContent = `${n.toLocaleString("en")} points shown` +
      (meta.sampled ? ` of ${meta.n_total.toLocaleString("en")}` : " (all)") + ` · ${decText}`;
    if (meta.sampled) {
      const b = $("ll-banner");
      b.hidden = false;
      b.textContent = `This store holds ${meta.n_total.toLocaleString("en")} sketches; the map shows a random ` +
        `sample of ${n.toLocaleString("en")} (seed ${meta.sample_seed}). Raise max_points to show more.`;
    }
    if (!hasDec) { $("ll-dec-fig").hidden = true; } else { $("ll-dec-cap").textContent = `decoded (${dec.key})`; }
    for (const [key, value] of meta.provenance) {
      const tr = $("ll-prov-table").insertRow();
      tr.insertCell().textContent = key;
      tr.insertCell().textContent = value;
    }

    const className = (i) => (A.label[i] >= 0 ? meta.classes[A.label[i]] : "");
    const multiClass = new Set(A.label.filter((l) => l >= 0)).size > 1;

    // ---- map: coordinates, colour, visibility ----
    const xr = fig.x_range, yr = fig.y_range;
    function setBasis(basis) {
      S.basis = basis;
      const [x0, x1, y0, y1] = meta.bounds[basis];
      xr.setv({start: x0, end: x1, reset_start: x0, reset_end: x1});
      yr.setv({start: y0, end: y1, reset_start: y0, reset_end: y1});
      points.data = Object.assign({}, points.data, {x: A["x_" + basis], y: A["y_" + basis]});
      refreshMarks();
    }
    function setColor(by) {
      S.colorBy = by;
      let c, palette = [...VIRIDIS], lo, hi;
      if (by === "class") {
        c = Float32Array.from(A.label);
        palette = meta.palette.slice();
        lo = -0.5; hi = meta.palette.length - 0.5;
      } else {
        c = Float32Array.from(by === "Lr" ? A.lr : A.length);
        const sorted = Float32Array.from(c).sort();
        lo = sorted[Math.floor(0.01 * (sorted.length - 1))];
        hi = sorted[Math.floor(0.99 * (sorted.length - 1))];
        if (hi <= lo) hi = lo + 1;
      }
      mapper.setv({palette, low: lo, high: hi, low_color: by === "class" ? "#bbbbbb" : null});  // unlabelled: grey
      colorbar.setv({visible: by !== "class", title: by === "Lr" ? "Lr (1st-99th percentile)" : "length (points)"});
      points.data = Object.assign({}, points.data, {c});
      renderClassList();
    }
    function applyFilters() {
      const vis = S.visible, alpha = new Float32Array(n);
      const q = S.query.toLowerCase();
      const classOk = new Uint8Array(meta.classes.length + 1);
      meta.classes.forEach((name, j) => {
        classOk[j + 1] = (S.classes ? S.classes.has(j) : true) && (!q || name.toLowerCase().includes(q)) ? 1 : 0;
      });
      classOk[0] = !S.classes && !q ? 1 : 0;  // unlabelled sketches
      const ranges = Object.entries(S.ranges).map(([name, bounds]) => [A[name], bounds]);  // once, not per point
      let shown = 0;
      for (let i = 0; i < n; i++) {
        let ok = classOk[A.label[i] + 1] && S.splits.has(A.split[i]);
        for (const [values, [lo, hi]] of ranges) {
          const v = values[i];
          if (v < lo || v > hi) { ok = 0; break; }
        }
        vis[i] = ok ? 1 : 0;
        alpha[i] = ok ? 0.75 : 0.05;
        shown += vis[i];
      }
      $("ll-count").textContent = `${shown.toLocaleString("en")} of ${n.toLocaleString("en")} points pass the filters`;
      points.data = Object.assign({}, points.data, {a: alpha});
      renderGrid();
      scheduleOverlay();
      for (const r of rangeWidgets) r.draw();
    }

    // ---- controls ----
    for (const b of meta.bases) $("ll-basis").add(new Option(b.toUpperCase(), b));
    $("ll-basis").disabled = meta.bases.length < 2;
    $("ll-basis").onchange = (e) => setBasis(e.target.value);
    const colorOptions = (multiClass ? ["class"] : []).concat(["length"], meta.has_lr ? ["Lr"] : []);
    for (const c of colorOptions) $("ll-color").add(new Option(c, c));
    if (!colorOptions.includes(S.colorBy)) S.colorBy = colorOptions[0];
    $("ll-color").value = S.colorBy;
    $("ll-color").onchange = (e) => setColor(e.target.value);
    const tools = fig.toolbar.tools;
    const dragTools = {pan: tools.find((t) => t.type === "PanTool"), box: tools.find((t) => t.type === "BoxSelectTool"),
                       lasso: tools.find((t) => t.type === "LassoSelectTool")};
    $("ll-drag").onchange = (e) => { for (const [key, t] of Object.entries(dragTools)) t.active = key === e.target.value; };
    $("ll-thumbs").onchange = scheduleOverlay;

    meta.splits.forEach((name, j) => {
      const label = el("label", "check");
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.onchange = () => { box.checked ? S.splits.add(j) : S.splits.delete(j); applyFilters(); };
      label.append(box, document.createTextNode(" split " + name));
      $("ll-splits").append(label);
    });

    const rangeWidgets = [];
    function rangeWidget(name, title, values, integer) {
      const sorted = Float32Array.from(values).sort();
      const lo = sorted[0], hi = sorted[sorted.length - 1];
      const box = el("div", "range"), head = el("div", "head"), label = el("span", "", title), text = el("span");
      const canvas = el("canvas"), min = el("input"), max = el("input");
      for (const input of [min, max]) {
        input.type = "range"; input.min = lo; input.max = hi; input.step = integer ? 1 : (hi - lo) / 200 || 1;
      }
      min.value = lo; max.value = hi;
      head.append(label, text);
      box.append(head, canvas, min, max);
      $("ll-ranges").append(box);
      const bins = 40, counts = new Uint32Array(bins);
      for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / ((hi - lo) || 1) * bins))]++;
      const peak = Math.max(...counts);
      const widget = {
        draw() {
          const a = +min.value, b = +max.value;
          text.textContent = integer ? `${Math.min(a, b)}–${Math.max(a, b)}` :
            `${Math.min(a, b).toFixed(2)} – ${Math.max(a, b).toFixed(2)}`;
          const w = canvas.clientWidth || 200, h = 34, ctx = canvas.getContext("2d");
          canvas.width = w; canvas.height = h;
          for (let j = 0; j < bins; j++) {
            const v = lo + (j + 0.5) / bins * (hi - lo);
            ctx.fillStyle = v >= Math.min(a, b) && v <= Math.max(a, b) ? "#4a90d9" : "#d5d5d5";
            const bh = Math.max(1, counts[j] / peak * (h - 2));
            ctx.fillRect(j * w / bins, h - bh, w / bins - 1, bh);
          }
        },
      };
      const change = () => {
        const a = +min.value, b = +max.value;
        if (Math.min(a, b) <= lo && Math.max(a, b) >= hi) delete S.ranges[name];
        else S.ranges[name] = [Math.min(a, b), Math.max(a, b)];
        applyFilters();
      };
      min.oninput = max.oninput = change;
      rangeWidgets.push(widget);
      return widget;
    }
    rangeWidget("length", "length (points)", A.length, true);
    if (meta.has_lr) rangeWidget("lr", "Lr", A.lr, false);

    // ---- classes ----
    const classCounts = new Map();
    for (let i = 0; i < n; i++) if (A.label[i] >= 0) classCounts.set(A.label[i], (classCounts.get(A.label[i]) || 0) + 1);
    const classOrder = [...classCounts.keys()].sort((a, b) => classCounts.get(b) - classCounts.get(a) ||
      meta.classes[a].localeCompare(meta.classes[b]));
    function renderClassList() {
      const list = $("ll-classes"), q = S.query.toLowerCase();
      list.replaceChildren();
      for (const j of classOrder) {
        if (q && !meta.classes[j].toLowerCase().includes(q)) continue;
        const li = el("li", S.classes && S.classes.has(j) ? "on" : "");
        const sw = el("span", "sw");
        sw.style.background = S.colorBy === "class" ? meta.palette[j] : "#bbb";
        li.append(sw, el("span", "name", meta.classes[j]), el("span", "count", String(classCounts.get(j))));
        li.title = meta.classes[j];
        li.onclick = () => {
          S.classes = S.classes && S.classes.has(j) && S.classes.size === 1 ? null : new Set([j]);
          renderClassList();
          applyFilters();
        };
        list.append(li);
      }
      if (!classOrder.length) list.append(el("li", "note", "no class labels in this store"));
    }
    $("ll-search").oninput = (e) => { S.query = e.target.value.trim(); renderClassList(); applyFilters(); };

    // ---- geometry: data <-> page ----
    // frame(): the plot's data frame on the page (left, top), inside bokeh's canvas (bx, by: where bokeh's sx, sy
    // start) and inside the map box (ox, oy: where the overlay goes).
    function frame() {
      const view = plotView(), mapbox = $("ll-mapbox").getBoundingClientRect();
      const canvas = view ? view.canvas_view.el.getBoundingClientRect() : mapbox;
      const b = view ? view.frame.bbox : {left: 0, top: 0, width: mapbox.width, height: mapbox.height};
      return {left: canvas.left + b.left, top: canvas.top + b.top, width: b.width, height: b.height, bx: b.left,
              by: b.top, ox: canvas.left - mapbox.left + b.left, oy: canvas.top - mapbox.top + b.top};
    }
    function plotView() {
      const index = window.Bokeh && Bokeh.index;
      if (!index) return null;
      if (typeof index.find_one === "function") return index.find_one(fig);
      for (const root of Object.values(index)) if (root.model === fig) return root;
      return null;
    }
    const dataToScreen = (x, y, f) =>
      [(x - xr.start) / (xr.end - xr.start) * f.width, (yr.end - y) / (yr.end - yr.start) * f.height];
    const toScreen = (i, f) => dataToScreen(A["x_" + S.basis][i], A["y_" + S.basis][i], f);
    LL.pagePoint = (i) => {
      const f = frame(), [sx, sy] = toScreen(i, f);
      return {x: f.left + sx, y: f.top + sy};
    };
    // nearest shown point to a frame position; ties: the one drawn on top
    LL.pointAt = (sx, sy, hits, radius, f = frame()) => {
      let best = -1, bestD = radius * radius;
      const consider = (i) => {
        if (!S.visible[i]) return;
        const [px, py] = toScreen(i, f), d = (px - sx) ** 2 + (py - sy) ** 2;
        if (d < bestD || (d === bestD && i > best)) { best = i; bestD = d; }
      };
      if (hits) for (const i of hits) consider(i); else for (let i = 0; i < n; i++) consider(i);
      return best;
    };

    // ---- inspector ----
    function inspect(i) {
      LL.inspected = i;
      paintCanvas($("ll-orig"), A, "orig", i);
      if (hasDec) paintCanvas($("ll-dec"), A, "dec", i);
      const facts = $("ll-facts");
      facts.replaceChildren();
      if (i < 0) return;
      const rows = [["row", String(A.row[i])], ["class", className(i) || "—"], ["length", `${A.length[i]} points`],
                    ["split", meta.splits[A.split[i]] || "?"]];
      if (meta.has_lr) rows.push(["Lr", A.lr[i].toFixed(3)]);
      for (const [key, value] of rows) {
        const tr = facts.insertRow();
        tr.insertCell().textContent = key;
        tr.insertCell().textContent = value;
      }
      if (LL.moveTime !== undefined) LL.hoverLatencies.push(performance.now() - LL.moveTime);
    }
    document.addEventListener("pointermove", (e) => { LL.moveTime = e.timeStamp; }, true);
    LL.hover = (obj, data) => {
      if (LL.pinned >= 0 || !data || !data.index) return;
      const hits = data.index.indices, g = data.geometry;
      if (!hits || !hits.length) return;
      const f = frame(), i = LL.pointAt(g.sx - f.bx, g.sy - f.by, hits, 1e9, f);
      if (i >= 0 && i !== LL.inspected) inspect(i);
    };

    function pin(i) {
      LL.pinned = i;
      $("ll-pin-note").textContent = i >= 0 ? "(pinned: click empty map to release)" : "";
      inspect(i);
      if (i >= 0 && nbr) {
        const found = [];
        for (let r = 0; r < k; r++) if (nbr[i * k + r] >= 0) found.push(nbr[i * k + r]);
        showStrip(`${found.length} nearest of row ${A.row[i]} (${meta.neighbors.metric} on ` +
          `${meta.neighbors.use_rep}, ${meta.neighbors.method})`, found);
      } else {  // a decoration's strip (the drawing's neighbours), else the hint
        const strip = LL.decorations.map((d) => d.strip && d.strip()).find((x) => x);
        if (strip) {
          showStrip(...strip);
          inspect(strip[1].length ? strip[1][0] : -1);
        } else showStrip(nbr ? "click a point" : "no neighbours stored: run `latentlab neighbors STORE` (or report " +
          "--neighbors K)", []);
      }
      refreshMarks();
    }
    // the inspector's neighbour strip: shown points `found`, nearest first
    function showStrip(note, found) {
      $("ll-nn-note").textContent = note;
      LL.stripRows = found.map((j) => A.row[j]);
      $("ll-strip").replaceChildren(...found.map((j) => cell(j, 64)));
    }
    function refreshMarks() {
      const X = A["x_" + S.basis], Y = A["y_" + S.basis];
      const m = {x: [], y: [], color: [], size: []}, e = {x0: [], y0: [], x1: [], y1: [], color: []};
      if (LL.pinned >= 0) {
        const i = LL.pinned;
        if (nbr) for (let r = 0; r < k; r++) {
          const j = nbr[i * k + r];
          if (j < 0) continue;
          m.x.push(X[j]); m.y.push(Y[j]); m.color.push("#e4572e"); m.size.push(12);
          e.x0.push(X[i]); e.y0.push(Y[i]); e.x1.push(X[j]); e.y1.push(Y[j]); e.color.push("#e4572e");
        }
        m.x.push(X[i]); m.y.push(Y[i]); m.color.push("#111"); m.size.push(18);
      }
      for (const d of LL.decorations) if (d.marks) d.marks(m, e, S.basis);
      marks.data = m;
      edges.data = e;
      scheduleOverlay();
    }
    LL.tap = (obj) => {
      const f = frame();
      pin(LL.pointAt(obj.sx - f.bx, obj.sy - f.by, null, 10, f));
    };

    // ---- selection grid ----
    function cell(i, size) {
      const box = el("div", "cell"), canvas = el("canvas");
      canvas.dataset.row = A.row[i];
      box.append(canvas, el("div", "cap", `#${A.row[i]} ${className(i)}`.trim()));
      box.title = `row ${A.row[i]} ${className(i)}`.trim();
      box.onclick = () => pin(i);
      requestAnimationFrame(() => { canvas.style.width = canvas.style.height = size + "px"; paintCanvas(canvas, A, "orig", i); });
      return box;
    }
    LL.selected = (obj) => { S.selection = Array.from(obj.indices).sort((a, b) => a - b); S.page = 0; renderGrid(); };
    function renderGrid() {
      const rows = S.selection.filter((i) => S.visible[i]);
      const pages = Math.max(1, Math.ceil(rows.length / S.perPage));
      S.page = Math.min(S.page, pages - 1);
      const shown = rows.slice(S.page * S.perPage, (S.page + 1) * S.perPage);
      LL.gridRows = shown.map((i) => A.row[i]);
      LL.selectionRows = rows.map((i) => A.row[i]);
      $("ll-grid").replaceChildren(...shown.map((i) => cell(i, 84)));
      $("ll-sel-note").textContent = rows.length ? `${rows.length} selected sketches pass the filters` :
        "box or lasso select on the map";
      $("ll-page").textContent = rows.length ? `page ${S.page + 1} of ${pages}` : "";
      $("ll-prev").disabled = S.page === 0;
      $("ll-next").disabled = S.page >= pages - 1;
    }
    $("ll-prev").onclick = () => { S.page--; renderGrid(); };
    $("ll-next").onclick = () => { S.page++; renderGrid(); };

    // ---- sketches drawn on the map ----
    const overlay = $("ll-overlay");
    let pending = false;
    function scheduleOverlay() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; drawOverlay(); });
    }
    LL.viewChanged = scheduleOverlay;
    window.addEventListener("resize", scheduleOverlay);
    function drawOverlay() {
      const f = frame(), ratio = window.devicePixelRatio || 1;
      overlay.style.left = f.ox + "px";
      overlay.style.top = f.oy + "px";
      overlay.style.width = f.width + "px";
      overlay.style.height = f.height + "px";
      overlay.width = Math.round(f.width * ratio);
      overlay.height = Math.round(f.height * ratio);
      const ctx = overlay.getContext("2d");
      ctx.scale(ratio, ratio);
      ctx.clearRect(0, 0, f.width, f.height);
      LL.overlayRows = [];
      if (!$("ll-thumbs").checked || !(f.width > 0)) return;
      const inView = [];
      for (let i = 0; i < n; i++) {
        if (!S.visible[i]) continue;
        const [sx, sy] = toScreen(i, f);
        if (sx >= 0 && sx <= f.width && sy >= 0 && sy <= f.height) inView.push([i, sx, sy]);
      }
      let chosen;
      if (inView.length <= 120) {  // zoomed in: every sketch is its own glyph
        chosen = inView.map(([i, sx, sy]) => [i, sx, sy, 34]);
      } else {  // a representative for each dense region: the sketch nearest its cell's centre of mass
        const cellPx = 120, cols = Math.ceil(f.width / cellPx), cells = new Map();
        for (const p of inView) {
          const key = Math.floor(p[2] / cellPx) * cols + Math.floor(p[1] / cellPx);
          const c = cells.get(key) || {n: 0, x: 0, y: 0, members: []};
          c.n++; c.x += p[1]; c.y += p[2]; c.members.push(p);
          cells.set(key, c);
        }
        const floor = Math.max(3, inView.length * 0.004);
        chosen = [...cells.values()].filter((c) => c.n >= floor).sort((a, b) => b.n - a.n).slice(0, 24).map((c) => {
          const mx = c.x / c.n, my = c.y / c.n;
          let best = c.members[0], bestD = Infinity;
          for (const p of c.members) {
            const d = (p[1] - mx) ** 2 + (p[2] - my) ** 2;
            if (d < bestD) { best = p; bestD = d; }
          }
          return [best[0], best[1], best[2], 60];
        });
      }
      const marked = LL.pinned < 0 ? [] : [LL.pinned].concat(nbr ? Array.from(nbr.subarray(LL.pinned * k, LL.pinned * k + k)) : [])
        .filter((j) => j >= 0).map((j) => toScreen(j, f));
      for (const d of LL.decorations) if (d.keep) marked.push(...d.keep(S.basis).map(([x, y]) => dataToScreen(x, y, f)));
      const covers = ([, sx, sy, size]) => marked.some(([mx, my]) => Math.abs(mx - sx) < size / 2 + 8 && Math.abs(my - sy) < size / 2 + 8);
      chosen = chosen.filter((c) => !covers(c));  // never hide the pinned sketch or its neighbours
      for (const [i, sx, sy, size] of chosen) {
        const classColor = S.colorBy === "class" && A.label[i] >= 0;  // the frame keeps the point's class colour
        ctx.fillStyle = "rgba(255,255,255,0.93)";
        ctx.strokeStyle = classColor ? meta.palette[A.label[i]] : "rgba(0,0,0,0.25)";
        ctx.lineWidth = classColor ? 2 : 1;
        ctx.beginPath();
        ctx.roundRect(sx - size / 2, sy - size / 2, size, size, 4);
        ctx.fill();
        ctx.stroke();
        drawSketch(ctx, A, "orig", i, sx, sy, size, "#222", size > 40 ? 1.3 : 1);
      }
      LL.overlayRows = chosen.map((c) => A.row[c[0]]);
      for (const d of LL.decorations) if (d.overlay) d.overlay(ctx, f, S.basis);
    }

    // what the in-page model (inpage.js) builds on
    LL.ui = {el, cell, pin, inspect, showStrip, refreshMarks, scheduleOverlay, frame, dataToScreen, drawLines,
             paintLines, pointLines, lines: (i) => polylines(A, "orig", i), className};
    points.data = {x: A["x_" + S.basis], y: A["y_" + S.basis], c: new Float32Array(n), a: new Float32Array(n).fill(0.75)};
    setBasis(S.basis);
    setColor(S.colorBy);
    applyFilters();
    pin(-1);
    // ready once bokeh's layout has settled: the frame's place on the page is the same on two frames running
    let last = "";
    for (let tries = 0; tries < 100; tries++) {
      await new Promise((r) => requestAnimationFrame(r));
      const f = frame(), key = [f.left, f.top, f.width, f.height].join();
      if (key === last && f.width > 0) break;
      last = key;
    }
    drawOverlay();
    document.body.dataset.ready = "1";
  }

  function bokehDocument() {
    return new Promise((resolve) => {
      const poll = () => {
        const docs = window.Bokeh && Bokeh.documents;
        const doc = docs && docs.find((d) => d.get_model_by_name("ll-map"));
        const ready = doc && (!Bokeh.index || Object.keys(Bokeh.index).length || typeof Bokeh.index.find_one === "function");
        if (doc && ready) resolve(doc); else setTimeout(poll, 20);
      };
      poll();
    });
  }

  LL.ready = boot().catch((err) => {
    document.body.dataset.ready = "error";
    const b = document.getElementById("ll-banner");
    b.hidden = false;
    b.textContent = "The explorer could not start: " + err;
    console.error(err);
  });
})();

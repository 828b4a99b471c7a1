// The tiled explorer (latentlab.pl.tiled): loads the quadtree's tiles the view needs as <script> elements, draws
// their points on a canvas, and links the inspector, neighbours, class list, colour and box selection.
// Every string from the data reaches the page through textContent.
(function () {
  "use strict";
  const L = window.latentlab;
  const {core, draw} = L;
  const {$, el} = draw;
  const M = JSON.parse($("ll-meta").textContent);
  const HOVER_PX = 6, DOT = 3, MAX_GRID = 60, GLYPHS = 400, GLYPH = 30;
  const MAX_TILES = 256;  // tiles kept in memory (about 2 MB each inflated): the least recently drawn go first
  const S = {tiles: new Map(), loading: new Map(), rowFiles: new Map(), cx: 0.5, cy: 0.5,
             zoom: 1, hover: null, pin: null, neighbors: [], color: M.color_by, hidden: new Set(), drawn: null,
             selection: [], failed: null, frames: 0, hoverMs: []};
  const boxes = M.tiles.map((name) => {
    const [lv, rest] = name.split("/"), [cx, cy] = rest.split("-").map(Number), s = 1 / (1 << Number(lv));
    return [cx * s, (cx + 1) * s, cy * s, (cy + 1) * s];
  });
  const maxLevel = Math.max(...M.levels);
  const column = () => M.columns.find((c) => c.name === S.color);
  const arrayOf = (c) => c.array;

  // ---- loading: tiles/<name>.bin and rows/<block>.bin, latentlab.pl.packing.pack_binary's files
  async function loadArrays(path) {
    const response = await fetch(path);
    if (!response.ok) throw new Error(`${path} (${response.status} ${response.statusText})`);
    return core.unpackBinary(await response.arrayBuffer());
  }
  function tileArrays(A) {  // rows from their steps; each sketch table's offsets from its lengths
    for (let k = 1; k < A.row.length; k++) A.row[k] += A.row[k - 1];
    for (const which of ["orig"].concat(M.decodes.map((d, j) => "dec" + j))) {
      const len = A[which + "_len"], off = new Uint32Array(len.length + 1);
      for (let k = 0; k < len.length; k++) off[k + 1] = off[k] + len[k];
      A[which + "_offsets"] = off;
      A[which + "_ids"] = Uint32Array.from({length: len.length}, (_, k) => k);
    }
    return A;
  }
  function loadTile(i) {
    if (!S.loading.has(i)) {
      S.loading.set(i, loadArrays(`tiles/${M.tiles[i]}.bin`).then((A) => {
        const tile = {i, A: tileArrays(A), n: A.row.length, index: null};
        S.tiles.set(i, tile);
        return tile;
      }).catch(failed));
    }
    return S.loading.get(i);
  }
  function failed(err) {
    if (!S.failed) {
      S.failed = String(err.message || err);
      const b = $("ll-banner");
      b.hidden = false;
      b.textContent = location.protocol === "file:"
        ? "This explorer loads its tiles as you zoom, which a browser does not allow from a file: open it " +
          "through a web server, e.g. `latentlab serve <this folder>`, and follow the link it prints."
        : `Could not load ${S.failed}: keep index.html beside its tiles/ and rows/ folders.`;
    }
    return null;
  }
  function rowFile(block) {
    if (!S.rowFiles.has(block)) S.rowFiles.set(block, loadArrays(`rows/${block}.bin`).catch(failed));
    return S.rowFiles.get(block);
  }
  // the tile and position of a row, loading what is needed
  async function locate(row) {
    const R = await rowFile(Math.floor(row / M.row_block));
    const tile = R && await loadTile(R.tile[row % M.row_block]);
    if (!tile) return null;
    if (!tile.index) tile.index = new Map(Array.from(tile.A.row, (r, k) => [r, k]));
    return {tile, k: tile.index.get(row), R};
  }

  // ---- the view: unit square coordinates, y up, a square map centred on (cx, cy)
  const canvas = $("ll-map");
  function geometry() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    return {w, h, scale: Math.min(w, h) * S.zoom};
  }
  function toScreen(u, v, g) { return [(u - S.cx) * g.scale + g.w / 2, g.h / 2 - (v - S.cy) * g.scale]; }
  function toUnit(px, py, g) { return [(px - g.w / 2) / g.scale + S.cx, S.cy - (py - g.h / 2) / g.scale]; }
  function level() { return Math.max(0, Math.min(maxLevel, Math.floor(Math.log2(S.zoom)) + 1)); }
  function visibleTiles() {
    const g = geometry(), [u0, v1] = toUnit(0, 0, g), [u1, v0] = toUnit(g.w, g.h, g), lv = level(), out = [];
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i];
      if (M.levels[i] <= lv && b[1] >= u0 && b[0] <= u1 && b[3] >= v0 && b[2] <= v1) out.push(i);
    }
    return out;
  }
  async function update() {
    const need = visibleTiles();
    render(need);
    const missing = need.filter((i) => !S.tiles.has(i));
    if (missing.length) {
      status(need, missing.length);
      await Promise.all(missing.map(loadTile));
      render(visibleTiles());
    }
    evict(need);
  }
  function evict(need) {
    if (S.tiles.size <= MAX_TILES) return;
    const keep = new Set(need), old = [...S.tiles.values()].filter((t) => !keep.has(t.i));
    old.sort((a, b) => a.used - b.used);
    for (const t of old.slice(0, S.tiles.size - MAX_TILES)) { S.tiles.delete(t.i); S.loading.delete(t.i); }
  }

  // ---- colours
  function hexRgb(hex) { const v = parseInt(hex.slice(1), 16); return [v >> 16, (v >> 8) & 255, v & 255]; }
  function ramp(t) {  // viridis, by five stops
    const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    const x = Math.max(0, Math.min(1, t)) * 4, k = Math.min(3, Math.floor(x)), f = x - k;
    return stops[k].map((c, d) => Math.round(c + f * (stops[k + 1][d] - c)));
  }
  function colorOf(A, k, col, rgb) {
    const v = A[arrayOf(col)][k];
    if (col.kind === "categorical") return v < 0 || S.hidden.has(v) ? null : rgb[v % rgb.length];
    const [lo, hi] = col.range;
    return Number.isFinite(v) ? ramp((v - lo) / ((hi - lo) || 1)) : [190, 190, 190];
  }

  // ---- drawing: points as pixels of an ImageData, then marks; a screen grid for hover
  function render(need) {
    const g = geometry(), ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(g.w * ratio);
    canvas.height = Math.round(g.h * ratio);
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(canvas.width, canvas.height);
    const px = new Uint32Array(img.data.buffer), col = column();
    const rgb = col.kind === "categorical" ? col.palette.map(hexRgb) : null;
    const X = [], Y = [], T = [], K = [];
    const dot = Math.max(1, Math.round(DOT * ratio));
    for (const i of need) {
      const tile = S.tiles.get(i);
      if (!tile) continue;
      const A = tile.A;
      tile.used = S.frames;
      for (let k = 0; k < tile.n; k++) {
        const c = colorOf(A, k, col, rgb);
        if (!c) continue;
        const [sx, sy] = toScreen(A.x[k] / 65535, A.y[k] / 65535, g);
        if (sx < 0 || sy < 0 || sx >= g.w || sy >= g.h) continue;
        X.push(sx); Y.push(sy); T.push(i); K.push(k);
        const value = (255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0];
        const x0 = Math.round(sx * ratio) - (dot >> 1), y0 = Math.round(sy * ratio) - (dot >> 1);
        for (let y = Math.max(0, y0); y < Math.min(canvas.height, y0 + dot); y++) {
          px.fill(value, y * canvas.width + Math.max(0, x0), y * canvas.width + Math.min(canvas.width, x0 + dot));
        }
      }
    }
    ctx.putImageData(img, 0, 0);
    S.drawn = {X: Float32Array.from(X), Y: Float32Array.from(Y), T, K, need};
    S.drawn.grid = core.gridIndex(S.drawn.X, S.drawn.Y, [0, g.w, 0, g.h], 128);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (S.drawn.X.length <= GLYPHS) glyphs(ctx);
    S.frames++;
    status(need, 0);
    marks();
  }
  // rings (hover, pin, neighbours) and the selection box, on their own canvas: a hover redraws only them
  function marks() {
    const g = geometry(), ratio = window.devicePixelRatio || 1, over = $("ll-marks");
    if (over.width !== Math.round(g.w * ratio) || over.height !== Math.round(g.h * ratio)) {
      over.width = Math.round(g.w * ratio); over.height = Math.round(g.h * ratio);
    }
    const ctx = over.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, g.w, g.h);
    const ring = (p, color, r) => {
      if (!p) return;
      const [sx, sy] = toScreen(p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, g);
      ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(sx, sy, r, 0, 2 * Math.PI); ctx.stroke();
    };
    S.neighbors.forEach((p) => ring(p, "#e6550d", 5));
    ring(S.pin, "#d62728", 8);
    ring(S.hover, "#111", 6);
    if (S.box) {
      ctx.strokeStyle = "#4a90d9"; ctx.setLineDash([4, 3]);
      ctx.strokeRect(S.box[0], S.box[1], S.box[2] - S.box[0], S.box[3] - S.box[1]);
      ctx.setLineDash([]);
    }
  }
  // zoomed in far enough, each drawn point's sketch is drawn at it, in its colour
  function glyphs(ctx) {
    const col = column(), rgb = col.kind === "categorical" ? col.palette.map(hexRgb) : null;
    for (let j = 0; j < S.drawn.X.length; j++) {
      const A = S.tiles.get(S.drawn.T[j]).A, k = S.drawn.K[j], c = colorOf(A, k, col, rgb);
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(S.drawn.X[j] - GLYPH / 2, S.drawn.Y[j] - GLYPH / 2, GLYPH, GLYPH);
      draw.drawSketch(ctx, A, "orig", k, S.drawn.X[j], S.drawn.Y[j], GLYPH, `rgb(${c[0]},${c[1]},${c[2]})`, 1.2);
    }
  }
  function status(need, missing) {
    const shown = S.drawn ? S.drawn.X.length : 0;
    $("ll-subtitle").textContent = `${M.n_total.toLocaleString()} rows in ${M.tiles.length.toLocaleString()} tiles` +
      ` · ${shown.toLocaleString()} points drawn from ${need.length} tiles (level ${level()} of ${maxLevel})` +
      (missing ? ` · loading ${missing} tiles…` : "");
  }
  const redraw = () => S.drawn && render(S.drawn.need);

  // ---- hover, pin, neighbours
  function hover(x, y) {
    const t0 = performance.now(), p = S.drawn && nearest(x, y);
    const same = p && S.hover && p.tile === S.hover.tile && p.k === S.hover.k;
    if (same || (!p && !S.hover)) return;
    S.hover = p;
    inspect(p || S.pin);
    marks();
    if (p) S.hoverMs.push(performance.now() - t0);
  }
  function nearest(px, py) {  // the point within HOVER_PX, or the drawn sketch under the cursor
    const r = S.drawn.X.length <= GLYPHS ? GLYPH / 2 : HOVER_PX;
    let best = -1, bd = 2 * r * r;
    core.gridVisit(S.drawn.grid, px, py, r, r, (j) => {
      const dx = S.drawn.X[j] - px, dy = S.drawn.Y[j] - py, d = dx * dx + dy * dy;
      if (Math.abs(dx) <= r && Math.abs(dy) <= r && d <= bd) { bd = d; best = j; }
    });
    return best < 0 ? null : {tile: S.tiles.get(S.drawn.T[best]), k: S.drawn.K[best]};
  }
  function facts(p) {
    const table = $("ll-facts");
    table.replaceChildren();
    const add = (k, v) => { const tr = el("tr"); tr.append(el("td", "", k), el("td", "", v)); table.append(tr); };
    add("row", String(p.tile.A.row[p.k]));
    for (const c of M.columns) {
      const v = p.tile.A[c.array][p.k];
      add(c.name, c.kind === "categorical" ? (v < 0 ? "" : c.categories[v]) : (c.integer ? String(v) : v.toPrecision(4)));
    }
  }
  function inspect(p) {
    draw.paintCanvas($("ll-orig"), p ? p.tile.A : null, "orig", p ? p.k : -1);
    if (M.decodes.length) draw.paintCanvas($("ll-dec"), p ? p.tile.A : null, "dec0", p ? p.k : -1);
    if (p) facts(p);
  }
  function cell(p, size, caption) {
    const c = el("div", "cell"), cv = el("canvas");
    cv.width = cv.height = size * (window.devicePixelRatio || 1);
    c.append(cv, el("div", "cap", caption));
    requestAnimationFrame(() => draw.paintCanvas(cv, p.tile.A, "orig", p.k));
    c.addEventListener("mouseenter", () => inspect(p));
    c.addEventListener("click", () => pin(p));
    return c;
  }
  function label(p) {
    const c = M.columns[0], v = p.tile.A[c.array][p.k];
    return v < 0 ? "" : c.categories[v];
  }
  async function pin(p) {
    S.pin = p;
    S.neighbors = [];
    inspect(p);
    $("ll-pin-note").textContent = p ? `row ${p.tile.A.row[p.k]} pinned` : "";
    $("ll-strip").replaceChildren();
    marks();
    if (!p) return;
    if (!M.neighbors) { $("ll-nn-note").textContent = "no neighbours stored (latentlab neighbors)"; return; }
    const row = p.tile.A.row[p.k], R = await rowFile(Math.floor(row / M.row_block));
    if (!R || S.pin !== p) return;
    const k = R.neighbors.length / Math.min(M.row_block, M.n_total - Math.floor(row / M.row_block) * M.row_block);
    const ids = Array.from(R.neighbors.subarray((row % M.row_block) * k, (row % M.row_block + 1) * k));
    const found = (await Promise.all(ids.map(locate))).filter((q) => q && q.k !== undefined);
    if (S.pin !== p) return;
    S.neighbors = found;
    $("ll-nn-note").textContent = `${found.length} nearest by ${M.neighbors.metric || "cosine"} on mu, from any tile`;
    $("ll-strip").replaceChildren(...found.map((q) => cell(q, 64, label(q))));
    marks();
  }

  // ---- side panel: colour choice, categories with counts over every row, or a histogram
  function sidePanel() {
    const col = column(), list = $("ll-classes"), hist = $("ll-hist");
    $("ll-classes-title").textContent = col.name;
    list.replaceChildren();
    hist.hidden = col.kind === "categorical";
    $("ll-search").hidden = col.kind !== "categorical";
    if (col.kind !== "categorical") return histogram(hist, col);
    const query = $("ll-search").value.trim().toLowerCase();
    const order = col.categories.map((_, i) => i).sort((a, b) => col.counts[b] - col.counts[a]);
    for (const i of order) {
      if (query && !col.categories[i].toLowerCase().includes(query)) continue;
      const li = el("li", S.hidden.has(i) ? "off" : ""), sw = el("span", "sw");
      sw.style.background = col.palette[i];
      li.append(sw, el("span", "name", col.categories[i]), el("span", "count", col.counts[i].toLocaleString()));
      li.title = `${col.categories[i]}: click to hide or show`;
      li.addEventListener("click", () => {
        if (S.hidden.has(i)) S.hidden.delete(i); else S.hidden.add(i);
        sidePanel(); redraw();
      });
      list.append(li);
    }
  }
  function histogram(cv, col) {
    const w = cv.clientWidth || 200, h = 60, ratio = window.devicePixelRatio || 1, top = Math.max(...col.hist, 1);
    cv.width = w * ratio; cv.height = h * ratio;
    const ctx = cv.getContext("2d");
    ctx.scale(ratio, ratio);
    col.hist.forEach((v, b) => {
      const [r, g, bl] = ramp((b + 0.5) / col.hist.length);
      ctx.fillStyle = `rgb(${r},${g},${bl})`;
      const bw = w / col.hist.length, bh = (h - 12) * v / top;
      ctx.fillRect(b * bw, h - 12 - bh, bw - 1, bh);
    });
    ctx.fillStyle = "#555"; ctx.font = "10px sans-serif";
    ctx.fillText(col.range[0].toPrecision(3), 0, h - 1);
    ctx.textAlign = "right"; ctx.fillText(col.range[1].toPrecision(3), w, h - 1);
  }

  // ---- selection: the drawn points in a shift-drag box
  function select(box) {
    const [x0, y0, x1, y1] = box, out = [];
    for (let j = 0; j < S.drawn.X.length; j++) {
      if (S.drawn.X[j] >= x0 && S.drawn.X[j] <= x1 && S.drawn.Y[j] >= y0 && S.drawn.Y[j] <= y1) {
        out.push({tile: S.tiles.get(S.drawn.T[j]), k: S.drawn.K[j]});
      }
    }
    S.selection = out;
    const every = level() === maxLevel;  // the deepest level drawn: every row in the box is drawn
    $("ll-sel-note").textContent = !out.length ? "none" : `${out.length.toLocaleString()} ` +
      (every ? "rows in the box" : "points drawn in the box at this zoom") +
      (out.length > MAX_GRID ? ` (the first ${MAX_GRID} shown)` : "") + (every ? "" : "; zoom in to reach every row");
    $("ll-grid").replaceChildren(...out.slice(0, MAX_GRID).map((p) => cell(p, 84, label(p))));
  }
  function clearSelection() {
    S.selection = []; S.box = null;
    $("ll-grid").replaceChildren();
    $("ll-sel-note").textContent = "shift-drag on the map";
    pin(null);
  }

  // ---- input: drag to pan, shift-drag to select, wheel to zoom about the cursor, hover and click
  function wire() {
    let drag = null;
    const at = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    canvas.addEventListener("pointerdown", (e) => {
      drag = {start: at(e), cx: S.cx, cy: S.cy, box: e.shiftKey, moved: false};
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => {
      const [x, y] = at(e);
      if (!drag) return hover(x, y);
      drag.moved = drag.moved || Math.hypot(x - drag.start[0], y - drag.start[1]) > 3;
      if (drag.box) {
        S.box = [Math.min(drag.start[0], x), Math.min(drag.start[1], y), Math.max(drag.start[0], x), Math.max(drag.start[1], y)];
        return marks();
      }
      const g = geometry();
      S.cx = drag.cx - (x - drag.start[0]) / g.scale; S.cy = drag.cy + (y - drag.start[1]) / g.scale;
      redraw();
    });
    canvas.addEventListener("pointerup", (e) => {
      const d = drag; drag = null;
      if (d && d.box && S.box) { select(S.box); S.box = null; marks(); return; }
      if (d && !d.moved) { const [x, y] = at(e); pin(nearest(x, y)); return; }
      update();
    });
    canvas.addEventListener("wheel", (e) => { e.preventDefault(); zoomAt(at(e), Math.exp(-e.deltaY / 500)); }, {passive: false});
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") clearSelection(); });
    $("ll-reset").addEventListener("click", () => setView(0.5, 0.5, 1));
    $("ll-search").addEventListener("input", sidePanel);
    $("ll-color").addEventListener("change", (e) => { S.color = e.target.value; S.hidden.clear(); sidePanel(); redraw(); });
    new ResizeObserver(() => update()).observe(canvas);
  }
  function zoomAt([x, y], factor) {
    const g = geometry(), [u, v] = toUnit(x, y, g);
    S.zoom = Math.max(0.5, Math.min(1 << (maxLevel + 3), S.zoom * factor));
    const g2 = geometry();
    S.cx = u - (x - g2.w / 2) / g2.scale; S.cy = v + (y - g2.h / 2) / g2.scale;
    return update();
  }
  function setView(cx, cy, zoom) { S.cx = cx; S.cy = cy; S.zoom = zoom; return update(); }

  function start() {
    $("ll-title").textContent = M.title;
    document.title = M.title;
    for (const c of M.columns) $("ll-color").append(new Option(c.name, c.name, false, c.name === S.color));
    $("ll-dec-cap").textContent = M.decodes.length ? `decode ${M.decodes[0].key}` : "no decode stored";
    sidePanel();
    wire();
    L.debug = {S, M, setView, zoomAt, update, locate, pin, select, nearest, level,
               screenOf: (p) => toScreen(p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, geometry())};
    L.ready = update().then(() => new Promise((r) => requestAnimationFrame(() => r(!S.failed))));
    L.ready.then((ok) => { document.body.dataset.ready = ok ? "1" : "0"; });
  }
  start();
})();

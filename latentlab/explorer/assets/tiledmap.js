// The tiled explorer's map (latentlab.explorer.tiled): fetches the quadtree's tiles the view needs, draws their points
// (and, zoomed in, their sketches) on a canvas, and shows the hovered or pinned row and its neighbours.
// tiledside.js adds the side panel, selection and input. Every string from the data reaches the page as text.
(function () {
  "use strict";
  const L = window.latentlab;
  const {core, draw} = L;
  const {$, el} = draw;
  const M = JSON.parse($("ll-meta").textContent);
  const HOVER_PX = 6, DOT = 3, GLYPHS = 400, GLYPH = 30;
  const MAX_TILES = 256;  // tiles kept in memory (about 2 MB each inflated): the least recently drawn go first
  const S = {tiles: new Map(), loading: new Map(), rowFiles: new Map(), cx: 0.5, cy: 0.5, zoom: 1, hover: null,
             pin: null, neighbors: [], drawing: null, dec: "dec0", color: M.color_by, hidden: new Set(), drawn: null,
             selection: [], failed: null, frames: 0, hoverMs: [], range: null, lasso: null};
  // the projection shown: its quadtree's folder, tiles, levels and their boxes on the unit square
  const B = {};
  function basisView(j) {
    const b = M.bases[j];
    const boxes = b.tiles.map((name) => {
      const [lv, rest] = name.split("/"), [cx, cy] = rest.split("-").map(Number), s = 1 / (1 << Number(lv));
      return [cx * s, (cx + 1) * s, cy * s, (cy + 1) * s];
    });
    return {j, key: b.basis, dir: b.dir, tiles: b.tiles, levels: b.levels, boxes, maxLevel: Math.max(...b.levels)};
  }
  Object.assign(B, basisView(0));
  const column = () => M.columns.find((c) => c.name === S.color);
  const arrayOf = (c) => c.array;
  const overlays = [];  // more marks: f(ctx, geometry) after the rings (the model's drawing)

  // ---- loading: <B.dir>/<name>.bin and rows/<block>.bin, latentlab.explorer.packing.pack_binary's files
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
      const j = B.j;
      S.loading.set(i, loadArrays(`${B.dir}/${B.tiles[i]}.bin`).then((A) => {
        const tile = {i, A: tileArrays(A), n: A.row.length, index: null};
        if (B.j === j) S.tiles.set(i, tile);  // not when the projection changed meanwhile
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
    const tile = R && await loadTile(R[`tile${B.j || ""}`][row % M.row_block]);
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
  function level() { return Math.max(0, Math.min(B.maxLevel, Math.floor(Math.log2(S.zoom)) + 1)); }
  function visibleTiles() {
    const g = geometry(), [u0, v1] = toUnit(0, 0, g), [u1, v0] = toUnit(g.w, g.h, g), lv = level(), out = [];
    for (let i = 0; i < B.boxes.length; i++) {
      const b = B.boxes[i];
      if (B.levels[i] <= lv && b[1] >= u0 && b[0] <= u1 && b[3] >= v0 && b[2] <= v1) out.push(i);
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
  // whether row k of a tile passes the filters: its class shown, its value in the histogram's range
  function passes(A, k, col = column()) {
    const v = A[arrayOf(col)][k];
    if (col.kind === "categorical") return !(v < 0 || S.hidden.has(v));
    return !(S.range && !(v >= S.range[0] && v <= S.range[1]));
  }
  function colorOf(A, k, col, rgb) {
    if (!passes(A, k, col)) return null;
    const v = A[arrayOf(col)][k];
    if (col.kind === "categorical") return rgb[v % rgb.length];
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
    S.neighbors.forEach((p) => ring(p, S.drawing ? "#1f5fa8" : "#e6550d", 5));
    for (const overlay of overlays) overlay(ctx, g);
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
    $("ll-subtitle").textContent = `${M.n_total.toLocaleString()} rows, ${B.key}, in ${B.tiles.length.toLocaleString()} ` +
      `tiles · ${shown.toLocaleString()} points drawn from ${need.length} tiles (level ${level()} of ${B.maxLevel})` +
      (missing ? ` · loading ${missing} tiles…` : "") + (M.left_out ? ` · ${M.left_out}` : "");
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
      if (c.kind === "categorical" && v < 0) continue;  // no category (a store without classes): left out
      add(c.name, c.kind === "categorical" ? c.categories[v] : (c.integer ? String(v) : v.toPrecision(4)));
    }
  }
  function inspect(p) {
    draw.paintCanvas($("ll-orig"), p ? p.tile.A : null, "orig", p ? p.k : -1);
    if (M.decodes.length) draw.paintCanvas($("ll-dec"), p ? p.tile.A : null, S.dec, p ? p.k : -1);
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
    S.drawing = null;  // the drawing's search gives way to the pinned row's neighbours
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

  function zoomAt([x, y], factor) {
    const g = geometry(), [u, v] = toUnit(x, y, g);
    S.zoom = Math.max(0.5, Math.min(1 << (B.maxLevel + 3), S.zoom * factor));
    const g2 = geometry();
    S.cx = u - (x - g2.w / 2) / g2.scale; S.cy = v + (y - g2.h / 2) / g2.scale;
    return update();
  }
  function setView(cx, cy, zoom) { S.cx = cx; S.cy = cy; S.zoom = zoom; return update(); }
  // show projection j: the whole map, the pinned row pinned again where it is there; "ll-basis" is sent after
  async function setBasis(j) {
    const row = S.pin ? S.pin.tile.A.row[S.pin.k] : null;
    Object.assign(B, basisView(j));
    S.tiles.clear(); S.loading.clear();
    Object.assign(S, {hover: null, pin: null, neighbors: [], cx: 0.5, cy: 0.5, zoom: 1});
    await update();
    if (row !== null) { const p = await locate(row); if (p) await pin(p); }
    document.dispatchEvent(new Event("ll-basis"));
  }


  L.tiled = {S, M, B, column, level, geometry, toScreen, update, redraw, marks, nearest, hover, pin, cell, label,
             locate, zoomAt, setView, setBasis, ramp, passes, overlays, loadArrays, rowFile, inspect};
})();

// The model in the tiled explorer (`latentlab report STORE -o FOLDER --with-model`): model.bin runs in Web Workers
// (model.js). A drawing is encoded in the page and searched over every row, in the cells of search/ whose centres
// are nearest it (latentlab.explorer.tiledsearch); its nearest rows that pass the filters are ringed and shown in the
// strip, and the drawing sits on the map among them. Interpolation reads a pinned row's mu from its cell.
(function () {
  "use strict";
  const L = window.latentlab, T = L.tiled;
  const {S, M} = T;
  const {$, drawLines} = L.draw;
  const info = M.model;
  if (!info) return;
  $("ll-model-panel").hidden = $("ll-interp").hidden = false;
  if (info.unsupported) {
    $("ll-draw-note").textContent = `The model is not in this page: ${info.unsupported}.`;
    $("ll-draw-box").hidden = $("ll-interp").hidden = true;
    return;
  }
  const K = 12, CANDIDATES = 4 * K, MAX_CELLS = 64, zSize = info.z_size;
  const workers = fetch("model.bin").then((r) => {
    if (!r.ok) throw new Error(`model.bin (${r.status} ${r.statusText})`);
    return r.arrayBuffer();
  }).then(L.core.inflateBinary).then(({bytes, header}) => L.model.spawnWorkers(info, bytes, header));
  const centres = T.loadArrays("search/cells.bin").then((A) => A.centres);
  const cells = new Map();  // cell -> promise of its rows' mu, dequantised; the least recently used go first

  function cell(c) {
    if (!cells.has(c)) {
      cells.set(c, T.loadArrays(`search/${c}.bin`).then((A) => {
        const n = A.row.length;
        return Object.assign({row: A.row, n}, L.model.dequantise(A.mu_q, A.mu_scale, n, zSize));
      }));
      if (cells.size > MAX_CELLS) cells.delete(cells.keys().next().value);
    } else {
      const hit = cells.get(c);
      cells.delete(c);
      cells.set(c, hit);
    }
    return cells.get(c);
  }

  // the k rows nearest `query` by cosine among the `probe` cells whose centres are nearest it: [{row, sim}]
  async function nearestRows(query, k, probe = info.search.probe) {
    const C = await centres, scores = [];
    for (let c = 0; c < info.search.cells; c++) {
      let s = 0;
      for (let d = 0; d < zSize; d++) s += query[d] * C[c * zSize + d];
      scores.push([s, c]);
    }
    scores.sort((a, b) => b[0] - a[0]);
    const found = [];
    for (const data of await Promise.all(scores.slice(0, probe).map(([, c]) => cell(c)))) {
      for (const {i, sim} of L.model.cosineTop(query, k, data.n, zSize, data.mu, data.norms)) {
        found.push({row: data.row[i], sim});
      }
    }
    return found.sort((a, b) => b.sim - a.sim || a.row - b.row).slice(0, k);
  }

  // a row's mu: its cell from its row file, then its place in the cell
  async function muOfRow(row) {
    const R = await T.rowFile(Math.floor(row / M.row_block)), data = await cell(R.cell[row % M.row_block]);
    const i = data.row.indexOf(row);
    return Array.from(data.mu.subarray(i * zSize, (i + 1) * zSize));
  }

  const api = Object.assign(L.model.modelApi(info, workers), {
    ready: Promise.all([workers, centres]).then(() => true),
    async neighbors(query, k = 10, {probe} = {}) {
      return (await nearestRows(query, k, probe)).map(({row}) => row);
    },
    muOfRow,
  });
  Object.assign(L, api);

  // ---- draw to search: the drawing's nearest rows that pass the filters, from any tile
  let drawing = null;  // {rows, mu, lines, ms} of the last drawing encoded
  async function searchDrawing(strokes) {
    if (!strokes.length) {
      drawing = S.drawing = null;
      S.neighbors = [];
      $("ll-draw-note").textContent = "Draw a sketch: it is encoded in this page and searched over every row.";
      $("ll-strip").replaceChildren();
      T.marks();
      return;
    }
    const encoded = await api.encodeDrawing(strokes);
    if (!encoded) return;
    drawing = Object.assign(encoded, {candidates: await nearestRows(encoded.mu, CANDIDATES)});
    await showDrawing(true);
  }

  // the drawing's nearest rows that pass the filters (again when a filter changes); a new drawing moves the view
  // to them
  async function showDrawing(move = false) {
    const candidates = drawing.candidates;
    const located = await Promise.all(candidates.map(({row}) => T.locate(row)));
    const found = located.filter((p) => p && p.k !== undefined && T.passes(p.tile.A, p.k)).slice(0, K);
    S.pin = null;
    S.neighbors = found;
    S.drawing = Object.assign({}, drawing, {found, pos: null});
    $("ll-pin-note").textContent = "";
    if (!found.length) {
      $("ll-draw-note").textContent = `None of the ${candidates.length} nearest rows passes the filters: ` +
        "loosen them to search.";
      $("ll-strip").replaceChildren();
      T.marks();
      return;
    }
    let su = 0, sv = 0;
    for (const p of found) { su += p.tile.A.x[p.k] / 65535; sv += p.tile.A.y[p.k] / 65535; }
    S.drawing.pos = [su / found.length, sv / found.length];
    const first = found[0], cls = T.label(first);
    $("ll-draw-note").textContent = `${drawing.rows.length} points, encoded in ${Math.round(drawing.ms)} ms · ` +
      `nearest: row ${first.tile.A.row[first.k]}${cls ? ` (${cls})` : ""}`;
    $("ll-nn-note").textContent = `${found.length} nearest of your drawing (cosine on mu, over every row in the ` +
      `${info.search.probe} of ${info.search.cells} cells nearest it)`;
    $("ll-strip").replaceChildren(...found.map((q) => T.cell(q, 64, T.label(q))));
    T.inspect(first);
    if (move) T.setView(S.drawing.pos[0], S.drawing.pos[1], S.zoom); else T.marks();
  }

  T.overlays.push((ctx, g) => {  // the drawing on the map where its nearest rows are
    const d = S.drawing;
    if (!d || !d.pos) return;
    const [sx, sy] = T.toScreen(d.pos[0], d.pos[1], g), size = 64;
    ctx.fillStyle = "rgba(255,255,255,0.96)"; ctx.strokeStyle = "#1f5fa8"; ctx.lineWidth = 2.5;
    ctx.beginPath(); ctx.roundRect(sx - size / 2, sy - size / 2, size, size, 5); ctx.fill(); ctx.stroke();
    drawLines(ctx, d.lines, sx, sy, size, "#1f5fa8", 1.6);
    ctx.fillStyle = "#1f5fa8"; ctx.font = "11px system-ui, sans-serif";
    ctx.fillText("your drawing", sx - size / 2, sy + size / 2 + 12);
  });

  let busy = Promise.resolve();
  const strokes = L.model.drawingPad(() => { busy = busy.then(() => searchDrawing(strokes)); });
  document.addEventListener("ll-filtered", () => { if (S.drawing) busy = busy.then(() => showDrawing()); });
  document.addEventListener("ll-basis", () => { if (S.drawing) busy = busy.then(() => showDrawing(true)); });
  L.model.interpolation(api, {
    pinned: async () => (S.pin ? {z: await muOfRow(S.pin.tile.A.row[S.pin.k]),
                                  lines: L.core.polylines(S.pin.tile.A, "orig", S.pin.k),
                                  label: `row ${S.pin.tile.A.row[S.pin.k]}` + (T.label(S.pin) ? ` (${T.label(S.pin)})` : "")}
                                : null),
    drawn: () => drawing,
    decodeAttrs: M.decodes.length && M.decodes[0].attrs,
    debug: S,
  });
  api.ready.then(() => {
    $("ll-draw-note").textContent = "Draw a sketch: it is encoded in this page and searched over every row.";
    document.body.dataset.model = "ready";
  }, (err) => { $("ll-draw-note").textContent = "The model could not start: " + err.message; });
})();

// The tiled explorer's side panel and input (after tiledmap.js): the colour choice, the categories of every row
// with their counts (click hides or shows one), the histogram of a numeric column with its range filter, box and
// lasso selection into a grid, and drag, wheel, hover and click on the map.
(function () {
  "use strict";
  const L = window.latentlab;
  const {draw} = L;
  const {$, el} = draw;
  const {S, M, B, column, level, geometry, update, redraw, marks, nearest, hover, pin, cell, label, zoomAt,
         setView, ramp} = L.tiled;
  const MAX_GRID = 60;

  // ---- side panel: colour choice, categories with counts over every row, or a histogram
  function sidePanel() {
    const col = column(), list = $("ll-classes"), hist = $("ll-hist");
    $("ll-classes-title").textContent = col.name;
    list.replaceChildren();
    hist.hidden = $("ll-range").hidden = col.kind === "categorical";
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
        sidePanel(); filtered();
      });
      list.append(li);
    }
  }
  function histogram(cv, col) {
    const w = cv.clientWidth || 200, h = 60, ratio = window.devicePixelRatio || 1, top = Math.max(...col.hist, 1);
    cv.width = w * ratio; cv.height = h * ratio;
    const ctx = cv.getContext("2d");
    ctx.scale(ratio, ratio);
    const [lo, hi] = col.range, step = (hi - lo) / col.hist.length;
    col.hist.forEach((v, b) => {
      const [r, g, bl] = ramp((b + 0.5) / col.hist.length);
      const out = S.range && (lo + (b + 1) * step < S.range[0] || lo + b * step > S.range[1]);
      ctx.fillStyle = out ? "#ddd" : `rgb(${r},${g},${bl})`;
      const bw = w / col.hist.length, bh = (h - 12) * v / top;
      ctx.fillRect(b * bw, h - 12 - bh, bw - 1, bh);
    });
    ctx.fillStyle = "#555"; ctx.font = "10px sans-serif";
    ctx.fillText(col.range[0].toPrecision(3), 0, h - 1);
    ctx.textAlign = "right"; ctx.fillText(col.range[1].toPrecision(3), w, h - 1);
  }

  // the map drawn again after a filter changed, and "ll-filtered" sent (the model's search follows the filters)
  function filtered() {
    redraw();
    document.dispatchEvent(new Event("ll-filtered"));
  }

  // the range filter: two sliders over the column's range; the count is the histogram's (every row)
  function rangeChanged() {
    const col = column(), [lo, hi] = col.range, a = Number($("ll-lo").value), b = Number($("ll-hi").value);
    const from = lo + (hi - lo) * Math.min(a, b) / 1000, to = lo + (hi - lo) * Math.max(a, b) / 1000;
    S.range = Math.min(a, b) === 0 && Math.max(a, b) === 1000 ? null : [from, to];
    const step = (hi - lo) / col.hist.length;
    const rows = col.hist.reduce((n, v, k) => n + (lo + (k + 0.5) * step >= from && lo + (k + 0.5) * step <= to ? v : 0), 0);
    $("ll-range-note").textContent = S.range
      ? `${from.toPrecision(3)} to ${to.toPrecision(3)}: about ${rows.toLocaleString()} rows` : "all rows";
    histogram($("ll-hist"), col);
    filtered();
  }

  // ---- selection: the drawn points in a box or a lasso (a polygon of page points)
  function inside(poly, x, y) {
    let hit = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i], [xj, yj] = poly[j];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
  }
  function select(shape) {
    const poly = shape.length === 4 && typeof shape[0] === "number"
      ? [[shape[0], shape[1]], [shape[2], shape[1]], [shape[2], shape[3]], [shape[0], shape[3]]] : shape;
    const out = [];
    for (let j = 0; j < S.drawn.X.length; j++) {
      if (inside(poly, S.drawn.X[j], S.drawn.Y[j])) out.push({tile: S.tiles.get(S.drawn.T[j]), k: S.drawn.K[j]});
    }
    S.selection = out;
    const every = level() === B.maxLevel;  // the deepest level drawn: every row in the shape is drawn
    $("ll-sel-note").textContent = !out.length ? "none" : `${out.length.toLocaleString()} ` +
      (every ? "rows selected" : "points drawn in the selection at this zoom") +
      (out.length > MAX_GRID ? ` (the first ${MAX_GRID} shown)` : "") + (every ? "" : "; zoom in to reach every row");
    $("ll-grid").replaceChildren(...out.slice(0, MAX_GRID).map((p) => cell(p, 84, label(p))));
  }
  function clearSelection(unpin = true) {
    S.selection = []; S.box = null; S.lasso = null;
    $("ll-grid").replaceChildren();
    $("ll-sel-note").textContent = "choose box or lasso under Map (or shift-drag), then drag on the map";
    if (unpin) pin(null);
  }

  // ---- input: drag to pan (or select), wheel to zoom about the cursor, hover and click
  function dragMove(drag, x, y) {
    drag.moved = drag.moved || Math.hypot(x - drag.start[0], y - drag.start[1]) > 3;
    if (drag.mode === "box") {
      S.box = [Math.min(drag.start[0], x), Math.min(drag.start[1], y), Math.max(drag.start[0], x),
               Math.max(drag.start[1], y)];
      return marks();
    }
    if (drag.mode === "lasso") { S.lasso.push([x, y]); return marks(); }
    const g = geometry();
    S.cx = drag.cx - (x - drag.start[0]) / g.scale; S.cy = drag.cy + (y - drag.start[1]) / g.scale;
    redraw();
  }
  function dragEnd(drag, x, y) {
    if (drag.mode !== "pan" && drag.moved) {
      select(drag.mode === "box" ? S.box : S.lasso);
      S.box = null; S.lasso = null;
      return marks();
    }
    S.box = null; S.lasso = null;
    if (!drag.moved) return pin(nearest(x, y));
    update();
  }
  function wire() {
    const canvas = $("ll-map");
    let drag = null;
    const at = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    canvas.addEventListener("pointerdown", (e) => {
      const mode = e.shiftKey ? "box" : $("ll-drag").value;
      drag = {start: at(e), cx: S.cx, cy: S.cy, mode, moved: false};
      if (mode === "lasso") S.lasso = [at(e)];
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => (drag ? dragMove(drag, ...at(e)) : hover(...at(e))));
    canvas.addEventListener("pointerup", (e) => { const d = drag; drag = null; if (d) dragEnd(d, ...at(e)); });
    canvas.addEventListener("wheel", (e) => { e.preventDefault(); zoomAt(at(e), Math.exp(-e.deltaY / 500)); },
                            {passive: false});
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") clearSelection(); });
    $("ll-reset").addEventListener("click", () => setView(0.5, 0.5, 1));
    $("ll-basis").addEventListener("change", (e) => { clearSelection(false); L.tiled.setBasis(Number(e.target.value)); });
    $("ll-search").addEventListener("input", sidePanel);
    $("ll-color").addEventListener("change", (e) => {
      S.color = e.target.value; S.hidden.clear(); S.range = null;
      $("ll-lo").value = 0; $("ll-hi").value = 1000; $("ll-range-note").textContent = "all rows";
      sidePanel(); filtered();
    });
    for (const id of ["ll-lo", "ll-hi"]) $(id).addEventListener("input", rangeChanged);
    new ResizeObserver(() => update()).observe(canvas);
  }

  // the colour column's labels (latentlab.explorer.maplabels) on the marks canvas, a hidden category's left out
  function mapLabels(c, g) {
    S.labels = [];
    if (!$("ll-labels").checked) return;
    const col = column(), labels = (M.labels || {})[S.color] || [], b = M.bases[B.j];
    const place = (l) => {
      if (S.hidden.has(l.code)) return null;
      const [x, y] = l.at[b.basis];
      return L.tiled.toScreen((x - b.origin[0]) / b.span, (y - b.origin[1]) / b.span, g);
    };
    S.labels = L.labels.drawLabels(c, labels, place, (code) => col.palette[code], g.w, g.h);
  }

  function start() {
    $("ll-title").textContent = M.title;
    L.tiled.overlays.push(mapLabels);
    L.issues.showIssues(M.issues, async (row) => { const p = await L.tiled.locate(row); if (p) await pin(p); });
    $("ll-labels").onchange = marks;
    document.title = M.title;
    for (const c of M.columns) $("ll-color").append(new Option(c.name, c.name, false, c.name === S.color));
    M.bases.forEach((b, j) => $("ll-basis").append(new Option(b.label, String(j))));
    $("ll-basis-label").hidden = M.bases.length < 2;
    $("ll-dec-cap").textContent = M.decodes.length ? "" : "no decode stored";
    $("ll-dec-choice").hidden = !M.decodes.length;
    M.decodes.forEach((d, j) => $("ll-dec-choice").add(new Option(`decoded (${d.key})`, "dec" + j)));
    $("ll-dec-choice").disabled = M.decodes.length < 2;
    $("ll-dec-choice").onchange = (e) => { S.dec = e.target.value; L.tiled.inspect(S.hover || S.pin); };
    sidePanel();
    wire();
    L.debug = {S, M, B, setView, setBasis: L.tiled.setBasis, zoomAt, update, locate: L.tiled.locate, pin, select, nearest, level,
               screenOf: (p) => L.tiled.toScreen(p.tile.A.x[p.k] / 65535, p.tile.A.y[p.k] / 65535, geometry())};
    L.ready = update().then(() => new Promise((r) => requestAnimationFrame(() => r(!S.failed))));
    L.ready.then((ok) => { document.body.dataset.ready = ok ? "1" : "0"; });
  }
  start();
})();

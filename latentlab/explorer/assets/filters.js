// Filters: splits, range sliders over histograms (every numeric obs column), and the category list (classes, or
// the categories of the categorical column the map is coloured by) with its search box.
(function () {
  "use strict";
  const L = (window.latentlab = window.latentlab || {});
  const BINS = 40;
  let ctx = null;  // the explorer's context (explorer.js), set by setup
  const rangeWidgets = [];

  // which categories of the listed column pass (index j + 1; 0: rows without one)
  function classesShown() {
    const {S} = ctx, names = ctx.column(S.catColumn).categories, q = S.query.toLowerCase();
    const ok = new Uint8Array(names.length + 1);
    names.forEach((name, j) => {
      ok[j + 1] = (S.classes ? S.classes.has(j) : true) && (!q || name.toLowerCase().includes(q)) ? 1 : 0;
    });
    ok[0] = !S.classes && !q ? 1 : 0;
    return ok;
  }

  function applyFilters() {
    const {A, n, S} = ctx, vis = S.visible, alpha = new Float32Array(n), classOk = classesShown();
    const codes = A[ctx.column(S.catColumn).array];
    const ranges = Object.entries(S.ranges).map(([name, bounds]) => [A[name], bounds]);  // once, not per point
    let shown = 0;
    for (let i = 0; i < n; i++) {
      let ok = classOk[codes[i] + 1] && S.splits.has(A.split[i]);
      for (const [values, [lo, hi]] of ranges) {
        const v = values[i];
        if (!(v >= lo && v <= hi)) { ok = 0; break; }
      }
      vis[i] = ok ? 1 : 0;
      alpha[i] = ok ? 0.75 : 0.05;
      shown += vis[i];
    }
    L.draw.$("ll-count").textContent = `${shown.toLocaleString("en")} of ${n.toLocaleString("en")} points pass ` +
      "the filters";
    ctx.updatePoints({a: alpha});
    ctx.renderGrid();
    ctx.scheduleOverlay();
    for (const r of rangeWidgets) r.draw();
    for (const d of ctx.decorations) if (d.filtered) d.filtered();
  }

  function splitBoxes() {
    const {el, $} = L.draw;
    ctx.meta.splits.forEach((name, j) => {
      const label = el("label", "check"), box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.onchange = () => {
        if (box.checked) ctx.S.splits.add(j); else ctx.S.splits.delete(j);
        applyFilters();
      };
      label.append(box, document.createTextNode(" split " + name));
      $("ll-splits").append(label);
    });
  }

  function histogram(canvas, counts, lo, hi, a, b) {
    const w = canvas.clientWidth || 200, h = 34, c = canvas.getContext("2d"), peak = Math.max(...counts);
    canvas.width = w; canvas.height = h;
    for (let j = 0; j < BINS; j++) {
      const v = lo + (j + 0.5) / BINS * (hi - lo);
      c.fillStyle = v >= a && v <= b ? "#4a90d9" : "#d5d5d5";
      const bh = Math.max(1, counts[j] / peak * (h - 2));
      c.fillRect(j * w / BINS, h - bh, w / BINS - 1, bh);
    }
  }

  // two sliders over a histogram of `values`, filtering on ctx.S.ranges[name]
  function rangeWidget(name, title, values, integer) {
    const {el, $} = L.draw, sorted = Float32Array.from(values).filter(Number.isFinite).sort();
    if (!sorted.length) return;
    const lo = sorted[0], hi = sorted[sorted.length - 1];
    const box = el("div", "range"), head = el("div", "head"), text = el("span");
    const canvas = el("canvas"), min = el("input"), max = el("input");
    for (const input of [min, max]) {
      Object.assign(input, {type: "range", min: lo, max: hi, step: integer ? 1 : (hi - lo) / 200 || 1});
    }
    min.value = lo; max.value = hi;
    head.append(el("span", "", title), text);
    box.append(head, canvas, min, max);
    $("ll-ranges").append(box);
    const counts = new Uint32Array(BINS);
    for (const v of sorted) counts[Math.min(BINS - 1, Math.floor((v - lo) / ((hi - lo) || 1) * BINS))]++;
    const bounds = () => [Math.min(+min.value, +max.value), Math.max(+min.value, +max.value)];
    rangeWidgets.push({draw() {
      const [a, b] = bounds();
      text.textContent = integer ? `${a}–${b}` : `${a.toFixed(2)} – ${b.toFixed(2)}`;
      histogram(canvas, counts, lo, hi, a, b);
    }});
    min.oninput = max.oninput = () => {
      const [a, b] = bounds();
      if (a <= lo && b >= hi) delete ctx.S.ranges[name]; else ctx.S.ranges[name] = [a, b];
      applyFilters();
    };
  }

  let classCounts = null, classOrder = [];
  function countClasses() {
    const {A, n, S} = ctx, col = ctx.column(S.catColumn), codes = A[col.array];
    classCounts = new Map();
    for (let i = 0; i < n; i++) if (codes[i] >= 0) classCounts.set(codes[i], (classCounts.get(codes[i]) || 0) + 1);
    classOrder = [...classCounts.keys()].sort((a, b) => classCounts.get(b) - classCounts.get(a) ||
      col.categories[a].localeCompare(col.categories[b]));
  }

  function renderClassList() {
    const {S} = ctx, {el, $} = L.draw, list = $("ll-classes"), q = S.query.toLowerCase();
    const col = ctx.column(S.catColumn), names = col.categories, coloured = S.colorBy === S.catColumn;
    $("ll-classes-title").textContent = S.catColumn === "class" ? "Classes" : S.catColumn;
    list.replaceChildren();
    for (const j of classOrder) {
      if (q && !names[j].toLowerCase().includes(q)) continue;
      const li = el("li", S.classes && S.classes.has(j) ? "on" : ""), sw = el("span", "sw");
      sw.style.background = coloured ? col.palette[j] : "#bbb";
      li.append(sw, el("span", "name", names[j]), el("span", "count", String(classCounts.get(j))));
      li.title = names[j];
      li.onclick = () => {
        S.classes = S.classes && S.classes.has(j) && S.classes.size === 1 ? null : new Set([j]);
        renderClassList();
        applyFilters();
      };
      list.append(li);
    }
    if (!classOrder.length) list.append(el("li", "note", S.catColumn === "class" ? "no class labels in this store" :
      `no ${S.catColumn} values`));
  }

  (L.modules = L.modules || {}).filters = function (explorer) {
    ctx = explorer;
    Object.assign(ctx, {applyFilters, renderClassList, countClasses});
    splitBoxes();
    for (const col of ctx.meta.columns) {
      if (col.kind === "numeric") rangeWidget(col.array, col.name === "length" ? "length (points)" : col.name,
                                              ctx.A[col.array], col.integer);
    }
    countClasses();
    L.draw.$("ll-search").oninput = (e) => {
      ctx.S.query = e.target.value.trim();
      renderClassList();
      applyFilters();
    };
  };
})();

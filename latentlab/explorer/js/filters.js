// The single file's filters: splits, range sliders over histograms (every numeric obs column), and the category
// list (classes, or the categories of the categorical column the map is coloured by) with its search box.
import {$, el} from "./draw.js";
import {categoryList} from "./categorylist.js";
import {binCounts, paintHistogram, sortedFinite} from "./histogram.js";

const BINS = 40;

// which categories of the listed column pass (index j + 1; 0: rows without one)
function classesShown(ctx) {
  const {S} = ctx, names = ctx.column(S.catColumn).categories, q = S.query.toLowerCase();
  const ok = new Uint8Array(names.length + 1);
  names.forEach((name, j) => {
    ok[j + 1] = (S.classes ? S.classes.has(j) : true) && (!q || name.toLowerCase().includes(q)) ? 1 : 0;
  });
  ok[0] = !S.classes && !q ? 1 : 0;
  return ok;
}

function applyFilters(ctx) {
  const {A, n, S} = ctx, vis = S.visible, alpha = new Float32Array(n), classOk = classesShown(ctx);
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
  $("ll-count").textContent = `${shown.toLocaleString("en")} of ${n.toLocaleString("en")} points pass the filters`;
  ctx.shown = shown;
  ctx.status();
  ctx.updatePoints({a: alpha});
  ctx.renderGrid();
  ctx.scheduleOverlay();
  for (const r of ctx.filterState.ranges) r.draw();
  for (const d of ctx.decorations) if (d.filtered) d.filtered();
  const {debug} = ctx;  // a hovered sketch the filters hide leaves the inspector
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
      if (box.checked) ctx.S.splits.add(j); else ctx.S.splits.delete(j);
      applyFilters(ctx);
    };
    label.append(box, document.createTextNode(" split " + name));
    $("ll-splits").append(label);
  });
}

// two sliders over a histogram of `values`, filtering on ctx.S.ranges[name]
function rangeWidget(ctx, name, title, values, integer) {
  const sorted = sortedFinite(values);
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
  const counts = binCounts(sorted, BINS, lo, hi);
  const bounds = () => [Math.min(+min.value, +max.value), Math.max(+min.value, +max.value)];
  const changed = () => {
    const [a, b] = bounds();
    if (a <= lo && b >= hi) delete ctx.S.ranges[name]; else ctx.S.ranges[name] = [a, b];
  };
  ctx.filterState.ranges.push({name, draw() {
    const [a, b] = bounds(), centre = (j) => lo + (j + 0.5) / BINS * (hi - lo);
    text.textContent = integer ? `${a}–${b}` : `${a.toFixed(2)} – ${b.toFixed(2)}`;
    paintHistogram(canvas, counts, (j) => (centre(j) >= a && centre(j) <= b ? "#4a90d9" : "#d5d5d5"));
  }, set(a, b) { min.value = a; max.value = b; changed(); }, reset() { min.value = lo; max.value = hi; delete ctx.S.ranges[name]; }});
  min.oninput = max.oninput = () => { changed(); applyFilters(ctx); };
}

// the listed column's categories by their counts, largest first
function countClasses(ctx) {
  const {A, n, S} = ctx, col = ctx.column(S.catColumn), codes = A[col.array], counts = new Map();
  for (let i = 0; i < n; i++) if (codes[i] >= 0) counts.set(codes[i], (counts.get(codes[i]) || 0) + 1);
  ctx.filterState.counts = counts;
  ctx.filterState.order = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) ||
    col.categories[a].localeCompare(col.categories[b]));
}

function renderClassList(ctx) {
  const {S} = ctx, {counts, order} = ctx.filterState;
  const col = ctx.column(S.catColumn), coloured = S.colorBy === S.catColumn;
  $("ll-classes-title").textContent = S.catColumn === "class" ? "Classes" : S.catColumn;
  const list = categoryList({names: col.categories, order, count: (j) => counts.get(j), shown: S.classes,
                             colour: (j) => (coloured ? col.palette[j] : "#bbb"), query: S.query,
                             onChange: (shown) => { S.classes = shown; renderClassList(ctx); applyFilters(ctx); }});
  if (!order.length) list.append(el("li", "note", S.catColumn === "class" ? "no class labels in this store" :
    `no ${S.catColumn} values`));
  list.parentElement.classList.toggle("empty", !order.length);  // no list to make room for
}

// the filters' part of the context: splits, a range widget per numeric column, the category list and its search
export function setupFilters(ctx) {
  ctx.filterState = {ranges: [], counts: new Map(), order: []};
  Object.assign(ctx, {applyFilters: () => applyFilters(ctx), renderClassList: () => renderClassList(ctx),
                      countClasses: () => countClasses(ctx)});
  splitBoxes(ctx);
  for (const col of ctx.meta.columns) {
    if (col.kind === "numeric") rangeWidget(ctx, col.array, col.name === "length" ? "length (points)" : col.name,
                                            ctx.A[col.array], col.integer);
  }
  countClasses(ctx);
  $("ll-search").oninput = (e) => {
    ctx.S.query = e.target.value.trim();
    renderClassList(ctx);
    applyFilters(ctx);
  };
}

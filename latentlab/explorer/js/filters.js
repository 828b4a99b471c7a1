// The explorer's filters and colour: a categorical column's categories with their counts over every row (the colour
// column's, else the classes'), a range over the histogram of every numeric column, the filters in force (they hold
// together, listed with a button to drop each), and the colour bar of a numeric colour column.
import {$, el} from "./draw.js";
import {categoryList} from "./categorylist.js";
import {paintHistogram} from "./histogram.js";
import {ramp, rgbCss} from "./ramp.js";
import {column, inspect, passes, redraw} from "./map.js";

const SLIDER = 1000;  // the range sliders' steps over a column's range
const fmt = (v) => (+v.toPrecision(3)).toLocaleString("en");

// the map drawn again after a filter changed, the list of filters with it, and "ll-filtered" sent (the model's
// search follows the filters)
export function filtered(ex) {
  const {S} = ex;
  if (S.hover && !passes(ex, S.hover.tile.A, S.hover.k)) {  // a hovered row the filters hide leaves the inspector
    S.hover = null;
    inspect(ex, S.pin);
  }
  redraw(ex);
  filterList(ex);
  ex.stateChanged();
  document.dispatchEvent(new Event("ll-filtered"));
}

// the filters in force, each with a button that drops it
function filterList(ex) {
  const {S, M} = ex, items = [];
  for (const [name, f] of Object.entries(S.filters)) {
    const col = M.columns.find((c) => c.name === name);
    const text = f instanceof Set ? `${name}: ${f.size} of ${col.categories.length} hidden` :
      `${name}: ${fmt(f[0])} to ${fmt(f[1])}`;
    const drop = el("button", "", "\u00d7");
    drop.title = `drop the ${name} filter`;
    drop.onclick = () => { delete S.filters[name]; sidePanel(ex); filtered(ex); };
    const item = el("span", "filter", text);
    item.append(drop);
    items.push(item);
  }
  $("ll-filter-list").replaceChildren(...items);
  $("ll-filter-list").hidden = !items.length;
}

// the categorical column the list shows: the colour column when it is one, else the one listed last (at first the
// first with several categories, e.g. the classes); null when the store has none
function listedColumn(ex) {
  const {S, M} = ex, col = column(ex);
  if (col.kind === "categorical") S.listed = col.name;
  S.listed = S.listed || (M.columns.find((c) => c.kind === "categorical" && c.categories.length > 1) || {}).name;
  return M.columns.find((c) => c.name === S.listed) || null;
}

function categories(ex, col) {
  const {S} = ex, hidden = S.filters[col.name], coloured = S.color === col.name;
  const order = col.categories.map((_, i) => i).sort((a, b) => col.counts[b] - col.counts[a]);
  categoryList({names: col.categories, order, count: (j) => col.counts[j], colour: (j) => (coloured ?
                col.palette[j] : "#bbb"), shown: hidden ? new Set(order.filter((j) => !hidden.has(j))) : null,
                query: $("ll-search").value,
                onChange: (shown) => {
                  if (shown) S.filters[col.name] = new Set(order.filter((j) => !shown.has(j)));
                  else delete S.filters[col.name];
                  sidePanel(ex); filtered(ex);
                }});
}

// a numeric column's range filter: its histogram over every row (bars outside the range greyed; viridis when the map
// is coloured by it) and two sliders; `box` holds them
function drawRange(ex, col, box) {
  const range = ex.S.filters[col.name], [lo, hi] = col.range, step = (hi - lo) / col.hist.length;
  const out = (b) => range && (lo + (b + 1) * step < range[0] || lo + b * step > range[1]);
  const coloured = ex.S.color === col.name;
  paintHistogram(box.querySelector("canvas"), col.hist, (b) => (out(b) ? "#ddd" : coloured ?
                 rgbCss(ramp((b + 0.5) / col.hist.length)) : "#4a90d9"));
  const at = (v) => Math.round(Math.max(0, Math.min(1, (v - lo) / ((hi - lo) || 1))) * SLIDER);
  const [a, b] = box.querySelectorAll("input");
  a.value = range ? at(range[0]) : 0;
  b.value = range ? at(range[1]) : SLIDER;
  const rows = col.hist.reduce((n, v, k) => n + (!range || !out(k) ? v : 0), 0);
  box.querySelector(".note").textContent = range ? `${fmt(range[0])} to ${fmt(range[1])}: ~` +
    `${rows.toLocaleString("en")} rows` : `${fmt(lo)} to ${fmt(hi)}`;
}

// the range of `col` from its sliders (both ends: no filter)
function rangeChanged(ex, col, box) {
  const {S} = ex, [lo, hi] = col.range, [a, b] = Array.from(box.querySelectorAll("input"), (i) => Number(i.value));
  if (Math.min(a, b) === 0 && Math.max(a, b) === SLIDER) delete S.filters[col.name];
  else S.filters[col.name] = [lo + (hi - lo) * Math.min(a, b) / SLIDER, lo + (hi - lo) * Math.max(a, b) / SLIDER];
  drawRange(ex, col, box);
  filtered(ex);
}

// a range filter for every numeric column, under Filters
export function setupRanges(ex) {
  const boxes = ex.M.columns.filter((c) => c.kind === "numeric" && c.hist).map((col) => {
    const box = el("div", "range"), head = el("div", "head");
    head.append(el("span", "", col.name === "length" ? "length (points)" : col.name), el("span", "note"));
    box.dataset.column = col.name;
    box.append(head, el("canvas"));
    for (const side of ["from", "to"]) {
      const input = Object.assign(el("input"), {type: "range", min: 0, max: SLIDER, step: 1});
      input.setAttribute("aria-label", `${col.name} ${side}`);
      input.addEventListener("input", () => rangeChanged(ex, col, box));
      box.append(input);
    }
    return box;
  });
  $("ll-ranges").replaceChildren(...boxes);
}

// the colour bar beside the map, for a numeric colour column: viridis over its range
function colorBar(col) {
  const bar = $("ll-colorbar");
  bar.hidden = col.kind === "categorical";
  if (bar.hidden) return;
  const cv = bar.querySelector("canvas"), c = cv.getContext("2d");
  cv.width = 1; cv.height = 100;
  for (let y = 0; y < 100; y++) { c.fillStyle = rgbCss(ramp(1 - y / 99)); c.fillRect(0, y, 1, 1); }
  bar.querySelector(".hi").textContent = fmt(col.range[1]);
  bar.querySelector(".lo").textContent = fmt(col.range[0]);
  bar.querySelector(".title").textContent = col.name;
}

// the side panel as the state says: the listed column's categories (and search), every range, the filters in force
// and the colour bar
export function sidePanel(ex) {
  const listed = listedColumn(ex);
  $("ll-classes-title").textContent = listed ? (listed.name === "class" ? "Classes" : listed.name) : "Classes";
  $("ll-classes").replaceChildren();
  $("ll-classes").parentElement.classList.toggle("empty", !listed);
  if (listed) categories(ex, listed);
  else $("ll-classes").append(el("li", "note", "no class labels in this store"));
  for (const box of $("ll-ranges").children) drawRange(ex, ex.M.columns.find((c) => c.name === box.dataset.column), box);
  colorBar(column(ex));
  filterList(ex);
}

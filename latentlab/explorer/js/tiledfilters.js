// The tiled page's filters and colour: the colour column's categories with their counts over every row (click
// hides or shows one) or its histogram with a range, each column's filter kept when the colour changes (several
// filters hold together, listed with a button to drop each), and the colour bar of a numeric column.
import {$, el} from "./draw.js";
import {categoryList} from "./categorylist.js";
import {paintHistogram} from "./histogram.js";
import {ramp, rgbCss} from "./ramp.js";
import {column, inspect, passes, redraw} from "./tiledmap.js";

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

function categories(ex, col) {
  const {S} = ex, hidden = S.filters[col.name];
  const order = col.categories.map((_, i) => i).sort((a, b) => col.counts[b] - col.counts[a]);
  categoryList({names: col.categories, order, count: (j) => col.counts[j], colour: (j) => col.palette[j],
                shown: hidden ? new Set(order.filter((j) => !hidden.has(j))) : null, query: $("ll-search").value,
                onChange: (shown) => {
                  if (shown) S.filters[col.name] = new Set(order.filter((j) => !shown.has(j)));
                  else delete S.filters[col.name];
                  sidePanel(ex); filtered(ex);
                }});
}

function histogram(ex, col) {
  const range = ex.S.filters[col.name], [lo, hi] = col.range, step = (hi - lo) / col.hist.length, h = 60;
  const out = (b) => range && (lo + (b + 1) * step < range[0] || lo + b * step > range[1]);
  const cv = $("ll-hist");
  const c = paintHistogram(cv, col.hist, (b) => (out(b) ? "#ddd" : rgbCss(ramp((b + 0.5) / col.hist.length))),
                           {height: h, below: 12});
  c.fillStyle = "#555"; c.font = "10px sans-serif";
  c.fillText(fmt(lo), 0, h - 1);
  c.textAlign = "right"; c.fillText(fmt(hi), cv.clientWidth || 200, h - 1);
  const at = (v) => Math.round(Math.max(0, Math.min(1, (v - lo) / ((hi - lo) || 1))) * SLIDER);
  $("ll-lo").value = range ? at(range[0]) : 0;
  $("ll-hi").value = range ? at(range[1]) : SLIDER;
  const rows = col.hist.reduce((n, v, k) => n + (!range || !out(k) ? v : 0), 0);
  $("ll-range-note").textContent = range ? `${fmt(range[0])} to ${fmt(range[1])}: about ${rows.toLocaleString("en")} ` +
    "rows" : "all rows";
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

// the side panel for the colour column: its categories (and search) or its histogram and range
export function sidePanel(ex) {
  const col = column(ex);
  $("ll-classes-title").textContent = col.name;
  $("ll-classes").replaceChildren();
  $("ll-hist").hidden = $("ll-range").hidden = col.kind === "categorical";
  $("ll-search").hidden = $("ll-classes").hidden = col.kind !== "categorical";
  colorBar(col);
  filterList(ex);
  if (col.kind === "categorical") categories(ex, col); else histogram(ex, col);
}

// the range filter of the colour column from its two sliders (both ends: no filter)
export function rangeChanged(ex) {
  const {S} = ex, col = column(ex), [lo, hi] = col.range;
  const a = Number($("ll-lo").value), b = Number($("ll-hi").value);
  if (Math.min(a, b) === 0 && Math.max(a, b) === SLIDER) delete S.filters[col.name];
  else S.filters[col.name] = [lo + (hi - lo) * Math.min(a, b) / SLIDER, lo + (hi - lo) * Math.max(a, b) / SLIDER];
  histogram(ex, col);
  filtered(ex);
}

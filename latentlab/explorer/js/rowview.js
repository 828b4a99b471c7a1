// A row as the page shows it: the inspector (original, decode and facts) and a clickable thumbnail, for row i
// of a tile's arrays A.
import {$, el, paintCanvas} from "./draw.js";
import {hovered} from "./widgetlink.js";

// an obs column's value of row i, as the facts table shows it
export function factText(A, col, i) {
  const v = A[col.array][i];
  if (col.kind === "categorical") return v >= 0 ? col.categories[v] : "—";
  if (!Number.isFinite(v)) return "—";
  return col.integer ? String(v) + (col.name === "length" ? " points" : "") : v.toFixed(3);
}

// the inspector shows row i of A (none for i < 0): its sketch, its decode `dec` (none: null) and its facts, the
// row first, then `extra` ([name, text] rows), then every column of `columns`; the row shown is the widget's hovered
export function inspectRow(A, i, dec, columns, extra = []) {
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

// a thumbnail of row i of A, `size` px, with its row and `caption` under it; onPin() on a click, onHover() when
// the pointer enters it (when given)
export function rowCell(A, i, size, caption, {onPin, onHover = null}) {
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

// The single file's inspector: the hovered or pinned sketch beside its decode, its facts, and its nearest
// neighbours in the strip.
import {$, el, paintCanvas} from "./draw.js";

function value(A, col, i) {  // an obs column's value for the facts table
  const v = A[col.array][i];
  if (col.kind === "categorical") return v >= 0 ? col.categories[v] : "—";
  if (!Number.isFinite(v)) return "—";
  return col.integer ? String(v) + (col.name === "length" ? " points" : "") : v.toFixed(3);
}

function inspect(ctx, i) {
  const {meta, A, S, debug} = ctx;
  debug.inspected = i;
  paintCanvas($("ll-orig"), A, "orig", i);
  if (S.dec) paintCanvas($("ll-dec"), A, S.dec, i);
  const facts = $("ll-facts");
  facts.replaceChildren();
  if (i < 0) return;
  const rows = [["row", String(A.row[i])], ["split", meta.splits[A.split[i]] || "?"]]
    .concat(meta.columns.filter((col) => col.name !== "class" || meta.classes.length)
      .map((col) => [col.name, value(A, col, i)]));
  for (const [key, text] of rows) {
    const tr = facts.insertRow();
    tr.insertCell().textContent = key;
    tr.insertCell().textContent = text;
  }
  if (debug.moveTime !== undefined) debug.hoverLatencies.push(performance.now() - debug.moveTime);
}

function pin(ctx, i) {
  const {meta, A} = ctx;
  ctx.debug.pinned = i;
  $("ll-pin-note").textContent = i >= 0 ? "(pinned: click empty map to release)" : "";
  inspect(ctx, i);
  if (i >= 0 && A.neighbors) {
    const found = ctx.neighborsOf(i), nb = meta.neighbors;
    showStrip(ctx, `${found.length} nearest of row ${A.row[i]} (${nb.metric} on ${nb.use_rep}, ${nb.method})`, found);
  } else {  // a decoration's strip (the drawing's neighbours), else what to do
    const strip = ctx.decorations.map((d) => d.strip && d.strip()).find((x) => x);
    if (strip) {
      showStrip(ctx, ...strip);
      inspect(ctx, strip[1].length ? strip[1][0] : -1);
    } else {
      showStrip(ctx, A.neighbors ? "click a point" : `no neighbours stored: run \`${meta.makers["uns/knn"]}\``, []);
    }
  }
  ctx.refreshMarks();
  ctx.stateChanged();
}

// the neighbour strip: shown points `found`, nearest first
function showStrip(ctx, note, found) {
  $("ll-nn-note").textContent = note;
  ctx.debug.stripRows = found.map((j) => ctx.A.row[j]);
  $("ll-strip").replaceChildren(...found.map((j) => cell(ctx, j, 64)));
}

// a clickable thumbnail of shown point i, `size` px
function cell(ctx, i, size) {
  const {A} = ctx, box = el("div", "cell"), canvas = el("canvas");
  canvas.dataset.row = A.row[i];
  box.append(canvas, el("div", "cap", `#${A.row[i]}`), el("div", "cap", ctx.className(i)));
  box.title = `row ${A.row[i]} ${ctx.className(i)}`.trim();
  box.onclick = () => pin(ctx, i);
  requestAnimationFrame(() => {
    canvas.style.width = canvas.style.height = size + "px";
    paintCanvas(canvas, A, "orig", i);
  });
  return box;
}

// the inspector's part of the context: inspect, pin, the strip and thumbnails
export function setupInspector(ctx) {
  Object.assign(ctx, {inspect: (i) => inspect(ctx, i), pin: (i) => pin(ctx, i),
                      showStrip: (note, found) => showStrip(ctx, note, found), cell: (i, size) => cell(ctx, i, size)});
  $("ll-dec-choice").onchange = (e) => { ctx.S.dec = e.target.value; inspect(ctx, ctx.debug.inspected); };
}

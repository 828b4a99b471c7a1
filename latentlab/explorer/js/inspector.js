// The single file's inspector: the hovered or pinned sketch beside its decode, its facts, and its nearest
// neighbours in the strip.
import {$} from "./draw.js";
import {inspectRow, rowCell} from "./rowview.js";

function inspect(ctx, i) {
  const {meta, A, S, debug} = ctx;
  debug.inspected = i;
  const columns = meta.columns.filter((col) => col.name !== "class" || meta.classes.length);
  inspectRow(A, i, S.dec, columns, i < 0 ? [] : [["split", meta.splits[A.split[i]] || "?"]]);
  if (i >= 0 && debug.moveTime !== undefined) debug.hoverLatencies.push(performance.now() - debug.moveTime);
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
const cell = (ctx, i, size) => rowCell(ctx.A, i, size, ctx.className(i), {onPin: () => pin(ctx, i)});

// the inspector's part of the context: inspect, pin, the strip and thumbnails
export function setupInspector(ctx) {
  Object.assign(ctx, {inspect: (i) => inspect(ctx, i), pin: (i) => pin(ctx, i),
                      showStrip: (note, found) => showStrip(ctx, note, found), cell: (i, size) => cell(ctx, i, size)});
  $("ll-dec-choice").onchange = (e) => { ctx.S.dec = e.target.value; inspect(ctx, ctx.debug.inspected); };
}

// The single file's selection grid: the sketches of a box or lasso selection that pass the filters, a page at a
// time; Escape or the clear button empties it.
import {$} from "./draw.js";

// the selection grid's part of the context: bokeh's selection hook and the grid's pages
export function setupSelection(ctx) {
  const {A, S, debug} = ctx;

  ctx.hooks.selected = (obj) => {
    S.selection = Array.from(obj.indices).sort((a, b) => a - b);
    S.page = 0;
    ctx.renderGrid();
    if (S.selection.length) ctx.tabs.show("selection");
  };
  ctx.renderGrid = function () {
    const rows = S.selection.filter((i) => S.visible[i]);
    const pages = Math.max(1, Math.ceil(rows.length / S.perPage));
    S.page = Math.min(S.page, pages - 1);
    const shown = rows.slice(S.page * S.perPage, (S.page + 1) * S.perPage);
    debug.gridRows = shown.map((i) => A.row[i]);
    debug.selectionRows = rows.map((i) => A.row[i]);
    $("ll-grid").replaceChildren(...shown.map((i) => ctx.cell(i, 84)));
    $("ll-sel-note").textContent = rows.length ? `${rows.length} selected sketches pass the filters (Esc or ` +
      "clear to empty the selection)" : "choose box or lasso select under Map, then drag on the map";
    $("ll-sel-clear").disabled = !S.selection.length;
    $("ll-page").textContent = rows.length ? `page ${S.page + 1} of ${pages}` : "";
    $("ll-prev").disabled = S.page === 0;
    $("ll-next").disabled = S.page >= pages - 1;
  };
  // an empty selection: bokeh's (the map's highlight) and ours (the grid)
  const clear = () => { ctx.points.selected.indices = []; S.selection = []; ctx.renderGrid(); };
  $("ll-sel-clear").onclick = clear;
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && S.selection.length && e.target.tagName !== "INPUT") clear();
  });
  $("ll-prev").onclick = () => { S.page--; ctx.renderGrid(); };
  $("ll-next").onclick = () => { S.page++; ctx.renderGrid(); };
}

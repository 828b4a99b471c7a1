// The single file's selection grid: the sketches of a box or lasso selection that pass the filters, a page at a
// time; Escape or the clear button empties it.
import {$} from "./draw.js";
import {setupExport} from "./exporting.js";

// the selection grid's part of the context: bokeh's selection hook and the grid's pages
export function setupSelection(ctx) {
  const {A, S, debug} = ctx;
  const passing = () => S.selection.filter((i) => S.visible[i]);
  const refreshExport = setupExport(() => passing().map((i) => ({A, i})), ctx.meta.columns, ctx.meta.store);

  ctx.hooks.selected = (obj) => {
    const chosen = Array.from(obj.indices).sort((a, b) => a - b);
    const fresh = chosen.length !== S.selection.length || chosen.some((i, k) => i !== S.selection[k]);
    if (!fresh) return;  // bokeh confirming a selection the page set (a link's)
    S.selection = chosen;
    S.page = 0;
    ctx.renderGrid();
    if (S.selection.length) ctx.tabs.show("selection");
    ctx.stateChanged();
  };
  ctx.renderGrid = function () {
    const rows = passing();
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
    refreshExport();
  };
  // an empty selection: bokeh's (the map's highlight) and ours (the grid)
  const clear = () => { ctx.points.selected.indices = []; S.selection = []; ctx.renderGrid(); ctx.stateChanged(); };
  $("ll-sel-clear").onclick = clear;
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && S.selection.length && e.target.tagName !== "INPUT") clear();
  });
  $("ll-prev").onclick = () => { S.page--; ctx.renderGrid(); };
  $("ll-next").onclick = () => { S.page++; ctx.renderGrid(); };
}

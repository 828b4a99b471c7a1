// The selection grid: the sketches of a box or lasso selection that pass the filters, a page at a time.
(function () {
  "use strict";
  const L = (window.latentlab = window.latentlab || {});

  (L.modules = L.modules || {}).selection = function (ctx) {
    const {A, S, debug} = ctx;
    const {$} = L.draw;

    ctx.hooks.selected = (obj) => {
      S.selection = Array.from(obj.indices).sort((a, b) => a - b);
      S.page = 0;
      ctx.renderGrid();
    };
    ctx.renderGrid = function () {
      const rows = S.selection.filter((i) => S.visible[i]);
      const pages = Math.max(1, Math.ceil(rows.length / S.perPage));
      S.page = Math.min(S.page, pages - 1);
      const shown = rows.slice(S.page * S.perPage, (S.page + 1) * S.perPage);
      debug.gridRows = shown.map((i) => A.row[i]);
      debug.selectionRows = rows.map((i) => A.row[i]);
      $("ll-grid").replaceChildren(...shown.map((i) => ctx.cell(i, 84)));
      $("ll-sel-note").textContent = rows.length ? `${rows.length} selected sketches pass the filters` :
        "box or lasso select on the map";
      $("ll-page").textContent = rows.length ? `page ${S.page + 1} of ${pages}` : "";
      $("ll-prev").disabled = S.page === 0;
      $("ll-next").disabled = S.page >= pages - 1;
    };
    $("ll-prev").onclick = () => { S.page--; ctx.renderGrid(); };
    $("ll-next").onclick = () => { S.page++; ctx.renderGrid(); };
  };
})();

// A selection leaving the page: its row ids, a CSV of its obs columns, an .npz of its sketches.
// A page gives the selected rows as items {A, i} (row i of the arrays A: the page's, or a tile's).
import {strokesOf} from "./core.js";
import {$} from "./draw.js";
import {sketchesNpz, toCsv} from "./share.js";

// a file saved by the browser, from bytes or text
function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], {type}));
  const a = Object.assign(document.createElement("a"), {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// an obs column's value of item {A, i}, as the CSV writes it: a category's name, a number, or "" for none
function cell(col, {A, i}) {
  const v = A[col.array][i];
  if (col.kind === "categorical") return v >= 0 ? col.categories[v] : "";
  return Number.isFinite(v) ? v : "";
}

// the selection as a CSV: its row, then every obs column
export function selectionCsv(items, columns) {
  return toCsv(["row", ...columns.map((c) => c.name)], items.map((it) => [it.A.row[it.i], ...columns.map((c) => cell(c, it))]));
}

// the export buttons wired: items() gives the selected rows, columns the obs columns; the store's file name
// starts the files' names. Returns refresh(), which enables the buttons when there is a selection.
export function setupExport(items, columns, store) {
  const name = store.replace(/\.[^.]*$/, "") || "selection";
  const rows = () => items().map(({A, i}) => A.row[i]);
  $("ll-export-ids").onclick = () => download(`${name}_rows.txt`, rows().join("\n") + "\n", "text/plain");
  $("ll-export-csv").onclick = () => download(`${name}_rows.csv`, selectionCsv(items(), columns), "text/csv");
  $("ll-export-npz").onclick = () => {
    const chosen = items();
    download(`${name}_sketches.npz`, sketchesNpz(rows(), chosen.map(({A, i}) => strokesOf(A, "orig", i))),
             "application/octet-stream");
  };
  return () => {
    const none = !items().length;
    for (const id of ["ll-export-ids", "ll-export-csv", "ll-export-npz"]) $(id).disabled = none;
  };
}

// The inspector: the hovered or pinned sketch beside its decode, its facts, and its nearest neighbours.
(function () {
  "use strict";
  const L = (window.latentlab = window.latentlab || {});

  function value(A, col, i) {  // an obs column's value for the facts table
    const v = A[col.array][i];
    if (col.kind === "categorical") return v >= 0 ? col.categories[v] : "—";
    if (!Number.isFinite(v)) return "—";
    return col.integer ? String(v) + (col.name === "length" ? " points" : "") : v.toFixed(3);
  }

  (L.modules = L.modules || {}).inspector = function (ctx) {
    const {meta, A, S, debug} = ctx;
    const {$, el, paintCanvas} = L.draw;

    ctx.inspect = function (i) {
      debug.inspected = i;
      paintCanvas($("ll-orig"), A, "orig", i);
      if (S.dec) paintCanvas($("ll-dec"), A, S.dec, i);
      const facts = $("ll-facts");
      facts.replaceChildren();
      if (i < 0) return;
      const rows = [["row", String(A.row[i])], ["split", meta.splits[A.split[i]] || "?"]]
        .concat(meta.columns.filter((col) => col.name !== "class" || meta.classes.length)
          .map((col) => [col.name, value(A, col, i)]));
      for (const [key, value] of rows) {
        const tr = facts.insertRow();
        tr.insertCell().textContent = key;
        tr.insertCell().textContent = value;
      }
      if (debug.moveTime !== undefined) debug.hoverLatencies.push(performance.now() - debug.moveTime);
    };

    ctx.pin = function (i) {
      debug.pinned = i;
      $("ll-pin-note").textContent = i >= 0 ? "(pinned: click empty map to release)" : "";
      ctx.inspect(i);
      if (i >= 0 && A.neighbors) {
        const found = ctx.neighborsOf(i), nb = meta.neighbors;
        ctx.showStrip(`${found.length} nearest of row ${A.row[i]} (${nb.metric} on ${nb.use_rep}, ${nb.method})`, found);
      } else {  // a decoration's strip (the drawing's neighbours), else what to do
        const strip = ctx.decorations.map((d) => d.strip && d.strip()).find((x) => x);
        if (strip) {
          ctx.showStrip(...strip);
          ctx.inspect(strip[1].length ? strip[1][0] : -1);
        } else {
          ctx.showStrip(A.neighbors ? "click a point" : `no neighbours stored: run \`${meta.makers["uns/knn"]}\``, []);
        }
      }
      ctx.refreshMarks();
    };

    // the neighbour strip: shown points `found`, nearest first
    ctx.showStrip = function (note, found) {
      $("ll-nn-note").textContent = note;
      debug.stripRows = found.map((j) => A.row[j]);
      $("ll-strip").replaceChildren(...found.map((j) => ctx.cell(j, 64)));
    };

    $("ll-dec-choice").onchange = (e) => { S.dec = e.target.value; ctx.inspect(debug.inspected); };

    // a clickable thumbnail of shown point i, `size` px
    ctx.cell = function (i, size) {
      const box = el("div", "cell"), canvas = el("canvas");
      canvas.dataset.row = A.row[i];
      box.append(canvas, el("div", "cap", `#${A.row[i]}`), el("div", "cap", ctx.className(i)));
      box.title = `row ${A.row[i]} ${ctx.className(i)}`.trim();
      box.onclick = () => ctx.pin(i);
      requestAnimationFrame(() => {
        canvas.style.width = canvas.style.height = size + "px";
        paintCanvas(canvas, A, "orig", i);
      });
      return box;
    };
  };
})();

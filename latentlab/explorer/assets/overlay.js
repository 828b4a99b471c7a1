// Sketches drawn on the map: every sketch in view when zoomed in, else one representative per dense region,
// never covering the pinned point, its neighbours or a decoration's points.
(function () {
  "use strict";
  const L = (window.latentlab = window.latentlab || {});
  const ZOOMED_IN = 120;  // at most this many points in view: each is drawn
  const CELL_PX = 120, MAX_GLYPHS = 24;

  let ctx = null, pending = false;  // the explorer's context (explorer.js), set by setup
  let drawnFor = "", settling = 0, watched = false;  // the frame geometry the overlay was drawn for; frames left to watch it

  const frameKey = (f) => [f.ox, f.oy, f.width, f.height].map(Math.round).join();

  // redraw on the next frame, then keep watching the frame for a while: bokeh lays the map out again some frames
  // after a window resize or a colour bar appearing, and the sketches must follow their points
  function scheduleOverlay() {
    settling = 30;
    if (pending) return;
    pending = true;
    const tick = () => {
      const f = ctx.frame();
      if (pending || frameKey(f) !== drawnFor) { pending = false; drawOverlay(); }
      if (--settling > 0) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  function inView(f) {
    const {n, S} = ctx, found = [];
    for (let i = 0; i < n; i++) {
      if (!S.visible[i]) continue;
      const [sx, sy] = ctx.toScreen(i, f);
      if (sx >= 0 && sx <= f.width && sy >= 0 && sy <= f.height) found.push([i, sx, sy]);
    }
    return found;
  }

  // [i, sx, sy, size] of the sketches to draw
  function choose(points, f) {
    if (points.length <= ZOOMED_IN) return points.map(([i, sx, sy]) => [i, sx, sy, 34]);
    const cols = Math.ceil(f.width / CELL_PX), cells = new Map();
    for (const p of points) {  // the sketch nearest its cell's centre of mass represents the cell
      const key = Math.floor(p[2] / CELL_PX) * cols + Math.floor(p[1] / CELL_PX);
      const c = cells.get(key) || {n: 0, x: 0, y: 0, members: []};
      c.n++; c.x += p[1]; c.y += p[2]; c.members.push(p);
      cells.set(key, c);
    }
    const floor = Math.max(3, points.length * 0.004);
    return [...cells.values()].filter((c) => c.n >= floor).sort((a, b) => b.n - a.n).slice(0, MAX_GLYPHS).map((c) => {
      const mx = c.x / c.n, my = c.y / c.n;
      let best = c.members[0], bestD = Infinity;
      for (const p of c.members) {
        const d = (p[1] - mx) ** 2 + (p[2] - my) ** 2;
        if (d < bestD) { best = p; bestD = d; }
      }
      return [best[0], best[1], best[2], 60];
    });
  }

  function kept(f) {  // screen positions a glyph must not cover
    const {S, debug} = ctx, marked = debug.pinned < 0 ? [] : [debug.pinned].concat(ctx.neighborsOf(debug.pinned))
      .map((j) => ctx.toScreen(j, f));
    for (const d of ctx.decorations) if (d.keep) marked.push(...d.keep(S.basis).map(([x, y]) => ctx.dataToScreen(x, y, f)));
    return marked;
  }

  function glyph(c, i, sx, sy, size) {
    const {A} = ctx, color = ctx.categoryColor(i);  // the frame keeps the point's category colour
    c.fillStyle = "rgba(255,255,255,0.93)";
    c.strokeStyle = color || "rgba(0,0,0,0.25)";
    c.lineWidth = color ? 2 : 1;
    c.beginPath();
    c.roundRect(sx - size / 2, sy - size / 2, size, size, 4);
    c.fill();
    c.stroke();
    L.draw.drawSketch(c, A, "orig", i, sx, sy, size, "#222", size > 40 ? 1.3 : 1);
  }

  function drawOverlay() {
    const {S, debug} = ctx, f = ctx.frame(), ratio = window.devicePixelRatio || 1, overlay = L.draw.$("ll-overlay");
    drawnFor = frameKey(f);
    const view = ctx.plotView();
    if (view && !watched) {  // bokeh resizes its canvas some time after the window: redraw when it does
      watched = true;
      new ResizeObserver(scheduleOverlay).observe(view.canvas_view.el);
    }
    Object.assign(overlay.style, {left: f.ox + "px", top: f.oy + "px", width: f.width + "px", height: f.height + "px"});
    overlay.width = Math.round(f.width * ratio);
    overlay.height = Math.round(f.height * ratio);
    const c = overlay.getContext("2d");
    c.scale(ratio, ratio);
    c.clearRect(0, 0, f.width, f.height);
    debug.overlayRows = [];
    ctx.glyphs = debug.glyphs = [];
    debug.labels = [];
    if (!(f.width > 0)) return;
    if (L.draw.$("ll-thumbs").checked) drawGlyphs(c, f);
    for (const d of ctx.decorations) if (d.overlay) d.overlay(c, f, S.basis);
    if (L.draw.$("ll-labels").checked) drawMapLabels(c, f);
  }

  // the colour column's labels, each where its category's points are (left out when the category is hidden)
  function drawMapLabels(c, f) {
    const {meta, S, debug} = ctx, labels = (meta.labels || {})[S.colorBy] || [], col = ctx.column(S.colorBy);
    const shown = (code) => S.catColumn !== S.colorBy || !S.classes || S.classes.has(code);
    const place = (l) => (shown(l.code) ? ctx.dataToScreen(...l.at[S.basis], f) : null);
    debug.labels = L.labels.drawLabels(c, labels, place, (code) => col.palette[code], f.width, f.height);
  }

  function drawGlyphs(c, f) {
    const {A, debug} = ctx;
    const marked = kept(f);
    const covers = ([, sx, sy, size]) =>
      marked.some(([mx, my]) => Math.abs(mx - sx) < size / 2 + 8 && Math.abs(my - sy) < size / 2 + 8);
    const chosen = choose(inView(f), f).filter((g) => !covers(g));
    for (const [i, sx, sy, size] of chosen) glyph(c, i, sx, sy, size);
    debug.overlayRows = chosen.map((g) => A.row[g[0]]);
    ctx.glyphs = debug.glyphs = chosen;
  }

  (L.modules = L.modules || {}).overlay = function (explorer) {
    ctx = explorer;
    Object.assign(ctx, {scheduleOverlay, drawOverlay});
    ctx.hooks.viewChanged = scheduleOverlay;
    window.addEventListener("resize", scheduleOverlay);
    new ResizeObserver(scheduleOverlay).observe(L.draw.$("ll-mapbox"));
    L.draw.$("ll-thumbs").onchange = drawOverlay;  // at once: hover must not find sketches no longer drawn
    L.draw.$("ll-labels").onchange = drawOverlay;
  };
})();

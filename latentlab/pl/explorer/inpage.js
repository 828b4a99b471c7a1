// The model in the page: draw to search and interpolate, on Web Workers running sketchrnn.js (no server).
// Defines window.latentlab (encode, neighbors, decode, fromDrawing, interpolate) when the report carries a model.
(function () {
  "use strict";
  const meta = JSON.parse(document.getElementById("ll-meta").textContent);
  const $ = (id) => document.getElementById(id);
  const info = meta.model;
  if (!info) return;
  const section = $("ll-model-panel"), interp = $("ll-interp");
  section.hidden = interp.hidden = false;
  if (info.unsupported) {
    $("ll-draw-note").textContent = `The model is not in this page: ${info.unsupported}.`;
    $("ll-draw-box").hidden = true;
    interp.hidden = true;
    return;
  }

  // ---- workers: one per core but one (at most 4; the page keeps a core to draw), each with its own weights ----
  function spawnWorkers(buffer) {
    const url = URL.createObjectURL(new Blob([$("ll-model-js").textContent], {type: "text/javascript"}));
    const count = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    const pool = [];
    let nextId = 1;
    for (let w = 0; w < count; w++) {
      const worker = new Worker(url), waiting = new Map();
      worker.onmessage = (e) => {
        const {id, result, error} = e.data, done = waiting.get(id);
        waiting.delete(id);
        if (error) done.reject(new Error(error)); else done.resolve(result);
      };
      pool.push({worker, waiting});
    }
    const send = (slot, message) => new Promise((resolve, reject) => {
      const id = nextId++;
      slot.waiting.set(id, {resolve, reject});
      slot.worker.postMessage(Object.assign({id}, message));
    });
    // a request goes to the worker with the fewest waiting
    const call = (message) => send(pool.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a)), message);
    const model = Object.assign({}, info, {arrays: undefined});
    return Promise.all(pool.map((slot) => send(slot, {type: "init", meta: model, buffer: buffer.slice(0),
                                                      header: info.arrays}))).then(() => ({call, size: count}));
  }

  // ---- drawing -> stroke-3, as latentlab.io.quickdraw.drawing_to_stroke3 converts a raw drawing ----
  function rdpMask(xs, ys, eps) {
    const n = xs.length, keep = new Uint8Array(n);
    keep[0] = keep[n - 1] = 1;
    const stack = [[0, n - 1]];
    while (stack.length) {
      const [a, b] = stack.pop();
      if (b - a < 2) continue;
      const abx = xs[b] - xs[a], aby = ys[b] - ys[a], norm = Math.hypot(abx, aby);
      let best = -1, bestD = -1;
      for (let i = a + 1; i < b; i++) {
        const d = norm === 0 ? Math.hypot(xs[i] - xs[a], ys[i] - ys[a]) :
          Math.abs(abx * (ys[i] - ys[a]) - aby * (xs[i] - xs[a])) / norm;
        if (d > bestD) { best = i; bestD = d; }
      }
      if (bestD > eps) { keep[best] = 1; stack.push([a, best], [best, b]); }
    }
    return keep;
  }
  // strokes: [[x...], [y...]] per pen-down stroke, any units -> [[dx, dy, pen], ...], by default with the settings
  // (side, rdp_epsilon, first_point) that the report measured on the stored sketches (drawing_conversion)
  function fromDrawing(strokes, settings = info.drawing) {
    const {side, rdp_epsilon: eps, first_point: firstPoint} = settings;
    strokes = strokes.filter((s) => s[0].length);
    if (!strokes.length) throw new Error("the drawing has no points");
    const all = (k) => strokes.flatMap((s) => s[k]);
    const x0 = Math.min(...all(0)), y0 = Math.min(...all(1));
    const extent = Math.max(Math.max(...all(0)) - x0, Math.max(...all(1)) - y0);
    const scale = extent > 0 ? side / extent : 1;
    const rows = [];
    let px = 0, py = 0;
    for (const [sx, sy] of strokes) {
      const xs = sx.map((v) => (v - x0) * scale), ys = sy.map((v) => (v - y0) * scale);
      const keep = xs.length > 2 ? rdpMask(xs, ys, eps) : xs.map(() => 1);
      const kept = xs.map((_, i) => i).filter((i) => keep[i]);
      kept.forEach((i, j) => {
        const x = roundHalfEven(xs[i]), y = roundHalfEven(ys[i]);
        rows.push([x - px, y - py, j === kept.length - 1 ? 1 : 0]);
        px = x; py = y;
      });
    }
    if (firstPoint === "origin") {  // magenta's lines_to_strokes: the first point is the origin, not a row
      if (rows.length < 2) throw new Error("the drawing has a single point");
      rows.shift();
    }
    return rows;
  }
  function roundHalfEven(v) {  // numpy's round
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  // ---- latent vectors ----
  function lerp(a, b, t) { return a.map((v, d) => (1 - t) * v + t * b[d]); }
  function slerp(a, b, t) {  // latentlab.tl.interpolate.slerp, lerp where the angle is undefined
    const na = Math.hypot(...a), nb = Math.hypot(...b);
    if (na < 1e-8 || nb < 1e-8) return lerp(a, b, t);
    const cos = Math.min(1, Math.max(-1, a.reduce((s, v, d) => s + v * b[d], 0) / (na * nb)));
    const omega = Math.acos(cos), so = Math.sin(omega);
    if (so <= 1e-6) return lerp(a, b, t);
    const ka = Math.sin((1 - t) * omega) / so, kb = Math.sin(t * omega) / so;
    return a.map((v, d) => ka * v + kb * b[d]);
  }

  // The API exists from the start; its calls wait for the explorer and the workers.
  const workers = window.LL.inflate($("ll-model").textContent.trim()).then((bytes) => spawnWorkers(bytes.buffer));
  const explorer = window.LL.ready.then(() => ({A: window.LL.arrays, LL: window.LL}));  // explorer.js runs first
  const search = explorer.then(({A}) => storedMu(A));
  const api = {
    ready: Promise.all([workers, search]).then(() => true),
    info: {precision: info.precision, scale_factor: info.scale_factor, z_size: info.z_size, model_dir: info.model_dir,
           drawing: info.drawing},
    fromDrawing,
    async workerCount() {  // the model's workers: one per core but one, at most 4
      return (await workers).size;
    },
    async encode(points) {
      const w = await workers;
      const r = await w.call({type: "encode", points: Float32Array.from(points.flat())});
      return Array.from(r.mu);
    },
    async neighbors(query, k = 10) {
      const s = await search;
      return s.nearest(query, k).map(({i}) => s.row[i]);
    },
    async decode(z, options = {}) {
      const w = await workers;
      const flat = await w.call({type: "decode", z: Float32Array.from(z), options});
      const rows = [];
      for (let p = 0; p < flat.length; p += 3) rows.push([flat[p], flat[p + 1], flat[p + 2]]);
      return rows;
    },
    // a strip of `steps` decodes from z `a` to z `b`; onSketch(j, rows) as each finishes
    async interpolate(a, b, {method = "slerp", steps = 8, temperature = 0.1, greedy = false, seed = 0,
                             softmaxTemperature = null, onSketch = null} = {}) {
      const path = method === "lerp" ? lerp : slerp;
      const ts = Array.from({length: steps}, (_, j) => (steps > 1 ? j / (steps - 1) : 0));
      return Promise.all(ts.map((t, j) => api.decode(path(a, b, t), {temperature, greedy, softmaxTemperature,
                                                                      seed: seed + j})
        .then((rows) => { if (onSketch) onSketch(j, rows); return rows; })));
    },
  };
  window.latentlab = api;

  // the shown sketches' stored mu, dequantised once, with each row's norm for the cosine
  function storedMu(A) {
    const n = meta.n_shown, zSize = info.z_size;
    const mu = new Float32Array(n * zSize), norms = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < zSize; d++) {
        const v = A.mu_q[i * zSize + d] * A.mu_scale[d];
        mu[i * zSize + d] = v;
        s += v * v;
      }
      norms[i] = Math.sqrt(s);
    }
    // the k shown points nearest `query` by cosine: [{i, sim}], nearest first
    function nearest(query, k) {
      const qn = Math.hypot(...query) || 1, best = [];
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let d = 0; d < zSize; d++) s += query[d] * mu[i * zSize + d];
        const sim = s / (qn * (norms[i] || 1));
        if (best.length < k || sim > best[best.length - 1].sim) {
          best.push({i, sim});
          best.sort((a, b) => b.sim - a.sim || a.i - b.i);
          if (best.length > k) best.pop();
        }
      }
      return best;
    }
    return {nearest, row: A.row, muOf: (i) => Array.from(mu.subarray(i * zSize, (i + 1) * zSize))};
  }

  Promise.all([explorer, search]).then(([{A, LL}, {nearest, muOf}]) => {
    const ui = LL.ui;
    setupDraw(A, LL, ui, api, nearest);
    setupInterpolation(LL, ui, api, muOf);
    api.ready.then(() => { $("ll-draw-note").textContent = "Draw a sketch: it is encoded in this page and its " +
      "nearest stored sketches are shown."; document.body.dataset.model = "ready"; },
    (err) => { $("ll-draw-note").textContent = "The model could not start: " + err.message; });
  });

  // ---- draw to search ----
  const K = 12;
  function setupDraw(A, LL, ui, api, nearest) {
    const canvas = $("ll-draw"), ctx = canvas.getContext("2d"), strokes = [];
    let current = null, busy = Promise.resolve();
    const ratio = window.devicePixelRatio || 1, side = canvas.clientWidth || 204;
    canvas.width = canvas.height = Math.round(side * ratio);
    function paint() {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, side, side);
      ctx.strokeStyle = "#1f5fa8"; ctx.lineWidth = 2.2; ctx.lineCap = ctx.lineJoin = "round";
      ctx.beginPath();
      for (const [xs, ys] of strokes) {
        ctx.moveTo(xs[0], ys[0]);
        if (xs.length === 1) ctx.lineTo(xs[0] + 0.01, ys[0]);
        for (let p = 1; p < xs.length; p++) ctx.lineTo(xs[p], ys[p]);
      }
      ctx.stroke();
    }
    const at = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    canvas.addEventListener("pointerdown", (e) => {
      canvas.setPointerCapture(e.pointerId);
      const [x, y] = at(e);
      current = [[x], [y]];
      strokes.push(current);
      paint();
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!current) return;
      const [x, y] = at(e);
      current[0].push(x); current[1].push(y);
      paint();
    });
    const end = () => { if (current) { current = null; busy = busy.then(search); } };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    $("ll-draw-undo").onclick = () => { strokes.pop(); paint(); busy = busy.then(search); };
    $("ll-draw-clear").onclick = () => { strokes.length = 0; paint(); busy = busy.then(search); };

    async function search() {
      if (!strokes.length) {
        LL.drawn = null;
        $("ll-draw-note").textContent = "Draw a sketch: it is encoded in this page and its nearest stored sketches " +
          "are shown.";
        ui.pin(-1);
        return;
      }
      const rows = fromDrawing(strokes);
      if (rows.length > info.max_seq_len) {
        $("ll-draw-note").textContent = `Your drawing has ${rows.length} points after simplification; the model ` +
          `takes up to ${info.max_seq_len}. Draw with fewer strokes.`;
        return;
      }
      $("ll-draw-note").textContent = "encoding…";
      const t0 = performance.now(), mu = await api.encode(rows), ms = performance.now() - t0;
      const found = nearest(mu, K);
      // placed where its neighbours are: their map positions weighted by inverse cosine distance
      const pos = {};
      for (const basis of meta.bases) {
        let sx = 0, sy = 0, sw = 0;
        for (const {i, sim} of found) {
          const w = 1 / (1 - sim + 1e-3);
          sx += w * A["x_" + basis][i]; sy += w * A["y_" + basis][i]; sw += w;
        }
        pos[basis] = [sx / sw, sy / sw];
      }
      LL.drawn = {rows, mu, found, pos, lines: ui.pointLines(rows.flat()), note: `${K} nearest of your drawing ` +
                  `(cosine on mu; ${rows.length} points encoded in the page in ${Math.round(ms)} ms)`};
      LL.drawnRows = found.map(({i}) => A.row[i]);
      ui.pin(-1);  // shows the drawing's strip
      ui.inspect(found[0].i);
      $("ll-draw-note").textContent = `${rows.length} points · nearest: row ${A.row[found[0].i]}` +
        (ui.className(found[0].i) ? ` (${ui.className(found[0].i)})` : "") + `, cosine ${found[0].sim.toFixed(3)}`;
      ui.refreshMarks();
    }

    LL.decorations.push({
      strip: () => (LL.drawn ? [LL.drawn.note, LL.drawn.found.map(({i}) => i)] : null),
      marks(m, e, basis) {
        const d = LL.drawn;
        if (!d) return;
        const [x, y] = d.pos[basis], X = A["x_" + basis], Y = A["y_" + basis];
        for (const {i} of d.found) {
          m.x.push(X[i]); m.y.push(Y[i]); m.color.push("#1f5fa8"); m.size.push(12);
          e.x0.push(x); e.y0.push(y); e.x1.push(X[i]); e.y1.push(Y[i]); e.color.push("#1f5fa8");
        }
      },
      keep(basis) {
        const d = LL.drawn;
        return d ? [d.pos[basis]].concat(d.found.map(({i}) => [A["x_" + basis][i], A["y_" + basis][i]])) : [];
      },
      overlay(ctx, f, basis) {
        const d = LL.drawn;
        if (!d) return;
        const [sx, sy] = ui.dataToScreen(...d.pos[basis], f), size = 64;
        ctx.fillStyle = "rgba(255,255,255,0.96)";
        ctx.strokeStyle = "#1f5fa8";
        ctx.lineWidth = 2.5;
        ctx.beginPath();
        ctx.roundRect(sx - size / 2, sy - size / 2, size, size, 5);
        ctx.fill();
        ctx.stroke();
        ui.drawLines(ctx, d.lines, sx, sy, size, "#1f5fa8", 1.6);
        ctx.fillStyle = "#1f5fa8";
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillText("your drawing", sx - size / 2, sy + size / 2 + 12);
      },
    });
  }

  // ---- interpolation strip, decoded sketch by sketch ----
  function setupInterpolation(LL, ui, api, muOf) {
    const ends = {a: null, b: null};
    function setEnd(which, end) {
      ends[which] = end;
      ui.paintLines($(`ll-${which}-canvas`), end ? end.lines : null, end && end.drawn ? "#1f5fa8" : "#111");
      $(`ll-${which}-cap`).textContent = `${which.toUpperCase()}: ${end ? end.label : "empty"}`;
      $("ll-run").disabled = !(ends.a && ends.b);
    }
    const shown = meta.decoded && meta.decoded.attrs;  // start from the settings of the decodes beside the originals
    if (shown && !shown.greedy) {
      $("ll-temp").value = shown.temperature;
      if (Math.abs(shown.softmax_temperature - (0.5 + 0.5 * shown.temperature)) < 1e-9 &&
          shown.softmax_temperature !== shown.temperature) $("ll-choices").value = "js";
    }
    for (const which of ["a", "b"]) {
      $(`ll-${which}-pin`).onclick = () => {
        const i = LL.pinned;
        if (i < 0) { $("ll-interp-note").textContent = "click a point on the map first (it is pinned)"; return; }
        setEnd(which, {z: muOf(i), lines: ui.lines(i), label: `row ${LL.arrays.row[i]}` +
                       (ui.className(i) ? ` (${ui.className(i)})` : "")});
      };
      $(`ll-${which}-draw`).onclick = () => {
        if (!LL.drawn) { $("ll-interp-note").textContent = "draw a sketch first (Draw to search)"; return; }
        setEnd(which, {z: LL.drawn.mu, lines: LL.drawn.lines, label: "your drawing", drawn: true});
      };
      setEnd(which, null);
    }
    $("ll-run").onclick = async () => {
      const steps = Math.max(2, Math.min(32, Math.round(+$("ll-steps").value) || 8));
      const temperature = Math.max(0.01, +$("ll-temp").value || 0.1), greedy = $("ll-greedy").checked;
      const seed = Math.round(+$("ll-seed").value) || 0, method = $("ll-method").value;
      const softmaxTemperature = $("ll-choices").value === "js" ? "js" : null;
      const strip = $("ll-istrip"), cells = [];
      for (let j = 0; j < steps; j++) {
        const box = ui.el("div", "cell pending"), canvas = ui.el("canvas");
        box.append(canvas, ui.el("div", "cap", `t = ${(j / (steps - 1)).toFixed(2)}`));
        cells.push([box, canvas]);
      }
      strip.replaceChildren(...cells.map(([box]) => box));
      $("ll-run").disabled = true;
      $("ll-interp-note").textContent = `decoding ${steps} sketches in the page…`;
      const t0 = performance.now();
      LL.interpStrip = new Array(steps).fill(null);
      try {
        await api.interpolate(ends.a.z, ends.b.z, {method, steps, temperature, greedy, seed, softmaxTemperature,
                                                   onSketch(j, rows) {
          LL.interpStrip[j] = rows;
          const [box, canvas] = cells[j];
          box.classList.remove("pending");
          canvas.style.width = canvas.style.height = "84px";
          ui.paintLines(canvas, ui.pointLines(rows.flat()));
        }});
        $("ll-interp-note").textContent = `${steps} sketches (${method}, temperature ${temperature}` +
          `${softmaxTemperature ? ", sketch-rnn-js choices" : ""}${greedy ? ", greedy" : ""}, seed ${seed}) in ` +
          `${((performance.now() - t0) / 1000).toFixed(2)} s`;
      } catch (err) {
        $("ll-interp-note").textContent = "decoding failed: " + err.message;
      } finally {
        $("ll-run").disabled = false;
      }
    };
  }
})();

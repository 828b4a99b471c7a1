// The model in the page: draw to search and interpolate, on Web Workers running sketchrnn.js (no server).
// Adds encode, neighbors, decode, fromDrawing and interpolate to window.latentlab when the report carries a model.
(function () {
  "use strict";
  const L = window.latentlab;
  const {fromDrawing, inflate, lerp, pointLines, polylines, slerp} = L.core;
  const {$, el, drawLines, paintLines} = L.draw;
  const meta = JSON.parse($("ll-meta").textContent);
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

  // The API exists from the start; its calls wait for the explorer and the workers.
  const workers = inflate($("ll-model").textContent).then((bytes) => spawnWorkers(bytes.buffer));
  const explorer = L.explorer;  // explorer.js runs first
  const search = explorer.then((ctx) => storedMu(ctx.A));
  const api = {
    ready: Promise.all([workers, search]).then(() => true),
    info: {precision: info.precision, scale_factor: info.scale_factor, z_size: info.z_size, model_dir: info.model_dir,
           drawing: info.drawing},
    fromDrawing: (strokes, settings = info.drawing) => fromDrawing(strokes, settings),
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
  Object.assign(L, api);

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
    // the k shown points nearest `query` by cosine (among those `visible` marks, when given): [{i, sim}], nearest
    // first
    function nearest(query, k, visible) {
      const qn = Math.hypot(...query) || 1, best = [];
      for (let i = 0; i < n; i++) {
        if (visible && !visible[i]) continue;
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

  Promise.all([explorer, search]).then(([view, {nearest, muOf}]) => {
    setupDraw(view, nearest);
    setupInterpolation(view, muOf);
    api.ready.then(() => { $("ll-draw-note").textContent = "Draw a sketch: it is encoded in this page and its " +
      "nearest stored sketches are shown."; document.body.dataset.model = "ready"; },
    (err) => { $("ll-draw-note").textContent = "The model could not start: " + err.message; });
  });

  // ---- draw to search ----
  const K = 12;
  // the drawing pad: strokes as [[x...], [y...]] in canvas pixels; onChange() after each stroke, undo or clear
  function drawingPad(onChange) {
    const canvas = $("ll-draw"), ctx = canvas.getContext("2d"), strokes = [];
    let current = null;
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
    const end = () => { if (current) { current = null; onChange(); } };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    $("ll-draw-undo").onclick = () => { strokes.pop(); paint(); onChange(); };
    $("ll-draw-clear").onclick = () => { strokes.length = 0; paint(); onChange(); };
    return strokes;
  }

  function setupDraw(view, nearest) {
    let busy = Promise.resolve();
    const strokes = drawingPad(() => { busy = busy.then(() => searchDrawing(view, nearest, strokes)); });
    view.decorations.push(Object.assign(drawingDecoration(view), {
      filtered: () => { if (view.debug.drawn) placeDrawing(view, nearest); },
    }));
  }

  // encode the drawing in the page, find its nearest shown sketches, place it on the map among them
  async function searchDrawing(view, nearest, strokes) {
    const {debug} = view;
    if (!strokes.length) {
      debug.drawn = null;
      $("ll-draw-note").textContent = "Draw a sketch: it is encoded in this page and its nearest stored sketches " +
        "are shown.";
      view.pin(-1);
      return;
    }
    const rows = api.fromDrawing(strokes);
    if (rows.length > info.max_seq_len) {
      $("ll-draw-note").textContent = `Your drawing has ${rows.length} points after simplification; the model ` +
        `takes up to ${info.max_seq_len}. Draw with fewer strokes.`;
      return;
    }
    $("ll-draw-note").textContent = "encoding…";
    const t0 = performance.now(), mu = await api.encode(rows), ms = performance.now() - t0;
    debug.drawn = {rows, mu, ms, lines: pointLines(rows.flat())};
    placeDrawing(view, nearest);
  }

  // the drawing's nearest sketches among those that pass the filters, and its place on the map among them
  function placeDrawing(view, nearest) {
    const {A, S, debug} = view, d = debug.drawn, found = nearest(d.mu, K, S.visible);
    if (!found.length) {
      Object.assign(d, {found, pos: null, note: "no sketch passes the filters"});
      debug.drawnRows = [];
      $("ll-draw-note").textContent = "No stored sketch passes the filters: loosen them to search.";
      view.pin(-1);
      return;
    }
    const pos = {};  // placed where its neighbours are: their map positions weighted by inverse cosine distance
    for (const basis of meta.bases) {
      let sx = 0, sy = 0, sw = 0;
      for (const {i, sim} of found) {
        const w = 1 / (1 - sim + 1e-3);
        sx += w * A["x_" + basis][i]; sy += w * A["y_" + basis][i]; sw += w;
      }
      pos[basis] = [sx / sw, sy / sw];
    }
    const filtered = found.length < view.n && S.visible.some((v) => !v) ? " that pass the filters" : "";
    Object.assign(d, {found, pos, note: `${found.length} nearest of your drawing${filtered} (cosine on mu; ` +
                      `${d.rows.length} points encoded in the page in ${Math.round(d.ms)} ms)`});
    debug.drawnRows = found.map(({i}) => A.row[i]);
    view.pin(-1);  // shows the drawing's strip
    view.inspect(found[0].i);
    $("ll-draw-note").textContent = `${d.rows.length} points · nearest: row ${A.row[found[0].i]}` +
      (view.className(found[0].i) ? ` (${view.className(found[0].i)})` : "") + `, cosine ${found[0].sim.toFixed(3)}`;
    view.refreshMarks();
  }

  // the drawing on the map: its strip, its neighbours' marks, and the drawing itself where they are
  function drawingDecoration(view) {
    const {A, debug} = view;
    return {
      strip: () => (debug.drawn && debug.drawn.found ? [debug.drawn.note, debug.drawn.found.map(({i}) => i)] : null),
      marks(m, e, basis) {
        const d = debug.drawn;
        if (!d || !d.pos) return;
        const [x, y] = d.pos[basis], X = A["x_" + basis], Y = A["y_" + basis];
        for (const {i} of d.found) {
          m.x.push(X[i]); m.y.push(Y[i]); m.color.push("#1f5fa8"); m.size.push(12);
          e.x0.push(x); e.y0.push(y); e.x1.push(X[i]); e.y1.push(Y[i]); e.color.push("#1f5fa8");
        }
      },
      keep(basis) {
        const d = debug.drawn;
        return d && d.pos ? [d.pos[basis]].concat(d.found.map(({i}) => [A["x_" + basis][i], A["y_" + basis][i]])) : [];
      },
      overlay(c, f, basis) {
        const d = debug.drawn;
        if (!d || !d.pos) return;
        const [sx, sy] = view.dataToScreen(...d.pos[basis], f), size = 64;
        c.fillStyle = "rgba(255,255,255,0.96)";
        c.strokeStyle = "#1f5fa8";
        c.lineWidth = 2.5;
        c.beginPath();
        c.roundRect(sx - size / 2, sy - size / 2, size, size, 5);
        c.fill();
        c.stroke();
        drawLines(c, d.lines, sx, sy, size, "#1f5fa8", 1.6);
        c.fillStyle = "#1f5fa8";
        c.font = "11px system-ui, sans-serif";
        c.fillText("your drawing", sx - size / 2, sy + size / 2 + 12);
      },
    };
  }

  // ---- interpolation strip, decoded sketch by sketch ----
  function setupInterpolation(view, muOf) {
    const {A, debug} = view;
    const ends = {a: null, b: null};
    function setEnd(which, end) {
      ends[which] = end;
      paintLines($(`ll-${which}-canvas`), end ? end.lines : null, end && end.drawn ? "#1f5fa8" : "#111");
      $(`ll-${which}-cap`).textContent = `${which.toUpperCase()}: ${end ? end.label : "empty"}`;
      $("ll-run").disabled = !(ends.a && ends.b);
    }
    const shown = meta.decodes.length && meta.decodes[0].attrs;  // start from the settings of the decodes beside the originals
    if (shown && !shown.greedy) {
      $("ll-temp").value = shown.temperature;
      if (Math.abs(shown.softmax_temperature - (0.5 + 0.5 * shown.temperature)) < 1e-9 &&
          shown.softmax_temperature !== shown.temperature) $("ll-choices").value = "js";
    }
    for (const which of ["a", "b"]) {
      $(`ll-${which}-pin`).onclick = () => {
        const i = debug.pinned;
        if (i < 0) { $("ll-interp-note").textContent = "click a point on the map first (it is pinned)"; return; }
        setEnd(which, {z: muOf(i), lines: polylines(A, "orig", i), label: `row ${A.row[i]}` +
                       (view.className(i) ? ` (${view.className(i)})` : "")});
      };
      $(`ll-${which}-draw`).onclick = () => {
        if (!debug.drawn) { $("ll-interp-note").textContent = "draw a sketch first (Draw to search)"; return; }
        setEnd(which, {z: debug.drawn.mu, lines: debug.drawn.lines, label: "your drawing", drawn: true});
      };
      setEnd(which, null);
    }
    $("ll-run").onclick = () => runStrip(view, ends);
  }

  // decode the strip between the two ends with the settings of the form, sketch by sketch
  async function runStrip(view, ends) {
    const {debug} = view;
    const steps = Math.max(2, Math.min(32, Math.round(+$("ll-steps").value) || 8));
    const temperature = Math.max(0.01, +$("ll-temp").value || 0.1), greedy = $("ll-greedy").checked;
    const seed = Math.round(+$("ll-seed").value) || 0, method = $("ll-method").value;
    const softmaxTemperature = $("ll-choices").value === "js" ? "js" : null;
    const strip = $("ll-istrip"), cells = [];
    for (let j = 0; j < steps; j++) {
      const box = el("div", "cell pending"), canvas = el("canvas");
      box.append(canvas, el("div", "cap", `t = ${(j / (steps - 1)).toFixed(2)}`));
      cells.push([box, canvas]);
    }
    strip.replaceChildren(...cells.map(([box]) => box));
    $("ll-run").disabled = true;
    $("ll-interp-note").textContent = `decoding ${steps} sketches in the page…`;
    const t0 = performance.now();
    debug.interpStrip = new Array(steps).fill(null);
    try {
      await api.interpolate(ends.a.z, ends.b.z, {method, steps, temperature, greedy, seed, softmaxTemperature,
                                                 onSketch(j, rows) {
        debug.interpStrip[j] = rows;
        const [box, canvas] = cells[j];
        box.classList.remove("pending");
        canvas.style.width = canvas.style.height = "84px";
        paintLines(canvas, pointLines(rows.flat()));
      }});
      $("ll-interp-note").textContent = `${steps} sketches (${method}, temperature ${temperature}` +
        `${softmaxTemperature ? ", sketch-rnn-js choices" : ""}${greedy ? ", greedy" : ""}, seed ${seed}) in ` +
        `${((performance.now() - t0) / 1000).toFixed(2)} s`;
    } catch (err) {
      $("ll-interp-note").textContent = "decoding failed: " + err.message;
    } finally {
      $("ll-run").disabled = false;
    }
  }
})();
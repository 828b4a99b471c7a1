// The model in the page: Web Workers running sketchrnn.js, the API they serve (the page's: encode, decode,
// interpolate, fromDrawing), the drawing pad and the interpolation strip. drawsearch.js says where the stored mu
// and the pinned sketch come from.
import {fromDrawing, lerp, pointLines, slerp} from "./core.js";
import {$, el, paintLines} from "./draw.js";

// workers: one per core but one (at most 4; the page keeps a core to draw), each with its own weights
export function spawnWorkers(info, bytes, header) {
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
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return Promise.all(pool.map((slot) => send(slot, {type: "init", meta: model, buffer: buffer.slice(0), header})))
    .then(() => ({call, size: count}));
}

// the model's calls on a pool of workers (a promise of spawnWorkers)
export function modelApi(info, workers) {
  const api = {
    info: {precision: info.precision, scale_factor: info.scale_factor, z_size: info.z_size,
           model_dir: info.model_dir, drawing: info.drawing},
    fromDrawing: (strokes, settings = info.drawing) => fromDrawing(strokes, settings),
    async workerCount() {  // the model's workers: one per core but one, at most 4
      return (await workers).size;
    },
    async encode(points) {
      const w = await workers;
      const r = await w.call({type: "encode", points: Float32Array.from(points.flat())});
      return Array.from(r.mu);
    },
    // a drawing from the pad encoded: {rows, mu, ms, lines}, or null (the note says why) when it has more
    // points after simplification than the model takes
    async encodeDrawing(strokes) {
      const rows = api.fromDrawing(strokes);
      if (rows.length > info.max_seq_len) {
        $("ll-draw-note").textContent = `Your drawing has ${rows.length} points after simplification; the ` +
          `model takes up to ${info.max_seq_len}. Draw with fewer strokes.`;
        return null;
      }
      $("ll-draw-note").textContent = "encoding…";
      const t0 = performance.now(), mu = await api.encode(rows);
      return {rows, mu, ms: performance.now() - t0, lines: pointLines(rows.flat())};
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
  return api;
}

// the drawing pad: strokes as [[x...], [y...]] in canvas pixels; onChange() after each stroke, undo or clear
export function drawingPad(onChange) {
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

// the interpolation strip: ends from the pinned sketch (pinned(): a promise of {z, lines, label} or null) or
// the drawing (drawn(): {mu, lines} or null); decodes go to debug.interpStrip
export function interpolation(api, {pinned, drawn, decodeAttrs, debug}) {
  const ends = {a: null, b: null};
  function setEnd(which, end) {
    ends[which] = end;
    paintLines($(`ll-${which}-canvas`), end ? end.lines : null, end && end.drawn ? "#1f5fa8" : "#111");
    $(`ll-${which}-cap`).textContent = `${which.toUpperCase()}: ${end ? end.label : "empty"}`;
    $("ll-run").disabled = !(ends.a && ends.b);
  }
  if (decodeAttrs && !decodeAttrs.greedy) {  // start from the settings of the decodes beside the originals
    $("ll-temp").value = decodeAttrs.temperature;
    if (Math.abs(decodeAttrs.softmax_temperature - (0.5 + 0.5 * decodeAttrs.temperature)) < 1e-9 &&
        decodeAttrs.softmax_temperature !== decodeAttrs.temperature) $("ll-choices").value = "js";
  }
  for (const which of ["a", "b"]) {
    $(`ll-${which}-pin`).onclick = async () => {
      const end = await pinned();
      if (!end) { $("ll-interp-note").textContent = "click a point on the map first (it is pinned)"; return; }
      setEnd(which, end);
    };
    $(`ll-${which}-draw`).onclick = () => {
      const d = drawn();
      if (!d) { $("ll-interp-note").textContent = "draw a sketch first (Draw to search)"; return; }
      setEnd(which, {z: d.mu, lines: d.lines, label: "your drawing", drawn: true});
    };
    setEnd(which, null);
  }
  $("ll-run").onclick = () => runStrip(api, ends, debug);
}

// decode the strip between the two ends with the settings of the form, sketch by sketch
async function runStrip(api, ends, debug) {
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

// the model's panels shown for the manifest's `info`; false (and the page says why) when the model cannot run
// in the page, so that the page starts no workers
export function showModelPanels(info) {
  $("ll-model-panel").hidden = $("ll-interp").hidden = false;
  if (!info.unsupported) return true;
  $("ll-draw-note").textContent = `The model is not in this page: ${info.unsupported}.`;
  $("ll-draw-box").hidden = $("ll-interp").hidden = true;
  return false;
}

// the drawing pad's note once the model's api is ready (the page marked ready for its tests), or why it failed
export function announceModel(api, hint) {
  api.ready.then(() => { $("ll-draw-note").textContent = hint; document.body.dataset.model = "ready"; },
                 (err) => { $("ll-draw-note").textContent = "The model could not start: " + err.message; });
}

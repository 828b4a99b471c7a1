// The single-file explorer: reads the page's data, builds the explorer's context and starts its views (map,
// overlay, filters, inspector, selection), which link to the bokeh map by its models' names. The page's API
// (window.latentlab, made by main-explorer.js) gets:
//   hooks     what bokeh's callbacks call (tap, selected, viewChanged)
//   debug     what the page's tests and benchmarks read (inspected, pinned, rows shown, timings)
import {inflate, views} from "./core.js";
import {$} from "./draw.js";
import {setupFilters} from "./filters.js";
import {setupInspector} from "./inspector.js";
import {showIssues} from "./issues.js";
import {setupMap} from "./map.js";
import {setupOverlay} from "./overlay.js";
import {setupPageState} from "./pagestate.js";
import {setupSelection} from "./selection.js";
import {setupTabs} from "./tabs.js";

const VIEWS = [setupMap, setupOverlay, setupFilters, setupInspector, setupSelection];
const nextFrame = () => new Promise((r) => requestAnimationFrame(r));

function decodeText(dec) {
  const p = dec.attrs;
  return `${dec.key} (temperature ${p.temperature}, softmax temperature ${p.softmax_temperature}` +
    `${p.greedy ? ", greedy" : ""}, seed ${p.random_state ?? p.seed}, from ${p.use_rep || "mu"})`;
}

// the status line: how many points the filters let through, of how many, and which decode the inspector shows
function statusLine(ctx) {
  const {meta, n, shown} = ctx, decs = meta.decodes, en = (v) => v.toLocaleString("en");
  const decText = decs.length ? `decoded: ${decodeText(decs[0])}` + (decs.length > 1 ? ` and ${decs.length - 1} ` +
    "more (chosen in the inspector)" : "") : `no decoded sketches in this store (run \`${meta.makers["uns/decoded"]}\`)`;
  const points = shown < n ? `${en(shown)} of ${en(n)} points pass the filters` : `${en(n)} points shown`;
  $("ll-subtitle").textContent = points + (meta.sampled ? ` (a sample of ${en(meta.n_total)})` : shown < n ? "" : " (all)") +
    ` · ${decText}` + (meta.left_out ? ` · ${meta.left_out}` : "");
}

function header(meta, n) {
  $("ll-title").textContent = meta.title;
  const decs = meta.decodes;
  if (meta.sampled) {
    const b = $("ll-banner");
    b.hidden = false;
    b.textContent = `This store holds ${meta.n_total.toLocaleString("en")} sketches; the map shows a random ` +
      `sample of ${n.toLocaleString("en")} (seed ${meta.sample_seed}). Raise max_points to show more.`;
  }
  if (!decs.length) $("ll-dec-fig").hidden = true;
  decs.forEach((d, j) => $("ll-dec-choice").add(new Option(`decoded (${d.key})`, "dec" + j)));
  $("ll-dec-choice").disabled = decs.length < 2;
  $("ll-dec-choice").title = decs.map(decodeText).join("\n");
  for (const [key, value] of meta.provenance) {
    const tr = $("ll-prov-table").insertRow();
    tr.insertCell().textContent = key;
    tr.insertCell().textContent = value;
  }
}

function bokehDocument() {
  return new Promise((resolve) => {
    const poll = () => {
      const B = window.Bokeh, docs = B && B.documents;
      const doc = docs && docs.find((d) => d.get_model_by_name("ll-map"));
      const ready = doc && (!B.index || Object.keys(B.index).length || typeof B.index.find_one === "function");
      if (doc && ready) resolve(doc); else setTimeout(poll, 20);
    };
    poll();
  });
}

// the page's arrays: packed, inflated, projections back from uint16
async function readArrays(meta) {
  const A = views(await inflate($("ll-data").textContent), meta.arrays);
  for (const [name, [lo, step]] of Object.entries(meta.quantised)) {
    const q = A[name], x = (A[name] = new Float32Array(q.length));
    for (let i = 0; i < q.length; i++) x[i] = lo + q[i] * step;
  }
  return A;
}

// the explorer's context: the data, the view's state, bokeh's models and what every view reads
async function context(meta, page) {
  const A = await readArrays(meta);
  const n = meta.n_shown, k = A.neighbors ? A.neighbors.length / Math.max(n, 1) : 0;
  const S = {basis: meta.bases[0], colorBy: meta.color_by, catColumn: "class", classes: null, query: "",
             dec: meta.decodes.length ? "dec0" : null,
             splits: new Set(meta.splits.keys()), ranges: {}, visible: new Uint8Array(n).fill(1), selection: [],
             page: 0, perPage: 48};
  Object.assign(page.debug, {state: S, arrays: A});
  const doc = await bokehDocument();
  const model = (name) => doc.get_model_by_name(name);
  return {meta, A, n, S, debug: page.debug, hooks: page.hooks, decorations: [], tabs: setupTabs(),
          stateChanged: () => {}, shown: n, status: () => {},
          fig: model("ll-map"), points: model("ll-points"), mapper: model("ll-mapper"),
          colorbar: model("ll-colorbar"), marks: model("ll-marks"), edges: model("ll-edges"),
          className: (i) => (A.label[i] >= 0 ? meta.classes[A.label[i]] : ""),
          column: (name) => meta.columns.find((c) => c.name === name),
          // the stored neighbours of shown point i that are shown too, nearest first
          neighborsOf: (i) => (A.neighbors ? Array.from(A.neighbors.subarray(i * k, i * k + k)) : [])
            .filter((j) => j >= 0)};
}

// ready once bokeh's layout has settled (the frame's place on the page is the same on two frames running) and
// painted (frames come promptly again: the first WebGL paint of many points can hold the next frame, and with it
// the first hover, for a second on a software renderer)
async function settled(ctx) {
  let last = "";
  for (let tries = 0; tries < 100; tries++) {
    await nextFrame();
    const f = ctx.frame(), key = [f.left, f.top, f.width, f.height].join();
    if (key === last && f.width > 0) break;
    last = key;
  }
  ctx.drawOverlay();
  let prompt = 0;
  for (let t = performance.now(), tries = 0; prompt < 2 && tries < 300; tries++) {
    await nextFrame();
    const now = performance.now();
    prompt = now - t < 100 ? prompt + 1 : 0;
    t = now;
  }
}

async function boot(meta, page) {
  const ctx = await context(meta, page);
  ctx.status = () => statusLine(ctx);
  header(meta, ctx.n);
  for (const setup of VIEWS) setup(ctx);
  ctx.setBasis(ctx.S.basis);
  ctx.setColor(ctx.S.colorBy);
  ctx.applyFilters();
  ctx.pin(-1);
  showIssues(meta.issues, (row) => {  // a row left out of the page's sample cannot be pinned
    const i = ctx.A.row.indexOf(row);
    if (i >= 0) ctx.pin(i); else $("ll-pin-note").textContent = `row ${row} is not in this page's sample`;
  });
  ctx.flushPoints();
  setupPageState(ctx);
  await settled(ctx);
  document.body.dataset.ready = "1";
  return ctx;
}

// start the explorer on the page's API object `page` (its hooks and debug are filled in); a promise of the
// explorer's context, for the model in the page
export function startExplorer(meta, page) {
  Object.assign(page, {debug: {inspected: -1, pinned: -1, hoverLatencies: [], state: null}, hooks: {}});
  const started = boot(meta, page);
  started.catch((err) => {
    document.body.dataset.ready = "error";
    const b = $("ll-banner");
    b.hidden = false;
    b.textContent = "The explorer could not start: " + err;
    console.error(err);
  });
  return started;
}

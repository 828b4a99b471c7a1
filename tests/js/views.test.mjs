// Unit tests of the pure parts the explorer's views are built on (latentlab/explorer/js): colour ramps,
// histograms, hit tests, the choice of sketches drawn on a map, label placement, the in-page search and the stroke
// code (against the Python fixture).
import assert from "node:assert/strict";
import test from "node:test";

import {clickCategory, together} from "../../latentlab/explorer/js/categories.js";
import {chooseGlyphs, covers, ZOOMED_IN} from "../../latentlab/explorer/js/glyphs.js";
import {paintHistogram} from "../../latentlab/explorer/js/histogram.js";
import {boxPolygon, dragBox, glyphAt, insidePolygon, overlaps} from "../../latentlab/explorer/js/hittest.js";
import {drawLabels, placeLabels} from "../../latentlab/explorer/js/labels.js";
import {hexRgb, ramp, rgbCss} from "../../latentlab/explorer/js/ramp.js";
import {cosineTop, dequantise} from "../../latentlab/explorer/js/search.js";
import {DTYPES} from "../../latentlab/explorer/js/core.js";
import {tableSteps} from "../../latentlab/explorer/js/strokecode.js";
import {fixture, needsFixture} from "./fixture.mjs";

function random(seed) {  // a small LCG: the same numbers on every run
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

test("viridis: its ends, clamped outside [0, 1], its middle stop; hex and css colours", () => {
  assert.deepEqual(ramp(0), [68, 1, 84]);
  assert.deepEqual(ramp(1), [253, 231, 37]);
  assert.deepEqual(ramp(-3), ramp(0));
  assert.deepEqual(ramp(7), ramp(1));
  assert.deepEqual(ramp(0.5), [33, 145, 140]);  // the middle stop
  assert.deepEqual(hexRgb("#0180ff"), [1, 128, 255]);
  assert.equal(rgbCss([1, 2, 3]), "rgb(1,2,3)");
});

test("polygon hit test agrees with a box's own test, and a concave lasso leaves its notch out", () => {
  const rand = random(3), box = [10, 20, 50, 80], poly = boxPolygon([50, 80, 10, 20]);
  for (let k = 0; k < 2000; k++) {
    const x = rand() * 60, y = rand() * 100;
    const inBox = x > box[0] && x < box[2] && y > box[1] && y < box[3];
    if (Math.abs(x - 10) > 1e-9 && Math.abs(x - 50) > 1e-9) assert.equal(insidePolygon(poly, x, y), inBox, `${x},${y}`);
  }
  const u = [[0, 0], [30, 0], [30, 30], [20, 30], [20, 10], [10, 10], [10, 30], [0, 30]];  // a U
  assert.ok(insidePolygon(u, 5, 20) && insidePolygon(u, 25, 20) && insidePolygon(u, 15, 5));
  assert.ok(!insidePolygon(u, 15, 20) && !insidePolygon(u, 40, 5));
  assert.deepEqual(dragBox([40, 10], 5, 30), [5, 10, 40, 30]);
});

test("box overlap counts touching boxes; the sketch on top answers the pointer", () => {
  assert.ok(overlaps([0, 0, 10, 10], [10, 10, 20, 20]));
  assert.ok(!overlaps([0, 0, 10, 10], [10.5, 0, 20, 10]));
  const glyphs = [[4, 50, 50, 60], [9, 70, 50, 60]];
  assert.equal(glyphAt(glyphs, 60, 50), 9);  // both cover it: the later drawn is on top
  assert.equal(glyphAt(glyphs, 25, 50), 4);
  assert.equal(glyphAt(glyphs, 200, 50), -1);
  assert.equal(glyphAt([], 0, 0), -1);
});

test("sketches on the map: all when zoomed in, else one per dense cell, nearest its centre, densest first", () => {
  const few = [[0, 5, 5], [1, 90, 40]];
  assert.deepEqual(chooseGlyphs(few, 400), [[0, 5, 5, 34], [1, 90, 40, 34]]);
  const rand = random(5), points = [];
  for (let i = 0; i < 400; i++) points.push([i, 10 + rand() * 100, 10 + rand() * 100]);  // a dense cell
  for (let i = 400; i < 500; i++) points.push([i, 250 + rand() * 100, 10 + rand() * 100]);  // a sparser one
  points.push([500, 700, 700]);  // alone: under the floor
  assert.ok(points.length > ZOOMED_IN);
  const chosen = chooseGlyphs(points, 800);
  assert.equal(chosen.length, 2);
  assert.ok(chosen[0][0] < 400 && chosen[1][0] >= 400 && chosen[1][0] < 500, JSON.stringify(chosen));
  assert.ok(chosen.every((g) => g[3] === 60));
  const dense = points.slice(0, 400), mx = dense.reduce((s, p) => s + p[1], 0) / 400,
        my = dense.reduce((s, p) => s + p[2], 0) / 400, d = (p) => (p[1] - mx) ** 2 + (p[2] - my) ** 2;
  assert.equal(Math.min(...dense.map(d)), d(points[chosen[0][0]]));
  assert.ok(covers([0, 100, 100, 60], [[125, 100]]) && !covers([0, 100, 100, 60], [[140, 100]]));
});

test("labels: largest first, none over another, none off the map", () => {
  const labels = [{text: "cat", code: 0, at: [50, 50]}, {text: "dog", code: 1, at: [60, 52]},
                  {text: "owl", code: 2, at: [300, 50]}, {text: "far", code: 3, at: [900, 50]},
                  {text: "hidden", code: 4, at: [300, 300]}];
  const placed = placeLabels(labels, (l) => (l.code === 4 ? null : l.at), (t) => 7 * t.length, 400, 400);
  assert.deepEqual(placed.map((p) => p.label.text), ["cat", "owl"]);  // dog would cover cat; far is off the map
  for (const a of placed) for (const b of placed) if (a !== b) assert.ok(!overlaps(a.box, b.box));
  assert.ok(placed[0].box[2] - placed[0].box[0] > 21);  // the name's width is in the box
});

test("cosine top k: the brute force order, filtered, from int8 rows as dequantised", () => {
  const rand = random(9), n = 300, zSize = 8;
  const q = Int8Array.from({length: n * zSize}, () => Math.round(rand() * 254 - 127));
  const scale = Float32Array.from({length: zSize}, (_, d) => 0.01 * (d + 1));
  const {mu, norms} = dequantise(q, scale, n, zSize);
  assert.ok(Math.abs(mu[5 * zSize + 3] - q[5 * zSize + 3] * scale[3]) < 1e-7);
  const row = (i) => Array.from(mu.subarray(i * zSize, (i + 1) * zSize));
  assert.ok(Math.abs(norms[7] - Math.hypot(...row(7))) < 1e-5);
  const query = row(42), cos = (i) => row(i).reduce((s, v, d) => s + v * query[d], 0) / (norms[i] * Math.hypot(...query));
  const want = [...Array(n).keys()].sort((a, b) => cos(b) - cos(a)).slice(0, 5);
  const got = cosineTop(query, 5, n, zSize, mu, norms);
  assert.deepEqual(got.map((r) => r.i), want);
  assert.equal(got[0].i, 42);
  assert.ok(Math.abs(got[0].sim - 1) < 1e-6);
  const even = cosineTop(query, 5, n, zSize, mu, norms, (i) => i % 2 === 0);
  assert.deepEqual(even.map((r) => r.i), want.filter((i) => i % 2 === 0).concat(
    [...Array(n).keys()].filter((i) => i % 2 === 0).sort((a, b) => cos(b) - cos(a))).filter((v, k, a) => a.indexOf(v) === k).slice(0, 5));
});

// a 2-D canvas context that records what is drawn: method calls by name, and the styles set
function recorder() {
  const calls = [];
  const ctx = new Proxy({calls, measureText: (t) => ({width: 7 * t.length})}, {
    get: (target, name) => (name in target ? target[name] : (...args) => { calls.push([name, ...args]); }),
    set: (target, name, value) => { calls.push(["set " + String(name), value]); return true; },
  });
  return ctx;
}

test("labels drawn: a framed box, its sketch and its name for each placed label", () => {
  const c = recorder(), thumb = [[0, 0, 10, 10]];
  const labels = [{text: "cat", code: 0, at: [50, 50], thumb}, {text: "dog", code: 1, at: [55, 50], thumb},
                  {text: "owl", code: 1, at: [200, 200], thumb}];
  const drawn = drawLabels(c, labels, (l) => l.at, (code) => ["#f00", "#0f0"][code], 400, 400);
  assert.deepEqual(drawn.map((d) => d.text), ["cat", "owl"]);
  const texts = c.calls.filter(([name]) => name === "fillText").map(([, text]) => text);
  assert.deepEqual(texts, ["cat", "owl"]);
  assert.equal(c.calls.filter(([name]) => name === "roundRect").length, 2);
  assert.deepEqual(c.calls.filter(([name]) => name === "set strokeStyle").map(([, v]) => v).slice(0, 1), ["#f00"]);
  assert.ok(c.calls.some(([name]) => name === "lineTo"));  // the label's sketch
});

test("histogram bars: one a bin, as tall as its count, in its bin's colour", () => {
  globalThis.window = {devicePixelRatio: 2};
  const c = recorder(), canvas = {clientWidth: 100, getContext: () => c};
  paintHistogram(canvas, Uint32Array.of(5, 0, 10, 2), (j) => (j === 2 ? "#111" : "#ccc"), {height: 34, below: 2});
  delete globalThis.window;
  assert.ok(canvas.width === 200 && canvas.height === 68);  // at the screen's pixel ratio
  const bars = c.calls.filter(([name]) => name === "fillRect");
  assert.equal(bars.length, 4);
  assert.deepEqual(bars[2], ["fillRect", 50, 2, 24, 30]);  // the peak: full height above the 2 px kept below
  assert.equal(bars[1][4], 0);  // an empty bin: no bar
  assert.ok(Math.abs(bars[0][4] - 15) < 1e-9);
});

test("a category clicked: alone, then all again; with Ctrl, Cmd or Shift it joins or leaves those shown", () => {
  const alone = clickCategory(null, 2, 5, false);
  assert.deepEqual([...alone], [2]);
  assert.equal(clickCategory(alone, 2, 5, false), null);  // the only one shown, clicked again: all
  assert.deepEqual([...clickCategory(alone, 4, 5, false)], [4]);
  const two = clickCategory(alone, 0, 5, true);
  assert.deepEqual([...two].sort(), [0, 2]);
  assert.deepEqual([...clickCategory(two, 2, 5, true)], [0]);
  assert.deepEqual([...clickCategory(null, 1, 3, true)].sort(), [0, 2]);  // from all: that one hidden
  assert.equal(clickCategory(new Set([0, 2]), 1, 3, true), null);  // all shown again
  assert.equal(together({ctrlKey: false, metaKey: true, shiftKey: false}), true);
  assert.equal(together({ctrlKey: false, metaKey: false, shiftKey: false}), false);
});

test("the stroke code decodes to the steps latentlab.explorer.strokecode encoded, escapes included", needsFixture, () => {
  for (const {arrays, steps} of fixture.strokecode) {
    const A = Object.fromEntries(Object.entries(arrays).map(([k, [dtype, values]]) => [k, DTYPES[dtype].from(values)]));
    assert.ok(A.orig_words, "the table is coded");
    assert.deepEqual(Array.from(tableSteps(A, "orig")), steps);
  }
  const plain = {orig_steps: Int8Array.of(1, 2, 3, 4), orig_len: Uint16Array.of(2)};
  assert.equal(tableSteps(plain, "orig"), plain.orig_steps);  // a table stored as steps is given as it is
});

// Unit tests of the explorer's helpers that touch no page (latentlab/explorer/js): `node --test tests/js`.
// With LATENTLAB_JS_FIXTURE (written by tests/explorer/test_assets.py) they also check against latentlab's Python.
import assert from "node:assert/strict";
import test from "node:test";

import * as core from "../../latentlab/explorer/js/core.js";
import {makeRandom, sampleIndex} from "../../latentlab/explorer/js/sketchrnn.js";
import {fixture, needsFixture} from "./fixture.mjs";

const norm = (v) => Math.hypot(...v);
const close = (a, b, tol, what) => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol, `${what}[${i}]: ${x} vs ${b[i]}`));

test("views read typed arrays at the pack's offsets", () => {
  const buf = new Uint8Array(16);
  new Float32Array(buf.buffer, 0, 2).set([1.5, -2]);
  new Uint16Array(buf.buffer, 8, 3).set([7, 65535, 0]);
  const A = core.views(buf, {x: ["float32", 0, [2]], n: ["uint16", 8, [3]]});
  assert.deepEqual(Array.from(A.x), [1.5, -2]);
  assert.deepEqual(Array.from(A.n), [7, 65535, 0]);
});

test("unpack gives back the bytes latentlab.explorer.packing.to_text wrote, escapes included", needsFixture, () => {
  assert.deepEqual(Array.from(core.unpack(fixture.text.text)), fixture.text.bytes);
});

test("unpackBinary gives back the arrays of latentlab.explorer.packing.pack_binary's file, inlined as text",
     needsFixture, async () => {
  const A = await core.unpackBinary(core.unpack(fixture.pack.file).buffer);
  for (const [name, values] of Object.entries(fixture.pack.arrays)) assert.deepEqual(Array.from(A[name]), values, name);
});

test("the grid index finds every point near a position, as a scan does", () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const n = 5000, X = Float32Array.from({length: n}, () => rand() * 10 - 5), Y = Float32Array.from({length: n}, () => rand() ** 3);
  const g = core.gridIndex(X, Y, [-5, 5, 0, 1], 64);
  for (const [x, y, r] of [[0, 0.5, 0.2], [-5, 0, 0.5], [4.99, 0.99, 0.05], [20, 20, 1]]) {
    const got = new Set();
    core.gridVisit(g, x, y, r, r, (i) => { if (Math.abs(X[i] - x) <= r && Math.abs(Y[i] - y) <= r) got.add(i); });
    const want = new Set([...X.keys()].filter((i) => Math.abs(X[i] - x) <= r && Math.abs(Y[i] - y) <= r));
    assert.deepEqual([...got].sort((a, b) => a - b), [...want].sort((a, b) => a - b));
  }
});

test("polylines follow the stroke table: steps add up, a start opens a line", () => {
  const A = {s_ids: Uint32Array.of(1, 0), s_offsets: Uint32Array.of(0, 2, 5),
             s_steps: Int8Array.of(1, 1, 2, 0, 0, 0, 3, 3, -1, 0), s_starts: Uint8Array.of(1, 0, 1, 1, 0)};
  assert.deepEqual(core.polylines(A, "s", 1), [[1, 1, 3, 1]]);
  assert.deepEqual(core.polylines(A, "s", 0), [[0, 0], [3, 3, 2, 3]]);
  assert.deepEqual(core.pointLines([1, 0, 0, 1, 0, 1, 5, 5, 0]), [[1, 0, 2, 0], [7, 5]]);
});

test("RDP keeps the ends and the corners, drops points on a line", () => {
  const xs = [0, 1, 2, 3, 3, 3], ys = [0, 0, 0.01, 0, 1, 2];
  assert.deepEqual(Array.from(core.rdpMask(xs, ys, 0.5)), [1, 0, 0, 1, 0, 1]);
  const fine = core.rdpMask(xs, ys, 0.001);  // the 0.01 bump stays; a point exactly on a line never does
  assert.ok(fine[2] === 1 && fine[4] === 0 && fine[3] === 1);
});

test("a drawing becomes the stroke-3 rows latentlab.io.quickdraw makes", needsFixture, () => {
  for (const {strokes, settings, rows} of fixture.drawings) assert.deepEqual(core.fromDrawing(strokes, settings), rows);
});

test("slerp: exact ends, the norm of equal-norm ends, a turn through a right angle for opposite vectors", () => {
  const a = [3, 0, 4], b = [0, 5, 0];
  assert.deepEqual(core.slerp(a, b, 0), a);
  assert.deepEqual(core.slerp(a, b, 1), b);
  for (const t of [0.1, 0.5, 0.9]) assert.ok(Math.abs(norm(core.slerp(a, b, t)) - 5) < 1e-9);
  const mid = core.slerp([2, 0, 0], [-2, 0, 0], 0.5);  // not through zero, as lerp would go
  close(mid, [0, 2, 0], 1e-9, "opposite");
  close(core.slerp([1, 1], [2, 2], 0.25), core.lerp([1, 1], [2, 2], 0.25), 1e-12, "parallel");
});

test("slerp agrees with latentlab.tl.slerp", needsFixture, () => {
  for (const {a, b, t, want} of fixture.slerp) close(core.slerp(a, b, t), want, 1e-5, `t=${t}`);
});

test("sampling: greedy takes the argmax; draws follow softmax(logits / tau)", () => {
  const logits = [0.1, 2, -1, 0.5];
  assert.equal(sampleIndex(logits, 0.5, true, 0.99), 1);
  assert.equal(sampleIndex(logits, 1, false, 0), 0);
  const rng = makeRandom(3), counts = [0, 0, 0, 0], tau = 0.7, draws = 40000;
  for (let k = 0; k < draws; k++) counts[sampleIndex(logits, tau, false, rng.uniform())]++;
  const p = logits.map((l) => Math.exp(l / tau)), total = p.reduce((s, v) => s + v);
  counts.forEach((c, i) => assert.ok(Math.abs(c / draws - p[i] / total) < 0.01, `class ${i}`));
});

test("the generator is seeded: same seed, same numbers; normals have mean 0 and variance 1", () => {
  const a = makeRandom(11), b = makeRandom(11), c = makeRandom(12);
  const xs = Array.from({length: 5}, () => a.uniform());
  assert.deepEqual(Array.from({length: 5}, () => b.uniform()), xs);
  assert.notDeepEqual(Array.from({length: 5}, () => c.uniform()), xs);
  const r = makeRandom(0), z = Array.from({length: 20000}, () => r.normal());
  const mean = z.reduce((s, v) => s + v) / z.length, variance = z.reduce((s, v) => s + (v - mean) ** 2) / z.length;
  assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.05, `${mean} ${variance}`);
});

test("sampleIndex agrees with the runtime's inverse-CDF rule", needsFixture, () => {
  for (const {logits, tau, u, want} of fixture.sample) assert.equal(sampleIndex(logits, tau, false, u), want);
});

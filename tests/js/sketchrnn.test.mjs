// The page's SketchRNN (latentlab/explorer/js/sketchrnn.js) against latentlab's runtime: the fixture carries a
// model's packed weights (both precisions), some sketches, the runtime's mu of them and its greedy decode.
import assert from "node:assert/strict";
import test from "node:test";

import {inflateBinary, unpack} from "../../latentlab/explorer/js/core.js";
import {makeModel} from "../../latentlab/explorer/js/sketchrnn.js";
import {fixture, needsFixture} from "./fixture.mjs";

// the model as a worker builds it from the page's model.bin
async function load(packed) {
  const {bytes, header} = await inflateBinary(unpack(packed.file).buffer);
  return makeModel(packed.meta, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), header);
}

test("the encoder gives the runtime's mu (float32 weights)", needsFixture, async () => {
  const {model} = fixture, m = await load(model.float32);
  model.sketches.forEach((sketch, j) => {
    const mu = Array.from(m.encode(Float32Array.from(sketch.flat())).mu);
    mu.forEach((v, d) => assert.ok(Math.abs(v - model.mu[j][d]) < 2e-4, `sketch ${j} dim ${d}: ${v} vs ${model.mu[j][d]}`));
  });
});

test("int8 weights keep mu close to the runtime's", needsFixture, async () => {
  const {model} = fixture, m = await load(model.int8);
  model.sketches.forEach((sketch, j) => {
    const mu = Array.from(m.encode(Float32Array.from(sketch.flat())).mu), want = model.mu[j];
    const dot = mu.reduce((s, v, d) => s + v * want[d], 0), cos = dot / (Math.hypot(...mu) * Math.hypot(...want));
    assert.ok(cos > 0.99, `sketch ${j}: cosine ${cos}`);
  });
});

test("a greedy decode follows the runtime's, step by step", needsFixture, async () => {
  const {model} = fixture, m = await load(model.float32);
  const flat = m.decode(Float32Array.from(model.mu[0]), {greedy: true, maxLen: model.greedy.length});
  const rows = [];
  for (let p = 0; p < flat.length; p += 3) rows.push([flat[p], flat[p + 1], flat[p + 2]]);
  assert.equal(rows.length, model.greedy.length);
  rows.forEach((r, j) => r.forEach((v, d) => assert.ok(Math.abs(v - model.greedy[j][d]) <= 1e-2,
                                                       `step ${j}: ${r} vs ${model.greedy[j]}`)));
});

test("sampled decodes are reproducible by seed and end within maxLen", needsFixture, async () => {
  const {model} = fixture, m = await load(model.float32), z = Float32Array.from(model.mu[1]);
  const a = m.decode(z, {temperature: 0.5, seed: 3, maxLen: 40}), b = m.decode(z, {temperature: 0.5, seed: 3, maxLen: 40});
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.ok(a.length > 0 && a.length <= 3 * 40);
  const js = m.decode(z, {temperature: 0.5, seed: 4, maxLen: 40, softmaxTemperature: "js"});
  assert.ok(js.length > 0 && js.length % 3 === 0);
});

// Unit tests of what leaves the page (latentlab/explorer/js/share.js): the URL hash, CSV, .npy and .zip; and the
// stroke table -> stroke-3 rows an export writes (core.strokesOf).
import assert from "node:assert/strict";
import test from "node:test";

import {strokesOf} from "../../latentlab/explorer/js/core.js";
import {crc32, decodeState, encodeState, hashRows, npy, sketchesNpz, toCsv, zip} from "../../latentlab/explorer/js/share.js";

test("a state survives the hash: lists, sets, text with separators; nothing empty is written", () => {
  const state = {basis: "X_umap", view: [0.123456789, -2, 3e-9, 10], classes: new Set([5, 1, 3]), q: "a&b=c #d",
                 pin: 0, sel: [], none: null, gone: undefined, empty: ""};
  const hash = encodeState(state);
  assert.ok(!hash.includes("sel=") && !hash.includes("none") && !hash.includes("empty"));
  const back = decodeState("#" + hash, ["view", "classes", "sel"]);
  assert.deepEqual(back, {basis: "X_umap", view: [0.1234568, -2, 3e-9, 10], classes: [1, 3, 5], q: "a&b=c #d",
                          pin: "0"});
});

test("a malformed list in a hand-edited hash is left out, not half read", () => {
  assert.deepEqual(decodeState("view=1,x,3&pin=4&sel=", ["view", "sel"]), {pin: "4", sel: []});
  assert.deepEqual(decodeState("", ["view"]), {});
  assert.deepEqual(decodeState("#flag", []), {flag: ""});
});

test("the URL carries a selection up to 500 rows", () => {
  assert.deepEqual(hashRows([1, 2]), [1, 2]);
  assert.equal(hashRows(Array.from({length: 501}, (_, i) => i)), null);
});

test("CSV fields with commas, quotes or line breaks are quoted; empty values stay empty", () => {
  const csv = toCsv(["row", "class", "Lr"], [[3, 'cat, "tabby"', 0.5], [4, "dog\nhound", null], [5, "owl", ""]]);
  assert.equal(csv, 'row,class,Lr\n3,"cat, ""tabby""",0.5\n4,"dog\nhound",\n5,owl,\n');
});

test(".npy: the magic, a header padded to 64 bytes, the data after it", () => {
  const file = npy(Int16Array.of(1, -2, 3, 4, 5, 6), [2, 3]);
  assert.deepEqual(Array.from(file.slice(0, 8)), [0x93, 78, 85, 77, 80, 89, 1, 0]);
  const headerLength = file[8] | (file[9] << 8), header = new TextDecoder().decode(file.slice(10, 10 + headerLength));
  assert.equal((10 + headerLength) % 64, 0);
  assert.ok(header.startsWith("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }") && header.endsWith("\n"));
  assert.deepEqual(Array.from(new Int16Array(file.slice(10 + headerLength).buffer)), [1, -2, 3, 4, 5, 6]);
  assert.ok(new TextDecoder().decode(npy(new BigInt64Array(2), [2]).slice(10, 80)).includes("'shape': (2,)"));
  assert.throws(() => npy([1, 2], [2]), /no .npy type/);
});

test("zip: the CRC-32 check value, stored entries and a central directory that finds them", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  const a = new TextEncoder().encode("hello"), archive = zip({"a.txt": a, "b.bin": Uint8Array.of(0, 255)});
  const view = new DataView(archive.buffer), end = archive.length - 22;
  assert.equal(view.getUint32(end, true), 0x06054b50);
  assert.equal(view.getUint16(end + 10, true), 2);
  const central = view.getUint32(end + 16, true);
  assert.equal(view.getUint32(central, true), 0x02014b50);
  assert.equal(view.getUint32(central + 16, true), crc32(a));
  assert.equal(new TextDecoder().decode(archive.slice(30 + 5, 30 + 5 + 5)), "hello");  // after its local header
});

test("an .npz of sketches holds rows, the points one after another and each sketch's offset", () => {
  const archive = sketchesNpz([7, 9], [[[1, 2, 0], [3, 4, 1]], [[5, 6, 1]]]);
  const text = new TextDecoder("latin1").decode(archive);
  for (const name of ["rows.npy", "strokes.npy", "offsets.npy"]) assert.ok(text.includes(name), name);
  assert.ok(text.includes("'shape': (3, 3)") && text.includes("'descr': '<i8'"));
});

test("stroke-3 rows from a stroke table: steps from the last point, pen 1 at each stroke's end", () => {
  const A = {s_ids: Uint32Array.of(0), s_offsets: Uint32Array.of(0, 5),
             s_steps: Int8Array.of(1, 1, 2, 0, 0, 3, 3, 3, -1, 0), s_starts: Uint8Array.of(1, 0, 1, 0, 0)};
  assert.deepEqual(strokesOf(A, "s", 0), [[1, 1, 0], [2, 0, 1], [0, 3, 0], [3, 3, 0], [-1, 0, 1]]);
});

// What leaves the page: its state as a URL hash (to bookmark or share a view) and a selection as row ids, a CSV
// of obs columns or an .npz of its sketches. Pure: the pages read and write the state, these functions encode it.

const MAX_HASH_ROWS = 500;  // a selection of more rows stays out of the URL (the page says so)

// a number list "1,2.5,-3" -> [1, 2.5, -3], or null when any item is not a finite number
function numbers(text) {
  if (!text) return [];
  const out = text.split(",").map(Number);
  return out.every(Number.isFinite) ? out : null;
}

// state {key: value} -> "k=v&..." (lists joined by commas, sets as sorted lists, null/undefined/empty left out)
export function encodeState(state) {
  const parts = [];
  for (const [key, value] of Object.entries(state)) {
    if (value === null || value === undefined || value === "") continue;
    let text = value;
    if (value instanceof Set) text = [...value].sort((a, b) => a - b).join(",");
    else if (Array.isArray(value)) text = value.map((v) => (typeof v === "number" ? +v.toPrecision(7) : v)).join(",");
    if (text === "") continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(text))}`);
  }
  return parts.join("&");
}

// a hash (with or without "#") -> {key: text}; keys in `lists` come back as number arrays (a malformed list is
// left out, not half read)
export function decodeState(hash, lists = []) {
  const out = {};
  for (const part of hash.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("="), key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const text = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
    if (lists.includes(key)) {
      const values = numbers(text);
      if (values) out[key] = values;
    } else {
      out[key] = text;
    }
  }
  return out;
}

// the rows of a selection the URL carries: all of them up to MAX_HASH_ROWS, else none
export const hashRows = (rows) => (rows.length <= MAX_HASH_ROWS ? rows : null);

// one CSV field: quoted when it holds a comma, a quote or a line break
function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// a CSV with a header: `columns` names, `rows` of values in that order
export function toCsv(columns, rows) {
  return [columns, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

// ---- .npz: a zip of .npy files, stored (no compression), as numpy.load reads it
const DESCR = {Int16Array: "<i2", Int32Array: "<i4", Float32Array: "<f4", Uint32Array: "<u4", Uint8Array: "|u1",
               Float64Array: "<f8", BigInt64Array: "<i8"};

// one .npy file: the header (version 1.0, padded to 64 bytes) and the array's bytes
export function npy(array, shape) {
  const descr = DESCR[array.constructor.name];
  if (!descr) throw new Error(`no .npy type for ${array.constructor.name}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const out = new Uint8Array(10 + header.length + array.byteLength), view = new DataView(out.buffer);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);  // "\x93NUMPY" v1.0
  view.setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 10 + header.length);
  return out;
}

const CRC = Uint32Array.from({length: 256}, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// a zip of `files` ({name: Uint8Array}), stored, with its central directory
export function zip(files) {
  const enc = new TextEncoder(), locals = [], central = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = enc.encode(name), crc = crc32(data);
    const local = new Uint8Array(30 + n.length), lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true); lv.setUint16(4, 20, true); lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true); lv.setUint32(22, data.length, true); lv.setUint16(26, n.length, true);
    local.set(n, 30);
    const entry = new Uint8Array(46 + n.length), cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true); cv.setUint16(4, 20, true); cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true); cv.setUint32(20, data.length, true); cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true); cv.setUint32(42, offset, true);
    entry.set(n, 46);
    locals.push(local, data);
    central.push(entry);
    offset += local.length + data.length;
  }
  const size = central.reduce((s, e) => s + e.length, 0), end = new Uint8Array(22), ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); ev.setUint16(8, central.length, true); ev.setUint16(10, central.length, true);
  ev.setUint32(12, size, true); ev.setUint32(16, offset, true);
  const parts = [...locals, ...central, end], out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// sketches (stroke-3 rows [[dx, dy, pen], ...] each) and their rows -> an .npz: `rows` (int64), `strokes`
// (int16, every sketch's points one after another, (P, 3)) and `offsets` (int64: sketch j is
// strokes[offsets[j]:offsets[j + 1]])
export function sketchesNpz(rows, sketches) {
  const total = sketches.reduce((s, k) => s + k.length, 0), strokes = new Int16Array(total * 3);
  const offsets = new BigInt64Array(sketches.length + 1);
  let p = 0;
  sketches.forEach((sketch, j) => {
    for (const [dx, dy, pen] of sketch) { strokes[p * 3] = dx; strokes[p * 3 + 1] = dy; strokes[p * 3 + 2] = pen; p++; }
    offsets[j + 1] = BigInt(p);
  });
  return zip({"rows.npy": npy(BigInt64Array.from(rows, BigInt), [rows.length]),
              "strokes.npy": npy(strokes, [total, 3]), "offsets.npy": npy(offsets, [sketches.length + 1])});
}

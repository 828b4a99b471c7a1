// The explorer's data (latentlab.explorer.tiled's folder, or the same files inlined in the single file): its
// context, the quadtree of each projection, and the tiles and row files fetched as the view needs them
// (latentlab.explorer.packing.pack_binary's files).
import {unpackBinary} from "./core.js";
import {$} from "./draw.js";
import {fetchBuffer} from "./files.js";
import {tableSteps} from "./strokecode.js";

const MAX_TILES = 256;  // tiles kept in memory (about 2 MB each inflated): the least recently drawn go first

// the projection j's view: its quadtree's folder, tiles, levels and their boxes on the unit square
export function basisView(M, j) {
  const b = M.bases[j];
  const boxes = b.tiles.map((name) => {
    const [lv, rest] = name.split("/"), [cx, cy] = rest.split("-").map(Number), s = 1 / (1 << Number(lv));
    return [cx * s, (cx + 1) * s, cy * s, (cy + 1) * s];
  });
  return {j, key: b.basis, dir: b.dir, shares: b.shares, tiles: b.tiles, levels: b.levels, boxes,
          maxLevel: Math.max(...b.levels)};
}

// the explorer's context: the manifest M, the view's state S, the projection shown B, the map's canvas
// and the marks drawn after the rings (overlays: f(context2d, geometry), e.g. the model's drawing)
export function explorerContext(M, canvas) {
  const S = {tiles: new Map(), loading: new Map(), rowFiles: new Map(), cx: 0.5, cy: 0.5, zoom: 1, hover: null,
             pin: null, neighbors: [], drawing: null, dec: "dec0", color: M.color_by, listed: null, filters: {}, drawn: null,
             selection: [], failed: null, frames: 0, hoverMs: [], lasso: null, glyphs: []};
  return {M, S, B: basisView(M, 0), canvas, overlays: [], stateChanged: () => {}};
}

export async function loadArrays(path) {
  return unpackBinary(await fetchBuffer(path));
}

// rows from their steps; each sketch table's steps (decoded from their code, if coded) and offsets from its lengths
function tileArrays(M, A) {
  for (let k = 1; k < A.row.length; k++) A.row[k] += A.row[k - 1];
  for (const which of ["orig"].concat(M.decodes.map((d, j) => "dec" + j))) {
    A[which + "_steps"] = tableSteps(A, which);
    const len = A[which + "_len"], off = new Uint32Array(len.length + 1);
    for (let k = 0; k < len.length; k++) off[k + 1] = off[k] + len[k];
    A[which + "_offsets"] = off;
    A[which + "_ids"] = Uint32Array.from({length: len.length}, (_, k) => k);
  }
  return A;
}

// tile i of projection B: its own file, or its coordinates with the columns and sketches of the same tile of the
// projection it shares them with (the single file's further projections: the same rows, in the same order)
async function tileData(M, B, i) {
  const A = await loadArrays(`${B.dir}/${B.tiles[i]}.bin`);
  if (!B.shares) return tileArrays(M, A);
  return tileArrays(M, Object.assign(await loadArrays(`${B.shares}/${B.tiles[i]}.bin`), {x: A.x, y: A.y}));
}

export function loadTile(ex, i) {
  const {S, B} = ex;
  if (!S.loading.has(i)) {
    const j = B.j;
    S.loading.set(i, tileData(ex.M, B, i).then((A) => {
      const tile = {i, A, n: A.row.length, index: null};
      if (ex.B.j === j) S.tiles.set(i, tile);  // not when the projection changed meanwhile
      return tile;
    }).catch((err) => failed(ex, err)));
  }
  return S.loading.get(i);
}

// the first failed fetch, said in the banner (from a file: why a server is needed)
function failed(ex, err) {
  const {S} = ex;
  if (!S.failed) {
    S.failed = String(err.message || err);
    const b = $("ll-banner");
    b.hidden = false;
    b.textContent = location.protocol === "file:"
      ? "This explorer loads its tiles as you zoom, which a browser does not allow from a file: open it " +
        "through a web server, e.g. `latentlab serve <this folder>`, and follow the link it prints."
      : `Could not load ${S.failed}: keep index.html beside its tiles/ and rows/ folders.`;
  }
  return null;
}

export function rowFile(ex, block) {
  const {S} = ex;
  if (!S.rowFiles.has(block)) S.rowFiles.set(block, loadArrays(`rows/${block}.bin`).catch((err) => failed(ex, err)));
  return S.rowFiles.get(block);
}

// the tile and position of a row, loading what is needed (null for a row not in the page's sample)
export async function locate(ex, row) {
  const {M, B} = ex;
  const R = await rowFile(ex, Math.floor(row / M.row_block));
  const tile = R && await loadTile(ex, R[`tile${B.j || ""}`][row % M.row_block]);
  if (!tile) return null;
  if (!tile.index) tile.index = new Map(Array.from(tile.A.row, (r, k) => [r, k]));
  return tile.index.has(row) ? {tile, k: tile.index.get(row), R} : null;  // null: a row the page leaves out
}

// tiles beyond MAX_TILES let go, the least recently drawn first (never those the view needs)
export function evict(ex, need) {
  const {S} = ex;
  if (S.tiles.size <= MAX_TILES) return;
  const keep = new Set(need), old = [...S.tiles.values()].filter((t) => !keep.has(t.i));
  old.sort((a, b) => a.used - b.used);
  for (const t of old.slice(0, S.tiles.size - MAX_TILES)) { S.tiles.delete(t.i); S.loading.delete(t.i); }
}

// Where the page's files come from (a tile, a row file, a search cell, model.bin): from the page itself (the
// single file carries them, latentlab.explorer.report), from the kernel (a notebook widget's page,
// widgetlink.filesFromKernel), or else from the server the tiled folder is opened through.
import {unpack} from "./core.js";

let source = null;  // path -> a promise of its ArrayBuffer; null: fetch from the server

// a file of the page's folder as an ArrayBuffer
export async function fetchBuffer(path) {
  if (source) return source(path);
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path} (${response.status} ${response.statusText})`);
  return response.arrayBuffer();
}

// the page's files from `read(path)` (a promise of an ArrayBuffer) from now on
export function filesFrom(read) {
  source = read;
}

// the files inlined in the page: `text` (latentlab.explorer.packing.to_text of them all, read back once) and
// `where` ({path: [byte offset, length]})
export function inlineFiles(text, where) {
  let bytes = null;
  filesFrom(async (path) => {
    if (!where[path]) throw new Error(`${path} (not in this page)`);
    bytes = bytes || unpack(text);
    const [offset, length] = where[path];
    return bytes.buffer.slice(offset, offset + length);
  });
}

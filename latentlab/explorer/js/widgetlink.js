// The page inside latentlab.pl.explorer's notebook widget. It speaks by postMessage to the widget's script in the
// notebook (widget-host.js), which relays to the kernel: the page sends its state (selection, pinned and hovered
// row, colour, filters) as it changes and asks for its folder's files when it has not got them inline (the tiles of a
// tiled folder, which the kernel reads); the widget sends what Python set.
import {filesFrom} from "./files.js";

export const HIGHLIGHT = "#ff8c00";  // rings Python asks for (w.highlight)
const waiting = new Map();
let asked = 0;

const post = (msg) => window.parent.postMessage(Object.assign({latentlab: 1}, msg), "*");

function listen(type, handler) {
  window.addEventListener("message", (e) => {
    const msg = e.data;
    if (e.source === window.parent && msg && msg.latentlab && msg.type === type) handler(msg);
  });
}

// the page's files asked of the kernel from now on (before the page fetches any)
export function filesFromKernel() {
  filesFrom((path) => {
    const id = ++asked;
    post({type: "fetch", id, path});
    return new Promise((resolve, reject) => waiting.set(id, {resolve, reject, path}));
  });
  listen("file", (msg) => {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (!w) return;
    if (msg.error) w.reject(new Error(`${w.path} (${msg.error})`)); else w.resolve(msg.buffer);
  });
}

// what Python reads of a page's `state()` ({selection: rows, pinned: row or null, color_by, filter}): its selected
// rows are the selection's, or the pinned row when none is selected
function forPython({selection, pinned, color_by, filter}) {
  return {selected: selection.length || pinned === null ? selection : [pinned], pinned, color_by, filter};
}

// the page linked to its widget: `state()` is what Python reads (sent a moment after each "ll-state" event, and
// after each change Python asks for), `apply(set)` does what Python set (a promise or not); hovered rows go as
// the "ll-hover" events say
export function linkWidget({state, apply}) {
  let timer = null;
  const send = () => {
    clearTimeout(timer);
    timer = setTimeout(() => post({type: "state", state: forPython(state())}), 30);
  };
  document.addEventListener("ll-state", send);
  document.addEventListener("ll-hover", (e) => post({type: "hover", row: e.detail}));
  listen("set", (msg) => Promise.resolve(apply(msg.set)).then(send, (err) => post({type: "error", text: String(err)})));
  post({type: "ready", state: forPython(state())});
}

// the row now under the pointer (or none), for the widget
export function hovered(row) {
  document.dispatchEvent(new CustomEvent("ll-hover", {detail: row}));
}

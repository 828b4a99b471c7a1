// latentlab.pl.explorer's widget in the notebook (anywidget's render): the explorer page in an iframe, made from
// the bytes Python sends (`_page`), and the relay between the page (postMessage; widgetlink.js) and the kernel
// (the widget's model): the page's state into the model's traits, the traits Python sets into the page, a tiled
// folder's files asked of the kernel and handed back.
const SET_BY_PYTHON = ["selected", "color_by", "filter", "_highlight"];
const HOVER_MS = 50;  // hovered rows go to the kernel at once, then at most this often (the last one always goes)

function pageUrl(model) {
  const view = model.get("_page");  // a DataView over the page's bytes
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return URL.createObjectURL(new Blob([bytes], {type: "text/html"}));
}

// what Python set, for the page ("_highlight" is the page's "highlight")
function pythonState(model) {
  const set = {};
  for (const name of SET_BY_PYTHON) set[name.replace(/^_/, "")] = model.get(name);
  return set;
}

function relay(model, frame) {
  let fromPage = false, hoverTimer = null, hoverRow = null, hoverSent = -Infinity;
  const view = Math.random().toString(36).slice(2);  // this view's files only (a widget shown twice has two pages)
  const toPage = (msg, transfer = []) => frame.contentWindow &&
    frame.contentWindow.postMessage(Object.assign({latentlab: 1}, msg), "*", transfer);
  const fromState = (state) => {
    fromPage = true;
    model.set({selected: state.selected, pinned: state.pinned ?? -1, color_by: state.color_by, filter: state.filter});
    fromPage = false;
    model.save_changes();
  };
  const sendHover = () => {
    hoverTimer = null;
    hoverSent = performance.now();
    model.set("hovered", hoverRow ?? -1);
    model.save_changes();
  };
  const handlers = {
    ready: () => { toPage({type: "set", set: pythonState(model)}); model.set("ready", true); model.save_changes(); },
    state: (msg) => fromState(msg.state),
    hover: (msg) => {
      hoverRow = msg.row;
      if (!hoverTimer) hoverTimer = setTimeout(sendHover, Math.max(0, hoverSent + HOVER_MS - performance.now()));
    },
    fetch: (msg) => model.send({type: "fetch", id: msg.id, path: msg.path, view}),
    error: (msg) => { model.set("error", msg.text); model.save_changes(); },
  };
  const onMessage = (e) => {
    const msg = e.data;
    if (e.source === frame.contentWindow && msg && msg.latentlab && handlers[msg.type]) handlers[msg.type](msg);
  };
  window.addEventListener("message", onMessage);
  model.on("msg:custom", (msg, buffers) => {
    if (msg.type !== "file" || msg.view !== view) return;
    const data = buffers && buffers[0], buffer = data ? data.buffer.slice(data.byteOffset, data.byteOffset +
      data.byteLength) : null;
    toPage({type: "file", id: msg.id, error: msg.error, buffer}, buffer ? [buffer] : []);
  });
  for (const name of SET_BY_PYTHON) {
    model.on(`change:${name}`, () => {
      if (!fromPage) toPage({type: "set", set: {[name.replace(/^_/, "")]: model.get(name)}});
    });
  }
  return () => window.removeEventListener("message", onMessage);
}

function render({model, el}) {
  const frame = document.createElement("iframe");
  frame.title = "latentlab explorer";
  frame.className = "latentlab-explorer";
  frame.allow = "clipboard-write";
  const size = () => { frame.style.cssText = `width:100%;height:${model.get("height")}px;border:1px solid #ddd`; };
  let url = null;
  const load = () => {
    if (url) URL.revokeObjectURL(url);
    url = pageUrl(model);
    model.set("ready", false);  // until the page says it is
    model.save_changes();
    frame.src = url;
  };
  size();
  el.appendChild(frame);
  const stop = relay(model, frame);
  model.on("change:_page", load);
  model.on("change:height", size);
  load();
  return () => { stop(); URL.revokeObjectURL(url); };
}

export default {render};

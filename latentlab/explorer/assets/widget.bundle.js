// latentlab's explorer: widget.bundle.js, bundled by esbuild from latentlab/explorer/js/widget-host.js (make js); edit the modules, not this file.

// widget-host.js
var SET_BY_PYTHON = ["selected", "color_by", "filter", "_highlight"];
var HOVER_MS = 50;
function pageUrl(model) {
  const view = model.get("_page");
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return URL.createObjectURL(new Blob([bytes], { type: "text/html" }));
}
function pythonState(model) {
  const set = {};
  for (const name of SET_BY_PYTHON) set[name.replace(/^_/, "")] = model.get(name);
  return set;
}
function relay(model, frame) {
  let fromPage = false, hoverTimer = null, hoverRow = null, hoverSent = -Infinity;
  const view = Math.random().toString(36).slice(2);
  const toPage = (msg, transfer = []) => frame.contentWindow && frame.contentWindow.postMessage(Object.assign({ latentlab: 1 }, msg), "*", transfer);
  const fromState = (state) => {
    fromPage = true;
    model.set({ selected: state.selected, pinned: state.pinned ?? -1, color_by: state.color_by, filter: state.filter });
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
    ready: () => {
      toPage({ type: "set", set: pythonState(model) });
      model.set("ready", true);
      model.save_changes();
    },
    state: (msg) => fromState(msg.state),
    hover: (msg) => {
      hoverRow = msg.row;
      if (!hoverTimer) hoverTimer = setTimeout(sendHover, Math.max(0, hoverSent + HOVER_MS - performance.now()));
    },
    fetch: (msg) => model.send({ type: "fetch", id: msg.id, path: msg.path, view }),
    error: (msg) => {
      model.set("error", msg.text);
      model.save_changes();
    }
  };
  const onMessage = (e) => {
    const msg = e.data;
    if (e.source === frame.contentWindow && msg && msg.latentlab && handlers[msg.type]) handlers[msg.type](msg);
  };
  window.addEventListener("message", onMessage);
  model.on("msg:custom", (msg, buffers) => {
    if (msg.type !== "file" || msg.view !== view) return;
    const data = buffers && buffers[0], buffer = data ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : null;
    toPage({ type: "file", id: msg.id, error: msg.error, buffer }, buffer ? [buffer] : []);
  });
  for (const name of SET_BY_PYTHON) {
    model.on(`change:${name}`, () => {
      if (!fromPage) toPage({ type: "set", set: { [name.replace(/^_/, "")]: model.get(name) } });
    });
  }
  return () => window.removeEventListener("message", onMessage);
}
function render({ model, el }) {
  const frame = document.createElement("iframe");
  frame.title = "latentlab explorer";
  frame.className = "latentlab-explorer";
  frame.allow = "clipboard-write";
  const size = () => {
    frame.style.cssText = `width:100%;height:${model.get("height")}px;border:1px solid #ddd`;
  };
  let url = null;
  const load = () => {
    if (url) URL.revokeObjectURL(url);
    url = pageUrl(model);
    model.set("ready", false);
    model.save_changes();
    frame.src = url;
  };
  size();
  el.appendChild(frame);
  const stop = relay(model, frame);
  model.on("change:_page", load);
  model.on("change:height", size);
  load();
  return () => {
    stop();
    URL.revokeObjectURL(url);
  };
}
var widget_host_default = { render };
export {
  widget_host_default as default
};

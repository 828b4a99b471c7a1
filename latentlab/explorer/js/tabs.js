// The right column's tabs: neighbours, selection, drawing pad, interpolation, data issues, share and
// provenance. A tab whose panel content is hidden (no model, no audit) is hidden with it.
import {$} from "./draw.js";

// the tab `name` shown, its button marked; "ll-tab" sent (the page's state follows)
function show(name) {
  for (const b of document.querySelectorAll("#ll-tabs button")) b.setAttribute("aria-selected", b.dataset.tab === name);
  for (const p of document.querySelectorAll(".ll-panel")) p.classList.toggle("on", p.dataset.tab === name);
  document.dispatchEvent(new Event("ll-tab"));
}

// each tab's button hidden when its panel holds nothing to show (its only section hidden)
function sync() {
  for (const p of document.querySelectorAll(".ll-panel")) {
    const empty = p.children.length === 1 && p.firstElementChild.hidden;
    document.querySelector(`#ll-tabs button[data-tab="${p.dataset.tab}"]`).hidden = empty;
  }
}

// the tab `name` shown when the page has it (a link may name a tab this page hides or lacks)
function restore(name) {
  if (name && document.querySelector(`#ll-tabs button[data-tab="${name}"]:not([hidden])`)) show(name);
}

// the tabs wired, `first` shown; returns {show(name), restore(name), current()}
export function setupTabs(first = "neighbours") {
  for (const b of document.querySelectorAll("#ll-tabs button")) b.onclick = () => show(b.dataset.tab);
  new MutationObserver(sync).observe($("ll-panels"), {attributes: true, attributeFilter: ["hidden"], subtree: true});
  sync();
  show(first);
  return {show, restore, current: () => document.querySelector(".ll-panel.on").dataset.tab};
}

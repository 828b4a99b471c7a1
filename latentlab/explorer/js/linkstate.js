// What the page does with its state in the URL hash: write it a moment after it changes, and copy the link.
import {$} from "./draw.js";

// the page's address (with its state) to the clipboard, or shown to copy where the clipboard is closed
async function copyLink() {
  try {
    await navigator.clipboard.writeText(location.href);
    $("ll-link-note").textContent = "copied";
  } catch {
    $("ll-link-note").textContent = location.href;
  }
}

// the hash kept as snapshot() says (a moment after each change, and when a tab is shown), and the About tab's
// copy link wired; returns the page's stateChanged()
export function followState(snapshot) {
  let timer = null, last = "";
  const save = () => {
    const hash = snapshot();
    if (hash !== last) {
      try {
        history.replaceState(null, "", "#" + hash);
      } catch {  // a page from a blob (the notebook's widget) may keep no address
      }
    }
    last = hash;
  };
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 200);
    document.dispatchEvent(new Event("ll-state"));  // for the notebook's widget (widgetlink.js)
  };
  document.addEventListener("ll-tab", changed);
  $("ll-copy-link").onclick = () => copyLink();
  return changed;
}

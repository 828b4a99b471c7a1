// The explorer's bundle: the page of a tiled folder (latentlab.explorer.tiled) and the single file, which is the
// same page with its files inlined (latentlab.explorer.report). The page's API is window.latentlab (debug, ready,
// and the model's calls), which its tests and benchmarks read; its state lives in the URL hash. In a notebook's
// widget (meta.widget) it is linked to Python, and a folder's files come from the kernel.
import {$} from "./draw.js";
import {inlineFiles} from "./files.js";
import {startExplorer} from "./side.js";
import {startModel} from "./drawsearch.js";
import {setupPageState} from "./pagestate.js";
import {linkToPython} from "./widgetpage.js";
import {explorerContext} from "./tiles.js";
import {filesFromKernel} from "./widgetlink.js";

const meta = JSON.parse($("ll-meta").textContent);
if (meta.files) inlineFiles($("ll-files").textContent, meta.files);
else if (meta.widget) filesFromKernel();
const ex = explorerContext(meta, $("ll-map"));
const page = (window.latentlab = {});
const started = startExplorer(ex, page).then(() => setupPageState(ex));  // the view a link names, once drawn
page.ready = started.then(() => new Promise((r) => requestAnimationFrame(() => r(!ex.S.failed))));
page.ready.then((ok) => { document.body.dataset.ready = ok ? "1" : "0"; });
if (meta.widget) page.ready.then(() => linkToPython(ex));
startModel(ex, page);

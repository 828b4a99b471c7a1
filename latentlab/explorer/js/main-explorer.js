// The explorer's bundle: the page of a tiled folder (latentlab.explorer.tiled) and the single file, which is the
// same page with its files inlined (latentlab.explorer.report). The page's API is window.latentlab (debug, ready,
// and the model's calls), which its tests and benchmarks read; its state lives in the URL hash. In a notebook's
// widget (meta.widget) it is linked to Python, and a folder's files come from the kernel.
import {$} from "./draw.js";
import {inlineFiles} from "./files.js";
import {startTiled} from "./tiledside.js";
import {startTiledModel} from "./tiledmodel.js";
import {setupTiledState} from "./tiledstate.js";
import {linkTiledWidget} from "./tiledwidget.js";
import {tiledContext} from "./tiles.js";
import {filesFromKernel} from "./widgetlink.js";

const meta = JSON.parse($("ll-meta").textContent);
if (meta.files) inlineFiles($("ll-files").textContent, meta.files);
else if (meta.widget) filesFromKernel();
const ex = tiledContext(meta, $("ll-map"));
const page = (window.latentlab = {});
const started = startTiled(ex, page).then(() => setupTiledState(ex));  // the view a link names, once drawn
page.ready = started.then(() => new Promise((r) => requestAnimationFrame(() => r(!ex.S.failed))));
page.ready.then((ok) => { document.body.dataset.ready = ok ? "1" : "0"; });
if (meta.widget) page.ready.then(() => linkTiledWidget(ex));
startTiledModel(ex, page);

// The tiled explorer's bundle (latentlab.explorer.tiled writes it into the folder's page): the page's API is
// window.latentlab (debug, ready, and the model's calls), which its tests and benchmarks read; its state lives in
// the URL hash. In a notebook's widget (meta.widget) its files come from the kernel and it is linked to Python.
import {$} from "./draw.js";
import {startTiled} from "./tiledside.js";
import {startTiledModel} from "./tiledmodel.js";
import {setupTiledState} from "./tiledstate.js";
import {linkTiledWidget} from "./tiledwidget.js";
import {tiledContext} from "./tiles.js";
import {filesFromKernel} from "./widgetlink.js";

const meta = JSON.parse($("ll-meta").textContent);
if (meta.widget) filesFromKernel();
const ex = tiledContext(meta, $("ll-map"));
const page = (window.latentlab = {});
const started = startTiled(ex, page).then(() => setupTiledState(ex));  // the view a link names, once drawn
page.ready = started.then(() => new Promise((r) => requestAnimationFrame(() => r(!ex.S.failed))));
page.ready.then((ok) => { document.body.dataset.ready = ok ? "1" : "0"; });
if (meta.widget) page.ready.then(() => linkTiledWidget(ex));
startTiledModel(ex, page);

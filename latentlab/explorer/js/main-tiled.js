// The tiled explorer's bundle (latentlab.explorer.tiled writes it into the folder's page): the page's API is
// window.latentlab (debug, ready, and the model's calls), which its tests and benchmarks read; its state lives in
// the URL hash.
import {$} from "./draw.js";
import {startTiled} from "./tiledside.js";
import {startTiledModel} from "./tiledmodel.js";
import {setupTiledState} from "./tiledstate.js";
import {tiledContext} from "./tiles.js";

const ex = tiledContext(JSON.parse($("ll-meta").textContent), $("ll-map"));
const page = (window.latentlab = {});
const started = startTiled(ex, page).then(() => setupTiledState(ex));  // the view a link names, once drawn
page.ready = started.then(() => new Promise((r) => requestAnimationFrame(() => r(!ex.S.failed))));
page.ready.then((ok) => { document.body.dataset.ready = ok ? "1" : "0"; });
startTiledModel(ex, page);

// The tiled explorer's bundle (latentlab.explorer.tiled writes it into the folder's page): the page's API is
// window.latentlab (debug, ready, and the model's calls), which its tests and benchmarks read.
import {$} from "./draw.js";
import {startTiled} from "./tiledside.js";
import {startTiledModel} from "./tiledmodel.js";
import {tiledContext} from "./tiles.js";

const ex = tiledContext(JSON.parse($("ll-meta").textContent), $("ll-map"));
const page = (window.latentlab = {});
startTiled(ex, page);
startTiledModel(ex, page);

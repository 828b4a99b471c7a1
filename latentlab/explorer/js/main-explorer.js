// The single-file explorer's bundle (latentlab.explorer.report inlines it): the page's API is window.latentlab,
// which the page's tests, benchmarks and bokeh's callbacks read; the modules share nothing else. In a notebook's
// widget (meta.widget) the page is linked to Python as well.
import {$} from "./draw.js";
import {startExplorer} from "./explorer.js";
import {linkExplorerWidget} from "./explorerwidget.js";
import {startInpage} from "./inpage.js";

const meta = JSON.parse($("ll-meta").textContent);
const page = (window.latentlab = {});
page.explorer = startExplorer(meta, page);
startInpage(meta, page, page.explorer);
if (meta.widget) page.explorer.then(linkExplorerWidget);

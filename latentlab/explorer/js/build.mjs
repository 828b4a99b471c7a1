// Bundle the explorer's ES modules into the scripts the pages carry (latentlab/explorer/assets):
//   explorer.bundle.js   the explorer's page: the tiled folder's (latentlab.explorer.tiled) and the single file's
//                        (latentlab.explorer.report), the same page with its files inlined
//   sketchrnn.worker.js  the model's Web Workers, in either page that carries a model
//   widget.bundle.js     the notebook widget's module (latentlab.pl.explorer; an ES module, as anywidget loads it)
// `node build.mjs [OUTDIR]` (default ../assets); the same sources give the same bytes.
import * as esbuild from "esbuild";
import path from "node:path";
import {fileURLToPath} from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, "../assets"));
const BUNDLES = {"main-explorer.js": "explorer.bundle.js", "sketchrnn.js": "sketchrnn.worker.js",
                 "widget-host.js": "widget.bundle.js"};
const ESM = new Set(["widget-host.js"]);

for (const [entry, name] of Object.entries(BUNDLES)) {
  await esbuild.build({
    entryPoints: [path.join(here, entry)], outfile: path.join(out, name), bundle: true,
    format: ESM.has(entry) ? "esm" : "iife",
    absWorkingDir: here, target: "es2022", charset: "utf8", legalComments: "none", logLevel: "warning",
    banner: {js: `// latentlab's explorer: ${name}, bundled by esbuild from latentlab/explorer/js/${entry} (make js); ` +
                 "edit the modules, not this file."},
  });
}

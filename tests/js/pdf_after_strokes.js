// Runs a sketch-rnn JSON model in the real @magenta/sketch client (Node, model fetched over loopback HTTP):
// feeds stroke-5 rows (pixel units, start token first) and prints the next-stroke PDF as JSON.
// usage: node pdf_after_strokes.js MODEL_URL STROKES_JSON_FILE
const fs = require('fs');
const ms = require('@magenta/sketch');

async function main() {
  const [url, strokesFile] = process.argv.slice(2);
  const model = new ms.SketchRNN(url);
  await model.initialize();
  model.setPixelFactor(1.0);
  const header = await (await fetch(url)).json();
  let state = model.zeroState();
  if (header[0].initial_state) {
    state = {c: new Float32Array(header[0].initial_state.c), h: new Float32Array(header[0].initial_state.h)};
  }
  const strokes = JSON.parse(fs.readFileSync(strokesFile, 'utf8'));
  state = model.updateStrokes(strokes, state);
  const pdf = model.getPDF(state, 1.0);  // temperature 1: the raw mixture parameters
  const n = pdf.pi.length;
  const out = {};
  for (const k of ['pi', 'muX', 'muY', 'sigmaX', 'sigmaY', 'corr', 'pen']) {
    out[k] = Array.from(pdf[k]).slice(0, k === 'pen' ? 3 : n);
  }
  const sample = model.sample(model.getPDF(state, 0.5));
  out.sample = sample;
  console.log(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });

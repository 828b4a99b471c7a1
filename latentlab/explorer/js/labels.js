// Labels on the map (latentlab.explorer.maplabels): each category of the colour column named at the heart of its
// points, with the sketch found there beside the name, largest category first; a label that would cover one
// already placed is left out. Both explorers draw them on their overlay canvas.
import {drawLines} from "./draw.js";
import {overlaps} from "./hittest.js";

const THUMB = 26, PAD = 3, FONT = "600 12px system-ui, -apple-system, sans-serif";

// where `labels` go on a width x height map: place(label) gives its screen position (or null: not shown),
// textWidth(text) its name's width in px. Returns {label, x, y, box} each, in drawing order.
export function placeLabels(labels, place, textWidth, width, height) {
  const placed = [];
  for (const label of labels) {
    const at = place(label);
    if (!at) continue;
    const [x, y] = at;
    const box = [x - THUMB / 2 - PAD, y - THUMB / 2 - PAD, x + THUMB / 2 + 3 * PAD + textWidth(label.text),
                 y + THUMB / 2 + PAD];
    if (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height) continue;  // whole, inside the map
    if (placed.some((p) => overlaps(p.box, box))) continue;
    placed.push({label, x, y, box});
  }
  return placed;
}

// Draw `labels` (the manifest's list for one column) on the 2-D context `c` of a width x height map, each in
// its category's colour(code). Returns what was drawn: {text, code, x, y, box} each.
export function drawLabels(c, labels, place, color, width, height) {
  c.save();
  c.font = FONT;
  c.textBaseline = "middle";
  const placed = placeLabels(labels, place, (text) => c.measureText(text).width, width, height);
  for (const {label, x, y, box} of placed) {
    c.fillStyle = "rgba(255,255,255,0.92)";
    c.strokeStyle = color(label.code) || "#666";
    c.lineWidth = 2;
    c.beginPath();
    c.roundRect(box[0], box[1], box[2] - box[0], box[3] - box[1], 5);
    c.fill();
    c.stroke();
    drawLines(c, label.thumb, x, y, THUMB, "#222", 1);
    c.fillStyle = "#111";
    c.fillText(label.text, x + THUMB / 2 + 2 * PAD, y);
  }
  c.restore();
  return placed.map(({label, x, y, box}) => ({text: label.text, code: label.code, x, y, box}));
}

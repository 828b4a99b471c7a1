// Labels on the map (latentlab.explorer.maplabels): each category of the colour column named at the heart of its
// points, with the sketch found there beside the name, largest category first; a label that would cover one
// already placed is left out. Both explorers draw them on their overlay canvas.
(function () {
  "use strict";
  const L = (window.latentlab = window.latentlab || {});
  const THUMB = 26, PAD = 3, FONT = "600 12px system-ui, -apple-system, sans-serif";

  const overlaps = (a, b) => !(a[2] < b[0] || a[0] > b[2] || a[3] < b[1] || a[1] > b[3]);

  // Draw `labels` (the manifest's list for one column) on the 2-D context `c` of a width x height map:
  // place(label) gives its screen position (or null: not shown), color(code) its category's colour.
  // Returns what was drawn: {text, code, x, y, box} each.
  function drawLabels(c, labels, place, color, width, height) {
    const placed = [];
    c.save();
    c.font = FONT;
    c.textBaseline = "middle";
    for (const label of labels) {
      const at = place(label);
      if (!at) continue;
      const [x, y] = at, textWidth = c.measureText(label.text).width;
      const box = [x - THUMB / 2 - PAD, y - THUMB / 2 - PAD, x + THUMB / 2 + 2 * PAD + textWidth + PAD,
                   y + THUMB / 2 + PAD];
      if (box[2] < 0 || box[0] > width || box[3] < 0 || box[1] > height) continue;
      if (placed.some((p) => overlaps(p.box, box))) continue;
      c.fillStyle = "rgba(255,255,255,0.92)";
      c.strokeStyle = color(label.code) || "#666";
      c.lineWidth = 2;
      c.beginPath();
      c.roundRect(box[0], box[1], box[2] - box[0], box[3] - box[1], 5);
      c.fill();
      c.stroke();
      L.draw.drawLines(c, label.thumb, x, y, THUMB, "#222", 1);
      c.fillStyle = "#111";
      c.fillText(label.text, x + THUMB / 2 + 2 * PAD, y);
      placed.push({text: label.text, code: label.code, x, y, box});
    }
    c.restore();
    return placed;
  }

  L.labels = {drawLabels};
})();

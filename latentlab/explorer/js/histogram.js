// A numeric column's histogram, as the range filter shows it: its bars.

// bars of `counts` filling a canvas `height` px high (its css width): bar j coloured color(j) (a css colour),
// `below` px kept under the bars (for the range's numbers)
export function paintHistogram(canvas, counts, color, {height = 34, below = 0} = {}) {
  const w = canvas.clientWidth || 200, ratio = window.devicePixelRatio || 1, peak = Math.max(...counts, 1);
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(height * ratio);
  const c = canvas.getContext("2d"), bw = w / counts.length;
  c.scale(ratio, ratio);
  counts.forEach((v, j) => {
    const bh = Math.max(v ? 1 : 0, v / peak * (height - below - 2));
    c.fillStyle = color(j);
    c.fillRect(j * bw, height - below - bh, bw - 1, bh);
  });
  return c;
}

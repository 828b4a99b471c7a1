// Histograms of a numeric column, as both explorers' range filters show them: bins, percentiles and the bars.

// counts of `values` (finite ones) in `bins` equal bins over [lo, hi]; the top edge falls in the last bin
export function binCounts(values, bins, lo, hi) {
  const counts = new Uint32Array(bins), width = (hi - lo) || 1;
  for (const v of values) {
    if (Number.isFinite(v)) counts[Math.max(0, Math.min(bins - 1, Math.floor((v - lo) / width * bins)))]++;
  }
  return counts;
}

// the finite values sorted ascending (a Float32Array)
export function sortedFinite(values) {
  return Float32Array.from(values).filter(Number.isFinite).sort();
}

// the q-quantile of ascending `sorted` (the value at floor(q * (n - 1))), or `otherwise` when it is empty
export function quantile(sorted, q, otherwise = 0) {
  return sorted.length ? sorted[Math.floor(q * (sorted.length - 1))] : otherwise;
}

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

// Nearest stored sketches by cosine on int8 mu: the in-page search of a drawing.

// the cosine top k of `query` over rows `mu` (n x zSize, with each row's norm in `norms`) that keep(i) lets
// through (all when keep is null): [{i, sim}], nearest first, ties by row order
export function cosineTop(query, k, n, zSize, mu, norms, keep = null) {
  const qn = Math.hypot(...query) || 1, best = [];
  for (let i = 0; i < n; i++) {
    if (keep && !keep(i)) continue;
    let s = 0;
    for (let d = 0; d < zSize; d++) s += query[d] * mu[i * zSize + d];
    const sim = s / (qn * (norms[i] || 1));
    if (best.length < k || sim > best[best.length - 1].sim) {
      best.push({i, sim});
      best.sort((a, b) => b.sim - a.sim || a.i - b.i);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

// int8 rows (q, per-dimension scale) dequantised once, with each row's norm for the cosine: {mu, norms}
export function dequantise(q, scale, n, zSize) {
  const mu = new Float32Array(n * zSize), norms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < zSize; d++) {
      const v = q[i * zSize + d] * scale[d];
      mu[i * zSize + d] = v;
      s += v * v;
    }
    norms[i] = Math.sqrt(s);
  }
  return {mu, norms};
}

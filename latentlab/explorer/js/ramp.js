// viridis for numeric columns (the map, its colour bar and the histograms).

// viridis by five stops; ramp(t) interpolates between them
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

// "#rrggbb" -> [r, g, b]
export function hexRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [v >> 16, (v >> 8) & 255, v & 255];
}

// t in [0, 1] (clamped) -> viridis [r, g, b]
export function ramp(t) {
  const x = Math.max(0, Math.min(1, t)) * 4, k = Math.min(3, Math.floor(x)), f = x - k;
  return VIRIDIS[k].map((c, d) => Math.round(c + f * (VIRIDIS[k + 1][d] - c)));
}

// [r, g, b] -> "rgb(r,g,b)"
export const rgbCss = ([r, g, b]) => `rgb(${r},${g},${b})`;

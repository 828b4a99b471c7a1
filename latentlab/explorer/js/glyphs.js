// Which sketches to draw on a map: every point in view when few are, else one representative per dense region.

export const ZOOMED_IN = 120;  // at most this many points in view: each is drawn
const CELL_PX = 120, MAX_GLYPHS = 24, SMALL = 34, LARGE = 60;

// the point of a cell's `members` ([i, sx, sy]) nearest their centre of mass
function representative(members) {
  let mx = 0, my = 0;
  for (const p of members) { mx += p[1]; my += p[2]; }
  mx /= members.length; my /= members.length;
  let best = members[0], bestD = Infinity;
  for (const p of members) {
    const d = (p[1] - mx) ** 2 + (p[2] - my) ** 2;
    if (d < bestD) { best = p; bestD = d; }
  }
  return best;
}

// points in view [i, sx, sy] on a map `width` px wide -> [i, sx, sy, size] of the sketches to draw: all of them
// (small) when zoomed in, else the representative of each of the densest cells of CELL_PX (large), densest first
export function chooseGlyphs(points, width) {
  if (points.length <= ZOOMED_IN) return points.map(([i, sx, sy]) => [i, sx, sy, SMALL]);
  const cols = Math.ceil(width / CELL_PX), cells = new Map();
  for (const p of points) {
    const key = Math.floor(p[2] / CELL_PX) * cols + Math.floor(p[1] / CELL_PX);
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(p);
  }
  const floor = Math.max(3, points.length * 0.004);
  return [...cells.values()].filter((c) => c.length >= floor).sort((a, b) => b.length - a.length)
    .slice(0, MAX_GLYPHS).map((c) => [...representative(c), LARGE]);
}

// whether a sketch [i, sx, sy, size] would cover any of the screen positions `marked` ([x, y]), with a margin
export function covers([, sx, sy, size], marked, margin = 8) {
  return marked.some(([mx, my]) => Math.abs(mx - sx) < size / 2 + margin && Math.abs(my - sy) < size / 2 + margin);
}

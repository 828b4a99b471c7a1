// What is under the pointer or inside a selection: polygons, boxes and sketches drawn on a map.

// whether (x, y) is inside the polygon [[x, y], ...] (even-odd rule)
export function insidePolygon(poly, x, y) {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i], [xj, yj] = poly[j];
    if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

// a box [x0, y0, x1, y1] (corners in any order) as the polygon of its corners
export function boxPolygon([x0, y0, x1, y1]) {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
}

// the box from a drag's start to (x, y): [left, top, right, bottom]
export function dragBox([sx, sy], x, y) {
  return [Math.min(sx, x), Math.min(sy, y), Math.max(sx, x), Math.max(sy, y)];
}

// whether boxes [x0, y0, x1, y1] overlap (touching counts)
export function overlaps(a, b) {
  return !(a[2] < b[0] || a[0] > b[2] || a[3] < b[1] || a[1] > b[3]);
}

// the sketch drawn at [i, x, y, size] (centre and side) under (sx, sy): the last drawn (on top) wins, else -1
export function glyphAt(glyphs, sx, sy) {
  let found = -1;
  for (const [i, gx, gy, size] of glyphs) {
    if (Math.abs(sx - gx) <= size / 2 && Math.abs(sy - gy) <= size / 2) found = i;
  }
  return found;
}

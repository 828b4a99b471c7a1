// A click on a category in the page's list: which categories are shown next. A plain click shows that one
// alone (again, when it is the only one shown: all of them); with Ctrl, Cmd or Shift it joins or leaves those
// shown, so several show together.

// the categories shown after a click on category j (`shown`: a Set of indices, or null for all of `count`);
// null again when all are shown
export function clickCategory(shown, j, count, together) {
  if (!together) return shown && shown.size === 1 && shown.has(j) ? null : new Set([j]);
  const next = shown ? new Set(shown) : new Set(Array.from({length: count}, (_, i) => i));
  if (next.has(j)) next.delete(j); else next.add(j);
  return next.size === count ? null : next;
}

// whether a click event asks for several categories together
export const together = (e) => e.ctrlKey || e.metaKey || e.shiftKey;

// The category list beside the map: each category's swatch, name and count, largest first, those
// the search box leaves out not listed; a click shows one alone, Ctrl-click shows or hides one beside others
// (categories.js). With a filter in force the shown categories are marked "on" and the others "off".
import {clickCategory, together} from "./categories.js";
import {$, el} from "./draw.js";

// list categories `order` (indices into `names`) in #ll-classes: count(j) and colour(j) for each, `shown` (a Set,
// or null: all), `query` (the search text); onChange(shown) after a click, with the categories shown next
export function categoryList({names, order, count, colour, shown, query, onChange}) {
  const list = $("ll-classes"), q = query.trim().toLowerCase();
  list.replaceChildren();
  for (const j of order) {
    if (q && !names[j].toLowerCase().includes(q)) continue;
    const li = el("li", shown ? (shown.has(j) ? "on" : "off") : ""), sw = el("span", "sw");
    sw.style.background = colour(j);
    li.append(sw, el("span", "name", names[j]), el("span", "count", count(j).toLocaleString("en")));
    li.title = `${names[j]}: click to show it alone, Ctrl-click to show or hide it beside others`;
    li.addEventListener("click", (e) => onChange(clickCategory(shown, j, names.length, together(e))));
    list.append(li);
  }
  return list;
}

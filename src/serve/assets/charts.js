// Small SVG charts for the page: stacked areas and lines over the weeks (or,
// for a run of several years, over the years), with a dashed overlay for the
// previous run. The x axis spans the whole run from the start, so the chart
// fills from left to right as weeks (years) arrive.

(() => {
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 560;
const HEIGHT = 280;
const MARGIN = { left: 62, right: 16, top: 14, bottom: 40 };

function element(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function niceStep(max) {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

function format(value, step) {
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  // In the page's language, as the tables beside the charts (5.000 and 0,2 in Dutch).
  const dutch = window.carenet?.i18n?.language() === "nl";
  return value.toLocaleString(dutch ? "nl-NL" : "en-GB", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

// Weeks between labels of the x axis: 5 or 10 in a run of up to two years (as
// always), whole years beyond, at most about ten labels.
function weekStep(weeks) {
  if (weeks <= 30) return 5;
  if (weeks <= 104) return 10;
  return 52 * Math.ceil(weeks / 52 / 10);
}

/**
 * Draws into `svg`:
 *   weeks   number of points of the x axis (reported weeks, or years)
 *   stacked [{label, color, values}] stacked areas, bottom first
 *   lines   [{label, color, values, dash}] lines on top
 *   yLabel, xLabel  axis titles
 *   yMax    fixed top of the y axis (optional)
 *   xTick   {every, label(i)}: which points get a label and its text (optional;
 *           by default reported weeks from 0)
 */
function drawChart(svg, { weeks, stacked = [], lines = [], yLabel, xLabel, yMax, xTick }) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("role", "img");
  // A picture without a name is read out as "image": the figure's caption names it.
  const caption = svg.closest("figure")?.querySelector("figcaption");
  if (caption) {
    caption.id ||= `${svg.closest("figure").id}-caption`;
    svg.setAttribute("aria-labelledby", caption.id);
  }
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const tops = [];
  let running = [];
  for (const series of stacked) {
    running = series.values.map((v, i) => (running[i] ?? 0) + (v ?? 0));
    tops.push(running);
  }
  const all = [...tops.flat(), ...lines.flatMap((l) => l.values)].filter((v) => v != null);
  const max = yMax ?? Math.max(1e-9, ...all) * 1.12;
  const step = niceStep(max);
  const top = yMax ?? Math.ceil(max / step) * step;
  const yTicks = [];
  for (let v = 0; v <= top + 1e-9; v += step) yTicks.push([v, format(v, step)]);
  // Room for the longest label of the y axis beside the axis title (hours in a
  // year run to six digits; a week's fit the usual margin).
  const longest = Math.max(...yTicks.map(([, text]) => text.length));
  const left = Math.max(MARGIN.left, 24 + 6.5 * longest);
  const plotW = WIDTH - left - MARGIN.right;
  const span = Math.max(1, weeks - 1);
  const x = (week) => left + (week / span) * plotW;
  const y = (value) => MARGIN.top + plotH - (value / top) * plotH;

  const grid = element("g", { class: "grid" }, svg);
  for (const [v, text] of yTicks) {
    element("line", { x1: left, x2: left + plotW, y1: y(v), y2: y(v) }, grid);
    const label = element("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, grid);
    label.textContent = text;
  }
  const ticks = xTick ?? { every: weekStep(weeks), label: String };
  for (let w = 0; w < weeks; w += ticks.every) {
    const label = element("text", { x: x(w), y: MARGIN.top + plotH + 16, "text-anchor": "middle" }, grid);
    label.textContent = ticks.label(w);
  }
  const xTitle = element("text", { x: left + plotW / 2, y: HEIGHT - 6, "text-anchor": "middle", class: "axis-title" }, svg);
  xTitle.textContent = xLabel;
  const yTitle = element("text", { x: 14, y: MARGIN.top + plotH / 2, "text-anchor": "middle", class: "axis-title", transform: `rotate(-90 14 ${MARGIN.top + plotH / 2})` }, svg);
  yTitle.textContent = yLabel;

  // Top band first, so each lower band paints over the one above it.
  for (let s = stacked.length - 1; s >= 0; s -= 1) {
    const values = tops[s];
    if (values.length === 0) continue;
    const upper = values.map((v, i) => `${x(i)},${y(v)}`);
    const path = `M${x(0)},${y(0)} L${upper.join(" L")} L${x(values.length - 1)},${y(0)} Z`;
    element("path", { d: path, fill: stacked[s].color, "fill-opacity": 0.85, stroke: stacked[s].color }, svg);
  }
  for (const line of lines) {
    const points = line.values
      .map((v, i) => (v == null ? null : `${x(i)},${y(v)}`))
      .filter(Boolean);
    if (points.length === 0) continue;
    element("polyline", {
      points: points.join(" "),
      fill: "none",
      stroke: line.color,
      "stroke-width": line.dash ? 2 : 2.2,
      "stroke-dasharray": line.dash ? "6 4" : "none",
    }, svg);
  }
  element("line", { x1: left, x2: left, y1: MARGIN.top, y2: MARGIN.top + plotH, class: "axis" }, svg);
  element("line", { x1: left, x2: left + plotW, y1: y(0), y2: y(0), class: "axis" }, svg);
}

/** A legend of coloured keys as HTML, stacked series top first. */
function legend(container, entries) {
  container.replaceChildren();
  for (const { label, color, dash } of entries) {
    const item = document.createElement("span");
    item.className = "key";
    const swatch = element("svg", { width: 22, height: 12, "aria-hidden": "true" });
    if (dash) {
      element("line", { x1: 1, x2: 21, y1: 6, y2: 6, stroke: color, "stroke-width": 2, "stroke-dasharray": "5 3" }, swatch);
    } else {
      element("rect", { x: 4, y: 0, width: 14, height: 12, fill: color }, swatch);
    }
    item.append(swatch, document.createTextNode(label));
    container.appendChild(item);
  }
}

window.carenet = window.carenet ?? {};
window.carenet.charts = { element, drawChart, legend };
})();

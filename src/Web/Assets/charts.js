// SVG line charts: axes with tick marks and labels, a title, axis labels, gaps at missing values,
// one colour per series and a legend naming each. Built with createElementNS only.
"use strict";

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
const DAY_MS = 86400000;

// 1, 2, 2.5 or 5 times a power of ten; integer axes (steps) skip 2.5 and never go below 1.
function niceStep(rough, integers) {
  if (integers && rough <= 1) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 && !(integers && power === 1) ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

function numberTicks(min, max, count, integers) {
  if (min === max) { min -= 1; max += 1; }
  const step = niceStep((max - min) / count, integers);
  const start = Math.ceil(min / step - 1e-9) * step;
  const ticks = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { ticks, step };
}

function dateTicks(min, max, count) {
  const spanDays = Math.max(1, (max - min) / DAY_MS);
  const steps = [1, 2, 5, 7, 14, 30, 61, 91, 182, 365, 730];
  const stepDays = steps.find(s => spanDays / s <= count) || steps[steps.length - 1];
  const step = stepDays * DAY_MS;
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max; v += step) ticks.push(v);
  if (ticks.length === 0) ticks.push(min);
  return { ticks, step };
}

function tickLabel(value, kind, step) {
  if (kind === "date") return new Date(value).toISOString().slice(0, 10);
  if (kind === "step") return String(Math.round(value));
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(1);
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step)) + (niceStep(step) / Math.pow(10, Math.floor(Math.log10(step))) === 2.5 ? 1 : 0)));
  return value.toFixed(decimals);
}

// options: { title, series: [{ name, points: [{ x, y }] }], xKind: "step" | "number" | "date", xLabel, yLabel, width, height }
// y may be null or a non-finite number (a gap). Returns the <figure> holding the chart.
function lineChart(options) {
  const width = options.width || 600;
  const plotHeight = options.height || 260;
  const margin = { top: 34, right: 20, bottom: 48, left: 72 };
  const series = options.series.map((s, i) => ({
    ...s,
    color: PALETTE[i % PALETTE.length],
    points: s.points.filter(p => Number.isFinite(p.x)),
  }));
  const all = series.flatMap(s => s.points);
  const finiteY = all.map(p => p.y).filter(y => typeof y === "number" && Number.isFinite(y));

  // Legend rows below the x axis label: each item is a swatch and the series name.
  const legendItems = series.map(s => ({ name: s.name, color: s.color, width: 28 + Math.min(40, s.name.length) * 7 }));
  const legendRows = [];
  let row = [], used = 0;
  for (const item of legendItems) {
    if (row.length && used + item.width > width - margin.left) { legendRows.push(row); row = []; used = 0; }
    row.push(item); used += item.width + 12;
  }
  if (row.length) legendRows.push(row);
  const legendHeight = legendRows.length * 20 + 6;
  const height = margin.top + plotHeight + margin.bottom + legendHeight;
  const innerW = width - margin.left - margin.right;

  const root = svg("svg", {
    class: "chart", width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": options.title || "chart", "data-series": series.length,
  });
  root.appendChild(svg("title", null, options.title || "chart"));
  root.appendChild(svg("text", { x: margin.left, y: 20, class: "chart-title" }, options.title || ""));

  if (finiteY.length === 0) {
    root.appendChild(svg("text", { x: margin.left + innerW / 2, y: margin.top + plotHeight / 2, class: "chart-empty", "text-anchor": "middle" }, "no finite values to plot"));
    return el("figure", { class: "chart-box", "data-chart": options.title || "" }, root);
  }

  let xMin = Math.min(...all.map(p => p.x)), xMax = Math.max(...all.map(p => p.x));
  let yMin = Math.min(...finiteY), yMax = Math.max(...finiteY);
  if (xMin === xMax) { xMin -= 1; xMax += 1; }
  if (yMin === yMax) { const pad = Math.abs(yMin) * 0.1 || 1; yMin -= pad; yMax += pad; }
  const yPad = (yMax - yMin) * 0.05;
  yMin -= yPad; yMax += yPad;
  const xs = v => margin.left + (v - xMin) / (xMax - xMin) * innerW;
  const ys = v => margin.top + plotHeight - (v - yMin) / (yMax - yMin) * plotHeight;

  const axes = svg("g", { class: "axes" });
  const yt = numberTicks(yMin, yMax, 6);
  for (const t of yt.ticks) {
    if (t < yMin || t > yMax) continue;
    axes.appendChild(svg("line", { x1: margin.left, x2: margin.left + innerW, y1: ys(t), y2: ys(t), class: t === 0 ? "grid zero" : "grid" }));
    axes.appendChild(svg("text", { x: margin.left - 8, y: ys(t) + 4, "text-anchor": "end", class: "tick y-tick" }, tickLabel(t, "number", yt.step)));
  }
  const xKind = options.xKind || "number";
  const xt = xKind === "date" ? dateTicks(xMin, xMax, 7) : numberTicks(xMin, xMax, 8, xKind === "step");
  for (const t of xt.ticks) {
    if (t < xMin || t > xMax) continue;
    axes.appendChild(svg("line", { x1: xs(t), x2: xs(t), y1: margin.top + plotHeight, y2: margin.top + plotHeight + 5, class: "tick-mark" }));
    axes.appendChild(svg("text", { x: xs(t), y: margin.top + plotHeight + 19, "text-anchor": "middle", class: "tick x-tick" }, tickLabel(t, xKind, xt.step)));
  }
  axes.appendChild(svg("line", { x1: margin.left, x2: margin.left + innerW, y1: margin.top + plotHeight, y2: margin.top + plotHeight, class: "axis" }));
  axes.appendChild(svg("line", { x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + plotHeight, class: "axis" }));
  if (options.xLabel) axes.appendChild(svg("text", { x: margin.left + innerW / 2, y: margin.top + plotHeight + 38, "text-anchor": "middle", class: "axis-label" }, options.xLabel));
  if (options.yLabel) axes.appendChild(svg("text", { x: 14, y: margin.top + plotHeight / 2, "text-anchor": "middle", class: "axis-label", transform: `rotate(-90 14 ${margin.top + plotHeight / 2})` }, options.yLabel));
  root.appendChild(axes);

  const plot = svg("g", { class: "plot" });
  for (const s of series) {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    let d = "", pen = false, count = 0;
    for (const p of sorted) {
      if (typeof p.y !== "number" || !Number.isFinite(p.y)) { pen = false; continue; }
      d += (pen ? "L" : "M") + xs(p.x).toFixed(1) + " " + ys(p.y).toFixed(1) + " ";
      pen = true; count++;
    }
    plot.appendChild(svg("path", { d: d.trim(), stroke: s.color, class: "series-line", "data-name": s.name, "data-points": count }));
    if (sorted.length <= 40) {
      for (const p of sorted) {
        if (typeof p.y !== "number" || !Number.isFinite(p.y)) continue;
        const label = `${s.name}: ${xKind === "date" ? tickLabel(p.x, "date") : p.x} → ${formatNumber(p.y)}`;
        plot.appendChild(svg("circle", { cx: xs(p.x).toFixed(1), cy: ys(p.y).toFixed(1), r: 3, fill: s.color, class: "point" }, svg("title", null, label)));
      }
    }
  }
  root.appendChild(plot);

  const legend = svg("g", { class: "legend" });
  let y = margin.top + plotHeight + margin.bottom + 10;
  for (const items of legendRows) {
    let x = margin.left;
    for (const item of items) {
      legend.appendChild(svg("rect", { x, y: y - 9, width: 18, height: 4, fill: item.color }));
      const text = item.name.length > 40 ? item.name.slice(0, 39) + "…" : item.name;
      legend.appendChild(svg("text", { x: x + 24, y: y - 3, class: "legend-label" }, text));
      x += item.width + 12;
    }
    y += 20;
  }
  root.appendChild(legend);
  return el("figure", { class: "chart-box", "data-chart": options.title || "" }, root);
}

// Daily series from the API (dates as "YYYY-MM-DD", values with null gaps) as chart points.
function datePoints(dates, values) {
  return dates.map((d, i) => ({ x: Date.parse(d.length === 10 ? d + "T00:00:00Z" : d + "Z"), y: values[i] }));
}

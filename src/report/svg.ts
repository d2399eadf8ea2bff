// Inline SVG charts drawn from numbers (pure): line, scatter, bar and histogram charts with axes and a legend.
// Each returns one <svg role="img"> with a <title>; the caller puts the same numbers in a table beside it.
import { coord, esc, num } from "./escape.js";

export type Point = readonly [number, number];
export interface Series {
  name: string;
  points: readonly Point[];
}

export const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
export const colour = (i: number) => PALETTE[i % PALETTE.length]!;

const W = 560;
const H = 340;
const PAD = { left: 64, right: 16, top: 30, bottom: 46 };

type Scale = (v: number) => number;

// A linear map from a domain to pixels; a domain of one value is widened so it still has a middle.
export function scale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let [d0, d1] = domain;
  if (!(d1 > d0)) [d0, d1] = [d0 - 0.5, d0 + 0.5];
  const [r0, r1] = range;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

// The lowest and highest finite value, or [0, 1] when there is none.
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

// An SVG path through the points; a non-finite point breaks the line (the next finite one starts a new segment).
export function pathOf(points: readonly Point[], x: Scale, y: Scale): string {
  const parts: string[] = [];
  let pen = "M";
  for (const [px, py] of points) {
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      pen = "M";
      continue;
    }
    parts.push(`${pen}${coord(x(px))} ${coord(y(py))}`);
    pen = "L";
  }
  return parts.join(" ");
}

// About `count` round tick values covering [lo, hi].
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

interface Frame {
  x: Scale;
  y: Scale;
  xDomain: [number, number];
  yDomain: [number, number];
}

function frameOf(xDomain: [number, number], yDomain: [number, number]): Frame {
  return { x: scale(xDomain, [PAD.left, W - PAD.right]), y: scale(yDomain, [H - PAD.bottom, PAD.top]), xDomain, yDomain };
}

// The axes, grid lines, tick labels and axis titles of a frame.
function axes(f: Frame, xLabel: string, yLabel: string, xTicks?: readonly number[]): string {
  const out: string[] = [];
  for (const t of xTicks ?? ticks(...f.xDomain)) {
    const px = coord(f.x(t));
    out.push(`<line class="grid" x1="${px}" x2="${px}" y1="${PAD.top}" y2="${H - PAD.bottom}"/>`);
    out.push(`<text class="tick" x="${px}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(num(t, 3))}</text>`);
  }
  for (const t of ticks(...f.yDomain)) {
    const py = coord(f.y(t));
    out.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${py}" y2="${py}"/>`);
    out.push(`<text class="tick" x="${PAD.left - 6}" y="${py}" dy="4" text-anchor="end">${esc(num(t, 3))}</text>`);
  }
  out.push(`<rect class="plot" x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}"/>`);
  out.push(`<text class="axis" x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text class="axis" transform="translate(14 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return out.join("");
}

// One legend entry per series name along the top.
function legend(names: readonly string[]): string {
  if (names.length < 2) return "";
  let x = PAD.left;
  return names
    .map((name, i) => {
      const label = name.length > 24 ? `${name.slice(0, 23)}…` : name;
      const item = `<g class="legend"><rect x="${x}" y="8" width="10" height="10" fill="${colour(i)}"/><text x="${x + 14}" y="17">${esc(label)}</text></g>`;
      x += 24 + label.length * 7;
      return item;
    })
    .join("");
}

function svg(title: string, body: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}

export interface LineChartOptions {
  title: string;
  series: readonly Series[];
  xLabel: string;
  yLabel: string;
  xDomain?: [number, number];
  yDomain?: [number, number];
  diagonal?: boolean; // the y = x line (ROC chance, perfect calibration)
  markers?: boolean;
  notes?: readonly { at: Point; text: string }[]; // labels beside points (aliases on the history chart)
  xTicks?: readonly number[]; // where the x axis is labelled, when round numbers would not do (versions)
}

// Lines through each series' points.
export function lineChart(o: LineChartOptions): string {
  const all = o.series.flatMap((s) => s.points);
  const f = frameOf(o.xDomain ?? extent(all.map((p) => p[0])), o.yDomain ?? extent(all.map((p) => p[1])));
  const body = [axes(f, o.xLabel, o.yLabel, o.xTicks), legend(o.series.map((s) => s.name))];
  if (o.diagonal) body.push(`<path class="diagonal" d="${pathOf([[f.xDomain[0], f.yDomain[0]], [f.xDomain[1], f.yDomain[1]]], f.x, f.y)}"/>`);
  o.series.forEach((s, i) => {
    const d = pathOf(s.points, f.x, f.y);
    if (d) body.push(`<path class="line" d="${d}" stroke="${colour(i)}"/>`);
    if (o.markers) for (const [px, py] of s.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) body.push(`<circle cx="${coord(f.x(px))}" cy="${coord(f.y(py))}" r="3.5" fill="${colour(i)}"/>`);
  });
  for (const n of o.notes ?? []) {
    if (!Number.isFinite(n.at[0]) || !Number.isFinite(n.at[1])) continue;
    body.push(`<text class="note" x="${coord(f.x(n.at[0]))}" y="${coord(f.y(n.at[1]) - 9)}" text-anchor="middle">${esc(n.text)}</text>`);
  }
  return svg(o.title, body.join(""));
}

// Dots at each series' points.
export function scatterChart(o: Omit<LineChartOptions, "markers" | "notes" | "xTicks">): string {
  const all = o.series.flatMap((s) => s.points);
  const f = frameOf(o.xDomain ?? extent(all.map((p) => p[0])), o.yDomain ?? extent(all.map((p) => p[1])));
  const body = [axes(f, o.xLabel, o.yLabel), legend(o.series.map((s) => s.name))];
  if (o.diagonal) body.push(`<path class="diagonal" d="${pathOf([[f.xDomain[0], f.xDomain[0]], [f.xDomain[1], f.xDomain[1]]], f.x, f.y)}"/>`);
  o.series.forEach((s, i) => {
    for (const [px, py] of s.points) if (Number.isFinite(px) && Number.isFinite(py)) body.push(`<circle cx="${coord(f.x(px))}" cy="${coord(f.y(py))}" r="2.5" fill="${colour(i)}" fill-opacity="0.55"/>`);
  });
  return svg(o.title, body.join(""));
}

export interface Bin {
  lower: number;
  upper: number;
  count: number;
}

// Each series' bins as bars on a shared axis, drawn see-through so overlapping classes stay visible.
export function histogramChart(o: { title: string; series: readonly { name: string; bins: readonly Bin[] }[]; xLabel: string; yLabel?: string }): string {
  const bins = o.series.flatMap((s) => s.bins).filter((b) => Number.isFinite(b.lower) && Number.isFinite(b.upper));
  const f = frameOf(extent(bins.flatMap((b) => [b.lower, b.upper])), [0, Math.max(1, ...bins.map((b) => b.count))]);
  const body = [axes(f, o.xLabel, o.yLabel ?? "rows"), legend(o.series.map((s) => s.name))];
  o.series.forEach((s, i) => {
    for (const b of s.bins) {
      if (!Number.isFinite(b.lower) || !Number.isFinite(b.upper) || !(b.count > 0)) continue;
      const x0 = f.x(b.lower);
      const y0 = f.y(b.count);
      body.push(`<rect x="${coord(x0)}" y="${coord(y0)}" width="${coord(Math.max(0.5, f.x(b.upper) - x0))}" height="${coord(f.y(0) - y0)}" fill="${colour(i)}" fill-opacity="${o.series.length > 1 ? 0.45 : 0.8}"/>`);
    }
  });
  return svg(o.title, body.join(""));
}

// Horizontal bars from a zero line (negative values to the left), one row per label, top to bottom.
export function barChart(o: { title: string; bars: readonly { label: string; value: number }[]; valueLabel: string }): string {
  const rowH = 18;
  const left = 220;
  const width = W;
  const height = PAD.top + PAD.bottom + Math.max(1, o.bars.length) * rowH;
  const values = o.bars.map((b) => b.value).filter(Number.isFinite);
  const x = scale([Math.min(0, ...values), Math.max(0, ...values, values.length ? 0 : 1)], [left, width - PAD.right - 50]);
  const body: string[] = [];
  const zero = coord(x(0));
  o.bars.forEach((b, i) => {
    const y = PAD.top + i * rowH;
    const label = b.label.length > 32 ? `${b.label.slice(0, 31)}…` : b.label;
    body.push(`<text class="tick" x="${left - 6}" y="${y + 13}" text-anchor="end">${esc(label)}</text>`);
    if (!Number.isFinite(b.value)) return;
    const x0 = Math.min(x(0), x(b.value));
    const w = Math.max(0.5, Math.abs(x(b.value) - x(0)));
    body.push(`<rect x="${coord(x0)}" y="${y + 3}" width="${coord(w)}" height="${rowH - 6}" fill="${b.value < 0 ? PALETTE[1] : PALETTE[0]}"/>`);
    body.push(`<text class="tick" x="${coord(x0 + w + 4)}" y="${y + 13}">${esc(num(b.value, 3))}</text>`);
  });
  body.push(`<line class="zero" x1="${zero}" x2="${zero}" y1="${PAD.top}" y2="${height - PAD.bottom}"/>`);
  body.push(`<text class="axis" x="${(left + width) / 2}" y="${height - 14}" text-anchor="middle">${esc(o.valueLabel)}</text>`);
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(o.title)}"><title>${esc(o.title)}</title>${body.join("")}</svg>`;
}

// The status page's script (plain JS, inline; the page's Content-Security-Policy allows exactly this text by its hash):
// every second it reads /status.json and /status/series and redraws the tables and three SVG charts.

export const STATUS_SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const ms = (x) => (x === null ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(1));
const cell = (text, cls) => { const td = document.createElement("td"); td.textContent = String(text); if (cls) td.className = cls; return td; };
const row = (cells) => { const tr = document.createElement("tr"); cells.forEach((c) => tr.appendChild(c)); return tr; };
const SVG = "http://www.w3.org/2000/svg";
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
const OTHER = "#6b7280";
const W = 420, H = 200, L = 40, R = 12, T = 10, B = 24;
const PCT = [["p50", "", 3], ["p95", "6 3", 4], ["p99", "2 3", 5]]; // [name, dash, index in a point]
const svg = (name, attrs, parent) => {
  const e = document.createElementNS(SVG, name);
  for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  if (parent) parent.appendChild(e);
  return e;
};
// A round step (1, 2 or 5 times a power of ten) and how many of them cover \`v\` in at most 5 grid lines.
const scale = (v) => {
  if (!(v > 0)) return { step: 0.25, n: 4 };
  const rough = v / 4;
  const p = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= rough * 0.9999);
  return { step, n: Math.max(1, Math.ceil(v / step - 1e-9)) };
};
const fmt = (v) => (v === null || v === undefined ? "–" : v >= 100 ? v.toFixed(0) : String(+v.toPrecision(3)));
const swatch = (color, dash) => {
  const s = svg("svg", { width: 22, height: 10, "aria-hidden": "true", class: "swatch" });
  svg("line", { x1: 1, x2: 21, y1: 5, y2: 5, stroke: color, "stroke-width": 2.5, "stroke-dasharray": dash || "none" }, s);
  const td = document.createElement("td");
  td.appendChild(s);
  return td;
};

// One chart: axes, grid and a line (with a dot at each second that had traffic) per entry of \`lines\`.
function draw(el, from, to, lines) {
  el.replaceChildren();
  el.setAttribute("viewBox", "0 0 " + W + " " + H);
  let top = 0;
  for (const l of lines) for (const p of l.points) top = Math.max(top, p[1]);
  const { step, n } = scale(top);
  const max = step * n;
  const x = (t) => L + ((t - from) / (to - from)) * (W - L - R);
  const y = (v) => T + (1 - v / max) * (H - T - B);
  for (let i = 0; i <= n; i++) {
    const v = step * i;
    svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: i === 0 ? "axis" : "grid" }, el);
    svg("text", { x: L - 6, y: y(v) + 3.5, "text-anchor": "end", class: "tick" }, el).textContent = fmt(v);
  }
  const span = to - from;
  const every = span <= 60 ? 15 : 60;
  for (let s = 0; s <= span; s += every) {
    svg("text", { x: x(to - s), y: H - 6, "text-anchor": s === 0 ? "end" : s === span ? "start" : "middle", class: "tick" }, el).textContent = s === 0 ? "now" : "−" + s + " s";
  }
  if (!lines.some((l) => l.points.length)) {
    svg("text", { x: (L + W - R) / 2, y: (T + H - B) / 2, "text-anchor": "middle", class: "empty" }, el).textContent = "no traffic yet";
    return;
  }
  for (const l of lines) {
    let seg = [];
    let prev = null;
    const flush = () => {
      if (seg.length > 1) svg("polyline", { points: seg.join(" "), fill: "none", stroke: l.color, "stroke-width": 1.8, "stroke-dasharray": l.dash || "none", "stroke-linejoin": "round" }, el);
      seg = [];
    };
    for (const [t, v] of l.points) {
      if (prev !== null && t - prev > 1) flush();
      seg.push(x(t).toFixed(1) + "," + y(v).toFixed(1));
      prev = t;
    }
    flush();
    for (const [t, v, real] of l.points) if (real !== false) svg("circle", { cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.2, fill: l.color, class: "pt" }, el);
  }
}

// Per second from the series' first second to \`to\`: the point's value, or 0 (not drawn as a dot) without traffic.
function perSecond(points, index, from, to) {
  const at = new Map(points.map((p) => [p[0], p[index]]));
  const out = [];
  const first = points.length ? Math.max(from, points[0][0]) : to + 1;
  for (let t = first; t <= to; t++) out.push(at.has(t) ? [t, at.get(t), true] : [t, 0, false]);
  return out;
}

function charts(doc) {
  const to = doc.now - 1;
  const since = doc.since ?? to;
  const span = Math.min(doc.windowSeconds, Math.max(60, Math.ceil((to - since + 1) / 60) * 60));
  const from = to - span;
  $("chart-window").textContent = "(per second, the last " + (span >= 120 ? span / 60 + " minutes" : span + " s") + ")";
  const colorOf = (s, i) => (s.version === null ? OTHER : COLORS[i % COLORS.length]);
  const label = (s) => (s.version === null ? "other routes" : s.key);
  const series = doc.series.map((s, i) => ({ ...s, color: colorOf(s, i), label: label(s) }));
  draw($("chart-rate"), from, to, series.map((s) => ({ color: s.color, points: perSecond(s.points, 1, from, to) })));
  draw($("chart-errors"), from, to, series.map((s) => ({ color: s.color, points: perSecond(s.points, 2, from, to) })));
  draw($("chart-latency"), from, to, series.flatMap((s) => PCT.map(([, dash, i]) => ({ color: s.color, dash, points: s.points.filter((p) => p[i] !== null && p[0] >= from).map((p) => [p[0], p[i]]) }))));
  // The totals drawn, for tests and scrapers of the page: requests and errors in the charts' window.
  const total = (i) => series.reduce((sum, s) => sum + s.points.reduce((t, p) => t + (p[0] > from ? p[i] : 0), 0), 0);
  $("chart-rate").dataset.total = String(total(1));
  $("chart-errors").dataset.total = String(total(2));
  const n = (x) => cell(fmt(x), "n");
  $("table-rate").replaceChildren(...series.map((s) => row([swatch(s.color), cell(s.label), n(s.latest.ratePerSecond), n(s.latest.requests)])));
  $("table-errors").replaceChildren(...series.map((s) => row([swatch(s.color), cell(s.label), n(s.latest.errorsPerSecond), n(s.latest.errors)])));
  $("table-latency").replaceChildren(...series.map((s) => row([swatch(s.color), cell(s.label), n(s.latest.p50Ms), n(s.latest.p95Ms), n(s.latest.p99Ms)])));
  for (const id of ["table-rate", "table-errors", "table-latency"]) if (!series.length) $(id).replaceChildren(row([cell(""), cell("no traffic yet", "muted"), cell(""), cell("")]));
}

$("auth").addEventListener("submit", (e) => { e.preventDefault(); sessionStorage.setItem("mlship-token", $("token").value.trim()); refresh(); });
async function refresh() {
  const token = sessionStorage.getItem("mlship-token");
  const get = (path) => fetch(path, { headers: token ? { authorization: "Bearer " + token } : {} });
  try {
    const [res, seriesRes] = await Promise.all([get("status.json"), get("status/series")]);
    if (res.status === 401) { $("auth").hidden = false; $("error").textContent = "401: enter the server's token"; return; }
    if (!res.ok) throw new Error("status.json answered " + res.status);
    if (!seriesRes.ok) throw new Error("status/series answered " + seriesRes.status);
    const s = await res.json();
    $("auth").hidden = true;
    $("error").textContent = "";
    $("server").textContent = s.server.name + " " + s.server.version + " · up " + s.server.uptimeSeconds + " s · " + s.server.workers + " worker" + (s.server.workers === 1 ? "" : "s");
    $("models").replaceChildren(...s.models.map((m) => {
      const tr = row([cell(m.ref), cell(m.model), cell(m.alias ?? "(pinned)"), cell(m.version === null ? "loading" : m.versions.length > 1 ? m.versions.join(", ") : m.version), cell(m.ready ? "yes" : "no"), cell(m.requests, "n"), cell(m.errors, "n"), cell(m.loadedAt ?? "–")]);
      tr.dataset.ref = m.ref;
      return tr;
    }));
    const t = s.traffic;
    $("requests").textContent = t.requests;
    $("errors").textContent = t.errors;
    $("rate").textContent = t.ratePerSecond;
    $("p50").textContent = ms(t.latencyMs.p50);
    $("p90").textContent = ms(t.latencyMs.p90);
    $("p99").textContent = ms(t.latencyMs.p99);
    $("window").textContent = "(rate over the last " + t.windowSeconds + " s; latencies of the last " + t.latencyMs.samples + " requests)";
    $("workers").replaceChildren(...s.workers.map((w) => row([cell(w.worker), cell(w.pid), cell(w.requests, "n"), cell(w.versions.join(", "))])));
    charts(await seriesRes.json());
  } catch (err) {
    $("error").textContent = "cannot reach the server: " + err.message;
  }
}
refresh();
setInterval(refresh, 1000);
`;

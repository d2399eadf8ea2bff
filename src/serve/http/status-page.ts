// The status page at `/`: one self-contained HTML file (no external assets) that polls /status.json and
// /status/series every second and draws live charts as inline SVG; a strict Content-Security-Policy allows
// only its own inline style and script (by hash) and requests to its own origin.
import { createHash } from "node:crypto";
import { STATUS_SCRIPT } from "./status-page-script.js";

const STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; padding: 0 2rem; max-width: 1600px; color: #1f2937; }
  h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
  h2 { font-size: 1rem; margin: 1.6rem 0 .5rem; }
  h3 { font-size: .9rem; margin: 0 0 .3rem; font-weight: 600; }
  .muted { color: #6b7280; font-weight: normal; }
  table { border-collapse: collapse; }
  th, td { text-align: left; padding: .25rem .9rem .25rem 0; border-bottom: 1px solid #e5e7eb; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  .figures { display: flex; gap: 2rem; flex-wrap: wrap; }
  .figure b { display: block; font-size: 1.4rem; font-variant-numeric: tabular-nums; }
  #error { color: #b91c1c; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1.2rem; }
  figure { margin: 0; padding: .8rem; border: 1px solid #e5e7eb; border-radius: 6px; }
  figure svg.chart { width: 100%; height: auto; display: block; }
  figure table { font-size: 12px; margin-top: .4rem; }
  figure td, figure th { padding: .1rem .7rem .1rem 0; }
  .swatch { vertical-align: middle; }
  .grid { stroke: #eef0f3; }
  .axis { stroke: #9ca3af; }
  .tick { font-size: 11px; fill: #6b7280; }
  .empty { font-size: 13px; fill: #9ca3af; }
`;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

// Sent with the page: nothing loads but the page's own style and script, which talk only to this server.
export const STATUS_PAGE_HEADERS = {
  "content-security-policy": `default-src 'none'; script-src ${sha256(STATUS_SCRIPT)}; style-src ${sha256(STYLE)}; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

// A chart: its caption, the SVG and, as its text alternative, a table of the latest figures per version.
const chart = (id: string, title: string, unit: string, columns: string[]) => `
<figure aria-labelledby="caption-${id}">
  <h3 id="caption-${id}">${title} <span class="muted">(${unit})</span></h3>
  <svg class="chart" id="chart-${id}" viewBox="0 0 420 200" role="img" aria-labelledby="caption-${id}" aria-describedby="alt-${id}"></svg>
  <table id="alt-${id}" aria-label="${title}: the last 10 seconds per model version">
    <thead><tr><th></th><th>version</th>${columns.map((c) => `<th class="n">${c}</th>`).join("")}</tr></thead>
    <tbody id="table-${id}"></tbody>
  </table>
</figure>`;

export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mlship serve</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>mlship serve</h1>
<div class="muted" id="server">loading…</div>
<div id="error" role="alert"></div>
<form id="auth" hidden>
  <label>This server needs a token: <input id="token" type="password" autocomplete="off"></label>
  <button>Use</button>
</form>
<h2>Models</h2>
<table>
  <thead><tr><th>reference</th><th>model</th><th>alias</th><th>version</th><th>ready</th><th class="n">requests</th><th class="n">errors</th><th>loaded</th></tr></thead>
  <tbody id="models"></tbody>
</table>
<h2>Traffic <span class="muted" id="window"></span></h2>
<div class="figures">
  <div class="figure"><b id="requests">–</b>requests</div>
  <div class="figure"><b id="errors">–</b>errors</div>
  <div class="figure"><b id="rate">–</b>requests/s</div>
  <div class="figure"><b id="p50">–</b>p50 ms</div>
  <div class="figure"><b id="p90">–</b>p90 ms</div>
  <div class="figure"><b id="p99">–</b>p99 ms</div>
</div>
<h2>Per model version <span class="muted" id="chart-window"></span></h2>
<div class="charts">
${chart("rate", "Requests", "per second", ["req/s", "requests"])}
${chart("latency", "Latency", "ms; p50 solid, p95 dashed, p99 dotted", ["p50", "p95", "p99"])}
${chart("errors", "Errors", "4xx and 5xx per second", ["errors/s", "errors"])}
</div>
<h2>Workers</h2>
<table>
  <thead><tr><th>worker</th><th>pid</th><th class="n">requests</th><th>versions</th></tr></thead>
  <tbody id="workers"></tbody>
</table>
<p class="muted">Prometheus metrics: <a href="metrics">/metrics</a>. This page refreshes every second from <a href="status.json">/status.json</a> and <a href="status/series">/status/series</a>; the tables under the charts are their figures over the last 10 seconds.</p>
<script>${STATUS_SCRIPT}</script>
</body>
</html>
`;

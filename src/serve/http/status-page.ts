// The status page at `/`: one self-contained HTML file (no external assets) that polls /status.json every second.

export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mlship serve</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
  h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
  h2 { font-size: 1rem; margin: 1.5rem 0 .4rem; }
  .muted { color: #666; }
  table { border-collapse: collapse; }
  th, td { text-align: left; padding: .25rem .9rem .25rem 0; border-bottom: 1px solid #ddd; }
  td.n, th.n { text-align: right; }
  .figures { display: flex; gap: 2rem; flex-wrap: wrap; }
  .figure b { display: block; font-size: 1.4rem; }
  #error { color: #a00; }
</style>
</head>
<body>
<h1>mlship serve</h1>
<div class="muted" id="server">loading…</div>
<div id="error"></div>
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
<h2>Workers</h2>
<table>
  <thead><tr><th>worker</th><th>pid</th><th class="n">requests</th><th>versions</th></tr></thead>
  <tbody id="workers"></tbody>
</table>
<p class="muted">Prometheus metrics: <a href="metrics">/metrics</a>. This page refreshes every second from <a href="status.json">/status.json</a>.</p>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const ms = (x) => (x === null ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(1));
const cell = (text, cls) => { const td = document.createElement("td"); td.textContent = String(text); if (cls) td.className = cls; return td; };
const row = (cells) => { const tr = document.createElement("tr"); cells.forEach((c) => tr.appendChild(c)); return tr; };
$("auth").addEventListener("submit", (e) => { e.preventDefault(); sessionStorage.setItem("mlship-token", $("token").value.trim()); refresh(); });
async function refresh() {
  const token = sessionStorage.getItem("mlship-token");
  try {
    const res = await fetch("status.json", { headers: token ? { authorization: "Bearer " + token } : {} });
    if (res.status === 401) { $("auth").hidden = false; $("error").textContent = "401: enter the server's token"; return; }
    if (!res.ok) throw new Error("status.json answered " + res.status);
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
  } catch (err) {
    $("error").textContent = "cannot reach the server: " + err.message;
  }
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;

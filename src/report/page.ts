// The report as one self-contained HTML page (pure): inline CSS and SVG, no script, nothing fetched
// (the Content-Security-Policy forbids it), every string from the store escaped.
import { calibrationSection, clustersSection, confusionSection, curvesSection, featuresSection, histogramSection, residualSection, weightsSection } from "./charts.js";
import type { ReportData } from "./data.js";
import { esc, num } from "./escape.js";
import { facts, figure, section, table } from "./html.js";
import { lineChart } from "./svg.js";

const CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; }
body { max-width: 1180px; margin: 0 auto; padding: 24px; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; margin-top: 32px; }
.sub { color: #4b5563; margin: 0 0 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #dbeafe; color: #1e3a8a; font-size: .85rem; margin-right: 4px; }
.badge.bad { background: #fee2e2; color: #7f1d1d; } .badge.ok { background: #dcfce7; color: #14532d; }
.missing { background: #fef9c3; border: 1px solid #fde047; padding: 8px 12px; border-radius: 6px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; } .facts dt { color: #4b5563; } .facts dd { margin: 0; }
.metrics { display: flex; flex-wrap: wrap; gap: 12px; }
.metric { border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.metric .name { color: #4b5563; font-size: .85rem; } .metric .value { font-size: 1.4rem; font-variant-numeric: tabular-nums; }
.metric .parent { color: #6b7280; font-size: .8rem; }
.pair { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 8px 0; } figcaption { color: #4b5563; font-size: .85rem; max-width: 560px; }
svg.chart { max-width: 100%; height: auto; background: #fff; font-size: 11px; }
svg .grid { stroke: #f3f4f6; } svg .plot { fill: none; stroke: #9ca3af; } svg .tick { fill: #374151; } svg .axis { fill: #111827; font-size: 12px; }
svg .line { fill: none; stroke-width: 2; } svg .diagonal { stroke: #9ca3af; stroke-dasharray: 4 4; fill: none; } svg .zero { stroke: #374151; }
svg .note { fill: #111827; font-weight: 600; } svg .legend text { fill: #111827; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; font-size: .9rem; }
caption { text-align: left; color: #4b5563; padding-bottom: 4px; }
th, td { border: 1px solid #e5e7eb; padding: 3px 8px; text-align: right; } th { background: #f9fafb; } td:first-child, th[scope=row] { text-align: left; }
table.confusion td { min-width: 56px; text-align: center; } table.confusion td.total { background: #f9fafb; }
details summary { cursor: pointer; color: #1d4ed8; font-size: .85rem; }
pre { background: #f9fafb; border: 1px solid #e5e7eb; padding: 8px; overflow-x: auto; font-size: .8rem; }
footer { margin-top: 40px; color: #6b7280; font-size: .8rem; }
`;

// The page's title line, badges and the one-line summary.
function header(d: ReportData): string {
  const badges = [
    ...d.aliases.map((a) => `<span class="badge">${esc(a)}</span>`),
    d.status === "deleted" ? `<span class="badge bad">deleted</span>` : "",
    `<span class="badge ${d.parity.passed ? "ok" : "bad"}">parity ${d.parity.passed ? "passed" : "FAILED"}</span>`,
  ].join("");
  return `<header><h1>${esc(d.model)}@${d.version} ${badges}</h1><p class="sub">${esc(d.algorithm)} · ${esc(d.task.replace(/_/g, " "))} · created ${esc(d.createdAt)}${d.sparkVersion ? ` · Spark ${esc(d.sparkVersion)}` : ""}</p></header>`;
}

// The validation metrics (with the parent's beside them for an update) and the parity certificate.
function metricsSection(d: ReportData): string {
  const cards = Object.entries(d.metrics).map(([name, value]) => {
    const parent = d.parent?.onSameSlice?.[name] ?? d.parent?.metrics?.[name];
    const beside = parent === undefined ? "" : `<div class="parent">parent @${d.parent!.version}: ${esc(num(parent))}</div>`;
    return `<div class="metric" data-metric="${esc(name)}"><div class="name">${esc(name)}</div><div class="value">${esc(num(value))}</div>${beside}</div>`;
  });
  const p = d.parity;
  const parity = facts([
    ["parity", `${p.passed ? "passed" : "FAILED"}: the TypeScript scorer against Spark on ${p.rows} rows`],
    ["max |Δ|", `${esc(p.maxAbsDiff.toExponential(2))} (tolerance ${esc(num(p.tolerance))})`],
    ["label mismatches", String(p.labelMismatches)],
  ]);
  const parentNote = d.parent?.onSameSlice ? `<p class="sub">“parent” is the parent scored on this version's validation slice of the new data (update mode ${esc(d.parent.mode ?? "")}).</p>` : "";
  return section("metrics", "Validation metrics", `<div class="metrics">${cards.join("") || "<p>none recorded</p>"}</div>${parentNote}${parity}`);
}

// Where the version came from: run, spec, data, git, parent, the effective spec.
function lineageSection(d: ReportData): string {
  const l = d.lineage;
  const rows: [string, string][] = [
    ["run", `${esc(l.runId)} (job ${esc(l.job)})`],
    ["spec", `${esc(l.specFile)} <small>sha256 ${esc(l.specSha256.slice(0, 12))}</small>${l.profile ? ` profile ${esc(l.profile)}` : ""}`],
    ...(l.overrides?.length ? [["overrides", esc(l.overrides.map((o) => `--set ${o}`).join(" "))] as [string, string]] : []),
    ["data", `${esc(l.data.train)} (${esc(l.data.format)})`],
    ...(l.inputFiles ? [["input files", `${l.inputFiles.length}`] as [string, string]] : []),
    ...(l.watermark ? [["watermark", `${esc(l.watermark.column)} = ${esc(JSON.stringify(l.watermark.value))}`] as [string, string]] : []),
    ["git", l.gitCommit ? `${esc(l.gitCommit)}${l.gitDirty ? " (uncommitted changes)" : ""}` : "not in a git repository"],
    ["parent", d.parent ? `${esc(d.model)}@${d.parent.version}${d.parent.mode ? ` (update mode ${esc(d.parent.mode)})` : ""}` : "none (trained from scratch)"],
  ];
  let body = facts(rows);
  if (d.parent?.metrics) {
    const names = [...new Set([...Object.keys(d.metrics), ...Object.keys(d.parent.metrics)])];
    body += table(`This version beside its parent @${d.parent.version}`, ["metric", `@${d.version}`, `parent @${d.parent.version} (its own validation)`, ...(d.parent.onSameSlice ? ["parent on this version's slice"] : [])],
      names.map((n) => [n, d.metrics[n] ?? null, d.parent!.metrics![n] ?? null, ...(d.parent!.onSameSlice ? [d.parent!.onSameSlice[n] ?? null] : [])]));
  }
  if (d.spec) body += `<details><summary>The effective spec (profile, --set and variables applied; secrets redacted)</summary><pre>${esc(JSON.stringify(d.spec, null, 2))}</pre></details>`;
  if (d.params) body += `<details><summary>The fitted ${esc(d.params.stage)}'s parameters</summary><pre>${esc(JSON.stringify(d.params.params, null, 2))}</pre></details>`;
  return section("lineage", "Lineage", body);
}

// The key metric of every live version of the model, with aliases marked and this version highlighted.
function historySection(d: ReportData): string {
  if (!d.keyMetric || d.history.length === 0) return "";
  const points = d.history.map((h) => [h.version, h.value ?? NaN] as const);
  const chart = lineChart({
    title: `${d.keyMetric} across the versions of ${d.model}`,
    series: [{ name: d.keyMetric, points }],
    xLabel: "version",
    yLabel: d.keyMetric,
    xDomain: [Math.min(...d.history.map((h) => h.version)) - 0.5, Math.max(...d.history.map((h) => h.version)) + 0.5],
    markers: true,
    xTicks: versionTicks(d.history.map((h) => h.version)),
    notes: d.history.filter((h) => h.aliases.length || h.version === d.version).map((h) => ({ at: [h.version, h.value ?? NaN] as const, text: [h.version === d.version ? "this" : "", ...h.aliases].filter(Boolean).join(", ") })),
  });
  const data = table(`${d.keyMetric} per version`, ["version", d.keyMetric, "aliases", "parent", "created"], d.history.map((h) => [h.version, h.value, h.aliases.join(", ") || "", h.parentVersion ?? "", h.createdAt]));
  return section("history", "Version history", figure("history", chart, data, d.history.length === 1 ? "The only version so far." : ""));
}

// Whole version numbers for the history chart's axis: every one, or about ten evenly spread.
export function versionTicks(versions: readonly number[]): number[] {
  if (versions.length <= 12) return [...versions];
  const step = Math.ceil(versions.length / 10);
  return versions.filter((_, i) => i % step === 0 || i === versions.length - 1);
}

// The whole page.
export function renderReport(d: ReportData): string {
  const e = d.evaluation;
  const missing = d.missing.length ? `<div class="missing" role="note"><strong>Not in this report:</strong><ul>${d.missing.map((m) => `<li>${esc(m)}</li>`).join("")}</ul></div>` : "";
  const body = [
    header(d),
    missing,
    metricsSection(d),
    curvesSection(e.curves),
    confusionSection(e.confusion),
    calibrationSection(e.calibration),
    histogramSection(e.score_histogram),
    residualSection(e),
    clustersSection(e.clusters),
    weightsSection(e.weights),
    historySection(d),
    lineageSection(d),
    featuresSection(e.features),
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.model)}@${d.version} · mlship report</title>
<style>${CSS}</style></head>
<body>
${body}
<footer>mlship report of ${esc(d.model)}@${d.version}: every number comes from the version record and its evaluation files (model/evaluation/*.arrow, computed by Spark on the validation split).</footer>
</body></html>
`;
}

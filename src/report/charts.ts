// The report's evaluation sections (pure): curves, confusion matrix, calibration, histograms, residuals, clusters,
// weights and training-data summaries, each from its evaluation file's rows; empty when the file is absent.
import { esc, num } from "./escape.js";
import type { Evaluation, EvaluationRow } from "./evaluation.js";
import { figure, section, table } from "./html.js";
import { barChart, histogramChart, lineChart, scatterChart, type Point } from "./svg.js";

export const TOP_WEIGHTS = 20;
const MAX_CLASS_CHARTS = 8; // one-vs-rest curves drawn; the table lists every class

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
const byClass = <R extends { class: string | null }>(rows: readonly R[]): Map<string, R[]> => {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const k = r.class ?? "";
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(r);
  }
  return out;
};

// ROC and precision-recall curves, one line per class (one-vs-rest), with the points as a table.
export function curvesSection(rows: readonly EvaluationRow<"curves">[] | undefined): string {
  if (!rows?.length) return "";
  const classes = [...byClass(rows)].slice(0, MAX_CLASS_CHARTS);
  const named = classes.length > 1;
  const roc = lineChart({
    title: "ROC curve",
    series: classes.map(([c, rs]) => ({ name: named ? c : `class ${c}`, points: rs.map((r) => [r.fpr ?? NaN, r.tpr ?? NaN] as Point) })),
    xLabel: "false positive rate",
    yLabel: "true positive rate",
    xDomain: [0, 1],
    yDomain: [0, 1],
    diagonal: true,
  });
  const pr = lineChart({
    title: "Precision-recall curve",
    series: classes.map(([c, rs]) => ({ name: named ? c : `class ${c}`, points: rs.map((r) => [r.recall ?? NaN, r.precision ?? NaN] as Point) })),
    xLabel: "recall",
    yLabel: "precision",
    xDomain: [0, 1],
    yDomain: [0, 1],
  });
  const data = table(
    "Curve points: the rows scoring at least the threshold are predicted positive",
    ["class", "threshold", "false positive rate", "true positive rate", "precision", "recall"],
    rows.map((r) => [r.class, r.threshold, r.fpr, r.tpr, r.precision, r.recall]),
  );
  const note = named ? "One-vs-rest: each class against all the others, scored by its probability." : `Positive class: ${esc(classes[0]?.[0] ?? "")}.`;
  return section("curves", "ROC and precision-recall", `<div class="pair">${figure("roc", roc, data, note)}${figure("pr", pr, data)}</div>`);
}

// The confusion matrix as a table shaded by each cell's share of its actual class.
export function confusionSection(rows: readonly EvaluationRow<"confusion">[] | undefined): string {
  if (!rows?.length) return "";
  const labels = [...new Set(rows.flatMap((r) => [r.actual ?? "", r.predicted ?? ""]))];
  const count = new Map(rows.map((r) => [`${r.actual}\u0000${r.predicted}`, r.count ?? 0]));
  const head = labels.map((l) => `<th scope="col">${esc(l)}</th>`).join("");
  const body = labels
    .map((a) => {
      const total = labels.reduce((s, p) => s + (count.get(`${a}\u0000${p}`) ?? 0), 0);
      const cells = labels.map((p) => {
        const n = count.get(`${a}\u0000${p}`) ?? 0;
        const share = total ? n / total : 0;
        const tone = a === p ? "37,99,235" : "220,38,38";
        return `<td style="background: rgba(${tone},${(0.08 + 0.72 * share).toFixed(2)})" title="${esc(`${num(share * 100, 3)}% of actual ${a}`)}">${n}</td>`;
      });
      return `<tr><th scope="row">${esc(a)}</th>${cells.join("")}<td class="total">${total}</td></tr>`;
    })
    .join("");
  const matrix = `<table class="confusion" data-chart="confusion"><caption>Validation rows by actual class (rows) and predicted class (columns); shading: the share of the row</caption><thead><tr><th scope="col">actual \\ predicted</th>${head}<th scope="col">total</th></tr></thead><tbody>${body}</tbody></table>`;
  return section("confusion", "Confusion matrix", matrix);
}

// Calibration: the observed share of positives against the mean predicted probability per bin.
export function calibrationSection(rows: readonly EvaluationRow<"calibration">[] | undefined): string {
  if (!rows?.length) return "";
  const classes = [...byClass(rows)].slice(0, MAX_CLASS_CHARTS);
  const chart = lineChart({
    title: "Calibration",
    series: classes.map(([c, rs]) => ({ name: c, points: rs.filter((r) => (r.count ?? 0) > 0).map((r) => [r.meanPredicted ?? NaN, r.observed ?? NaN] as Point) })),
    xLabel: "mean predicted probability",
    yLabel: "observed share of the class",
    xDomain: [0, 1],
    yDomain: [0, 1],
    diagonal: true,
    markers: true,
  });
  const data = table("Calibration bins", ["class", "bin", "from", "to", "mean predicted", "observed", "rows"], rows.map((r) => [r.class, r.bin, r.lower, r.upper, r.meanPredicted, r.observed, r.count]));
  return section("calibration", "Calibration", figure("calibration", chart, data, "On the diagonal, a predicted probability means what it says."));
}

// Score histograms: for each scored class, its score's distribution over the rows of each actual class.
export function histogramSection(rows: readonly EvaluationRow<"score_histogram">[] | undefined): string {
  if (!rows?.length) return "";
  const figures = [...byClass(rows)].slice(0, MAX_CLASS_CHARTS).map(([c, rs]) => {
    const actual = new Map<string, EvaluationRow<"score_histogram">[]>();
    for (const r of rs) {
      const k = r.actual ?? "";
      if (!actual.has(k)) actual.set(k, []);
      actual.get(k)!.push(r);
    }
    const chart = histogramChart({
      title: `Scores of class ${c} by actual class`,
      series: [...actual].map(([a, bins]) => ({ name: `actual ${a}`, bins: bins.map((b) => ({ lower: b.lower ?? NaN, upper: b.upper ?? NaN, count: b.count ?? 0 })) })),
      xLabel: `score of class ${c}`,
    });
    const data = table(`Score histogram of class ${c}`, ["actual", "from", "to", "rows"], rs.map((r) => [r.actual, r.lower, r.upper, r.count]));
    return figure(`score-histogram`, chart, data);
  });
  return section("score-histograms", "Score histograms", `<div class="pair">${figures.join("")}</div>`);
}

// Regression: the residual summary, the residual histogram and predicted against actual.
export function residualSection(ev: Evaluation): string {
  const summary = ev.residual_summary?.[0];
  const hist = ev.residual_histogram;
  const sample = ev.predicted_actual;
  if (!summary && !hist?.length && !sample?.length) return "";
  const parts: string[] = [];
  if (summary) {
    parts.push(table("Residuals (actual − predicted) on the validation rows", ["rows", "mean", "std", "min", "q1", "median", "q3", "max"], [[summary.count, summary.mean, summary.std, summary.min, summary.q1, summary.median, summary.q3, summary.max]]));
  }
  const charts: string[] = [];
  if (hist?.length) {
    const chart = histogramChart({ title: "Residual histogram", series: [{ name: "residuals", bins: hist.map((b) => ({ lower: b.lower ?? NaN, upper: b.upper ?? NaN, count: b.count ?? 0 })) }], xLabel: "actual − predicted" });
    charts.push(figure("residual-histogram", chart, table("Residual histogram", ["from", "to", "rows"], hist.map((b) => [b.lower, b.upper, b.count]))));
  }
  if (sample?.length) {
    const points = sample.map((s) => [s.actual ?? NaN, s.predicted ?? NaN] as Point);
    const [lo, hi] = [Math.min(...points.flat().filter(Number.isFinite)), Math.max(...points.flat().filter(Number.isFinite))];
    const domain: [number, number] = Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : [0, 1];
    const chart = scatterChart({ title: "Predicted against actual", series: [{ name: "rows", points }], xLabel: "actual", yLabel: "predicted", xDomain: domain, yDomain: domain, diagonal: true });
    charts.push(figure("predicted-actual", chart, table(`A sample of ${sample.length} validation rows`, ["actual", "predicted"], sample.map((s) => [s.actual, s.predicted]))));
  }
  return section("residuals", "Residuals", parts.join("") + `<div class="pair">${charts.join("")}</div>`);
}

// Clustering: rows per cluster and each cluster's mean silhouette.
export function clustersSection(rows: readonly EvaluationRow<"clusters">[] | undefined): string {
  if (!rows?.length) return "";
  const sizes = barChart({ title: "Cluster sizes", bars: rows.map((r) => ({ label: `cluster ${r.cluster}`, value: r.size ?? NaN })), valueLabel: "validation rows" });
  const silhouettes = barChart({ title: "Silhouette per cluster", bars: rows.map((r) => ({ label: `cluster ${r.cluster}`, value: r.silhouette ?? NaN })), valueLabel: "mean silhouette" });
  const data = table("Clusters", ["cluster", "rows", "mean silhouette"], rows.map((r) => [r.cluster, r.size, r.silhouette]));
  return section("clusters", "Clusters", `<div class="pair">${figure("cluster-sizes", sizes, data)}${figure("cluster-silhouettes", silhouettes, data)}</div>`);
}

// The largest weights by magnitude (coefficients or importances), per class when the model has one set per class.
export function weightsSection(rows: readonly EvaluationRow<"weights">[] | undefined): string {
  if (!rows?.length) return "";
  const centres = rows.filter((r) => r.kind === "center");
  if (centres.length) {
    const clusters = [...byClass(centres)];
    const features = [...new Set(centres.map((r) => r.feature ?? ""))];
    const value = new Map(centres.map((r) => [`${r.class}\u0000${r.feature}`, r.value]));
    return section("weights", "Cluster centres", table("Each cluster's centre in the model's feature space", ["feature", ...clusters.map(([c]) => `cluster ${c}`)], features.map((f) => [f, ...clusters.map(([c]) => value.get(`${c}\u0000${f}`) ?? null)])));
  }
  const importance = rows.some((r) => r.kind === "importance");
  const what = importance ? "Feature importances" : "Coefficients";
  const groups = [...byClass(rows)].slice(0, MAX_CLASS_CHARTS);
  const figures = groups.map(([c, rs]) => {
    const ranked = rs.filter((r) => r.kind !== "intercept" && finite(r.value)).sort((a, b) => Math.abs(b.value!) - Math.abs(a.value!));
    const top = ranked.slice(0, TOP_WEIGHTS);
    const intercept = rs.find((r) => r.kind === "intercept");
    const title = `${what}${c ? ` of class ${c}` : ""}: the ${top.length} largest by magnitude`;
    const chart = barChart({ title, bars: top.map((r) => ({ label: r.feature ?? "", value: r.value! })), valueLabel: importance ? "importance" : "coefficient (on the model's scaled features)" });
    const data = table(title, ["feature", importance ? "importance" : "coefficient"], [...top.map((r) => [r.feature, r.value] as const), ...(intercept ? [[intercept.feature, intercept.value] as const] : [])]);
    const note = `${ranked.length > top.length ? `${ranked.length - top.length} smaller ones not drawn. ` : ""}${intercept ? `Intercept ${esc(num(intercept.value))}.` : ""}`;
    return figure("weights", chart, data, note);
  });
  return section("weights", what, figures.join(""));
}

// The training data's per-feature summaries (what drift checks compare against).
export function featuresSection(rows: readonly EvaluationRow<"features">[] | undefined): string {
  if (!rows?.length) return "";
  const numeric = rows.filter((r) => r.kind === "numeric");
  const categorical = rows.filter((r) => r.kind === "categorical");
  const parts: string[] = [];
  if (numeric.length) parts.push(table("Numeric inputs", ["feature", "rows", "missing", "mean", "std", "min", "max"], numeric.map((r) => [r.feature, r.count, r.missing, r.mean, r.std, r.min, r.max])));
  if (categorical.length) parts.push(table("Categorical inputs: the most frequent levels", ["feature", "rows", "missing", "levels", "level", "rows with it"], categorical.map((r) => [r.feature, r.count, r.missing, r.levels, r.level, r.levelCount])));
  return section("training-data", "Training data", parts.join(""));
}

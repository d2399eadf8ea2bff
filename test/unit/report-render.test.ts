// The version report's renderer (src/report): escaping, SVG paths, degenerate data, the evaluation files' checks,
// and `mlship report` on a local store holding a version trained before evaluation artifacts.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { ReportData } from "../../src/report/data.js";
import { esc, num } from "../../src/report/escape.js";
import { parseEvaluationFile } from "../../src/report/evaluation.js";
import { renderReport } from "../../src/report/page.js";
import { extent, pathOf, scale, ticks } from "../../src/report/svg.js";
import { registerVersion } from "../../src/registry/index.js";
import { LocalStore } from "../../src/store/index.js";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { versionInput } from "../helpers/registry-input.js";

const EVIL = `<script>alert("x")</script>&'`;

function data(over: Partial<ReportData> = {}): ReportData {
  return {
    format: "mlship-report",
    formatVersion: 1,
    model: "churn",
    version: 2,
    algorithm: "logistic_regression",
    task: "binary_classification",
    createdAt: "2026-12-07T00:00:00Z",
    status: "live",
    aliases: ["staging"],
    tags: {},
    metrics: { areaUnderROC: 0.81, accuracy: 0.75 },
    parity: { rows: 400, maxAbsDiff: 2.2e-16, tolerance: 1e-9, labelMismatches: 0, passed: true },
    sparkVersion: "4.1.1",
    lineage: { runId: "r2", job: "churn", specFile: "jobs/quickstart.yaml", specSha256: "a".repeat(64), gitCommit: null, data: { train: "data/churn", format: "parquet" } },
    spec: null,
    params: null,
    parent: null,
    keyMetric: "areaUnderROC",
    history: [
      { version: 1, createdAt: "2026-12-06T00:00:00Z", value: 0.79, aliases: ["production"], parentVersion: null },
      { version: 2, createdAt: "2026-12-07T00:00:00Z", value: 0.81, aliases: ["staging"], parentVersion: null },
    ],
    evaluation: {
      curves: [
        { class: "1", threshold: Infinity, fpr: 0, tpr: 0, precision: 1, recall: 0 },
        { class: "1", threshold: 0.7, fpr: 0.1, tpr: 0.6, precision: 0.8, recall: 0.6 },
        { class: "1", threshold: 0.1, fpr: 1, tpr: 1, precision: 0.3, recall: 1 },
      ],
      confusion: [
        { actual: "no", predicted: "no", count: 50 },
        { actual: "no", predicted: "yes", count: 5 },
        { actual: "yes", predicted: "no", count: 10 },
        { actual: "yes", predicted: "yes", count: 35 },
      ],
      weights: [
        { class: "yes", feature: "tenure_months", kind: "coefficient", value: -1.2 },
        { class: "yes", feature: "contract=Month-to-month", kind: "coefficient", value: 0.9 },
        { class: "yes", feature: "(intercept)", kind: "intercept", value: 0.1 },
      ],
    },
    missing: [],
    ...over,
  };
}

// What a page may never contain: a script, an event handler, a URL it would fetch.
function assertInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/(src|href)=|url\(|@import|https?:/i);
}

describe("escaping and numbers", () => {
  it("escapes the five HTML characters", () => {
    expect(esc(EVIL)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
  });
  it.each([
    [null, "n/a"],
    [NaN, "n/a"],
    [Infinity, "+∞"],
    [3, "3"],
    [0.123456, "0.1235"],
    [2.2e-16, "2.2e-16"],
    [1e-9, "1e-9"],
  ])("num(%s) is %s", (v, text) => expect(num(v)).toBe(text));
});

describe("SVG geometry", () => {
  it("maps points through the scales into one path", () => {
    const x = scale([0, 1], [0, 100]);
    const y = scale([0, 1], [100, 0]);
    expect(pathOf([[0, 0], [0.5, 0.25], [1, 1]], x, y)).toBe("M0 100 L50 75 L100 0");
  });
  it("breaks the line at a non-finite point and draws nothing from none", () => {
    const s = scale([0, 10], [0, 10]);
    expect(pathOf([[1, 1], [2, NaN], [3, 3], [4, 4]], s, s)).toBe("M1 1 M3 3 L4 4");
    expect(pathOf([], s, s)).toBe("");
  });
  it("widens a one-value domain and ignores non-finite values in extents", () => {
    expect(scale([5, 5], [0, 100])(5)).toBe(50);
    expect(extent([NaN, 2, Infinity, -1])).toEqual([-1, 2]);
    expect(extent([])).toEqual([0, 1]);
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe("renderReport", () => {
  it("draws every chart with a table of its numbers, and nothing that runs or fetches", () => {
    const html = renderReport(data());
    assertInert(html);
    for (const chart of ["roc", "pr", "confusion", "weights", "history"]) expect(html).toContain(`data-chart="${chart}"`);
    expect(html.match(/<svg /g)!.length).toBe(html.match(/<details><summary>The numbers/g)!.length);
    expect(html).toContain("contract=Month-to-month");
    expect(html).toContain("<td>0.7</td><td>0.1</td><td>0.6</td>"); // the ROC point as a table row
  });

  it("escapes every string from the store: model, aliases, labels, feature names, lineage", () => {
    const d = data({ model: EVIL, aliases: [EVIL], metrics: { [EVIL]: 1 } });
    d.evaluation.confusion = [{ actual: EVIL, predicted: EVIL, count: 3 }];
    d.evaluation.weights = [{ class: EVIL, feature: EVIL, kind: "coefficient", value: 1 }];
    d.evaluation.curves = d.evaluation.curves!.map((c) => ({ ...c, class: EVIL }));
    d.lineage = { ...d.lineage, specFile: EVIL, data: { train: EVIL, format: EVIL } };
    d.history = [{ version: 2, createdAt: EVIL, value: 0.8, aliases: [EVIL], parentVersion: null }];
    d.spec = { name: EVIL };
    const html = renderReport(d);
    assertInert(html);
    expect(html).not.toContain(EVIL);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
  });

  it("a version without evaluation files, one version, a NaN metric: says what is missing, draws what it has", () => {
    const html = renderReport(data({ evaluation: {}, missing: ["the evaluation artifacts: trained before"], metrics: { rmse: NaN }, keyMetric: "rmse", history: [{ version: 2, createdAt: "t", value: null, aliases: [], parentVersion: null }] }));
    assertInert(html);
    expect(html).toContain("Not in this report");
    expect(html).not.toContain('data-chart="roc"');
    expect(html).toContain('data-chart="history"');
    expect(html).toContain("n/a");
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it("one class, empty bins and degenerate histograms render without NaN coordinates", () => {
    const d = data();
    d.evaluation.curves = [{ class: "only", threshold: Infinity, fpr: 0, tpr: 0, precision: 1, recall: 0 }];
    d.evaluation.confusion = [{ actual: "only", predicted: "only", count: 0 }];
    d.evaluation.score_histogram = [{ class: "only", actual: "only", bin: 0, lower: 0.5, upper: 0.5, count: 0 }];
    d.evaluation.calibration = [{ class: "only", bin: 0, lower: 0, upper: 0.1, meanPredicted: null, observed: null, count: 0 }];
    d.evaluation.residual_summary = [{ count: 0, mean: null, std: null, min: null, q1: null, median: null, q3: null, max: null }];
    d.evaluation.clusters = [{ cluster: 0, size: 10, silhouette: null }];
    const html = renderReport(d);
    assertInert(html);
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it("puts the parent's metrics beside an updated version's", () => {
    const html = renderReport(data({ parent: { version: 1, metrics: { areaUnderROC: 0.79 }, onSameSlice: { areaUnderROC: 0.77 }, mode: "exact" } }));
    expect(html).toContain("parent @1: 0.77");
    expect(html).toContain("This version beside its parent @1");
  });
});

describe("parseEvaluationFile", () => {
  it("reads a file with the listed columns as rows", () => {
    const bytes = tableToIPC(tableFromArrays({ cluster: Int32Array.from([0, 1]), size: Float64Array.from([3, 4]), silhouette: Float64Array.from([0.5, NaN]) }), "file");
    const parsed = parseEvaluationFile("clusters", bytes);
    expect(parsed).toEqual({ ok: true, rows: [{ cluster: 0, size: 3, silhouette: 0.5 }, { cluster: 1, size: 4, silhouette: NaN }] });
  });
  it.each([
    ["a missing column", { cluster: Int32Array.from([0]), size: Float64Array.from([3]) }, /no column "silhouette"/],
    ["text where numbers belong", { cluster: ["a"], size: Float64Array.from([3]), silhouette: Float64Array.from([1]) }, /"cluster" is .+, expected numbers/],
  ])("refuses %s", (_, columns, reason) => {
    const parsed = parseEvaluationFile("clusters", tableToIPC(tableFromArrays(columns as never), "file"));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
  it("refuses bytes that are not Arrow", () => {
    expect(parseEvaluationFile("curves", new TextEncoder().encode("not arrow")).ok).toBe(false);
  });
});

describe("mlship report on a version without evaluation artifacts", () => {
  it("writes the page with what the record has, and --json prints the data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlship-report-"));
    const store = new LocalStore(join(dir, "store"));
    const input = versionInput("churn");
    await store.put(`${input.artifacts.prefix}/MANIFEST.json`, JSON.stringify({ formatVersion: 1, files: [{ path: "metrics.json", sha256: "0".repeat(64), size: 2 }] }));
    const { sha256Hex } = await import("../../src/certify/manifest.js");
    const got = await store.get(`${input.artifacts.prefix}/MANIFEST.json`);
    await registerVersion(store, { ...input, artifacts: { ...input.artifacts, manifestSha256: sha256Hex(got.ok ? got.body : new Uint8Array()) } });
    const out = await cliInProcess(["report", "churn@1", "--store", join(dir, "store")], {}, dir);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(join(dir, "churn-v1-report.html"));
    const html = readFileSync(join(dir, "churn-v1-report.html"), "utf8");
    expect(html).toContain("trained before mlship kept them");
    expect(html).toContain('data-chart="history"');
    const json = await cliInProcess(["report", "churn@1", "--store", join(dir, "store"), "--json"], {}, dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ model: "churn", version: 1, metrics: { areaUnderROC: 0.8 }, evaluation: {}, history: [{ version: 1, value: 0.8 }] });
    expect((await cliInProcess(["report", "churn@9", "--store", join(dir, "store")], {}, dir)).code).toBe(2);
  });
});

describe("docs/report.md", () => {
  it("lists every evaluation file with the columns the report reads", async () => {
    const { EVALUATION_FILES } = await import("../../src/report/evaluation.js");
    const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "report.md"), "utf8");
    for (const [file, columns] of Object.entries(EVALUATION_FILES)) {
      const line = doc.split("\n").find((l) => l.startsWith(`| \`${file}.arrow\` |`));
      expect(line, file).toBeDefined();
      const documented = line!.split("|")[2]!;
      for (const c of Object.keys(columns)) expect(documented, `${file}: ${c}`).toContain(`\`${c}\``);
    }
  });
});

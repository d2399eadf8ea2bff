// mlship report on the quickstart model trained by real Spark (the shared quickstart store: no training of its own
// when another file already trained it for this build): the numbers equal the version record's and the Arrow files'.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/model/arrow.js";
import { openPage } from "../helpers/browser.js";
import { mlship } from "../helpers/cli.js";
import { quickstartStore } from "../helpers/quickstart-store.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-report-");
const store = join(work, "store");

// An Arrow file's rows as `--json` prints them: numbers as numbers, NaN and infinities as null (JSON has neither).
function arrowRows(file: string): Record<string, unknown>[] {
  const t = readTable(readFileSync(file));
  const names = t.schema.fields.map((f) => f.name);
  return Array.from({ length: t.numRows }, (_, i) =>
    Object.fromEntries(
      names.map((n) => {
        const v = t.getChild(n)!.get(i);
        if (v === null || v === undefined) return [n, null];
        if (typeof v === "bigint" || typeof v === "number") return [n, Number.isFinite(Number(v)) ? Number(v) : null];
        return [n, String(v)];
      }),
    ),
  );
}

describe("mlship report", () => {
  let show: any;
  let report: any;
  beforeAll(async () => {
    await quickstartStore(store);
    show = JSON.parse((await mlship(["models", "show", "churn@1", "--store", store, "--json"])).stdout);
    const r = await mlship(["report", "churn@1", "--store", store, "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    report = JSON.parse(r.stdout);
  });

  it("--json: the record's metrics and parity, and every evaluation file's rows as Spark wrote them", () => {
    expect(report).toMatchObject({ model: "churn", version: 1, algorithm: "logistic_regression", aliases: ["staging"], metrics: show.metrics, parity: show.parity, missing: [] });
    expect(report.history).toEqual([expect.objectContaining({ version: 1, value: show.metrics.areaUnderROC, aliases: ["staging"] })]);
    const folder = join(store, show.artifacts.prefix, "evaluation");
    const files = ["curves", "confusion", "calibration", "score_histogram", "weights", "features"];
    expect(Object.keys(report.evaluation).sort()).toEqual([...files].sort());
    for (const f of files) expect(report.evaluation[f], f).toEqual(arrowRows(join(folder, `${f}.arrow`)));
    // The matrix counts every validation row once; the curve ends at (1, 1).
    const rows = report.evaluation.confusion.reduce((s: number, c: { count: number }) => s + c.count, 0);
    expect(rows).toBe(JSON.parse(readFileSync(join(store, show.artifacts.prefix, "metrics.json"), "utf8")).rows.validation);
    expect(report.evaluation.curves.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
  });

  it("writes one self-contained page with each chart, and train left the same report in the run folder", async () => {
    const out = join(work, "churn.html");
    const r = await mlship(["report", "churn@staging", "--store", store, "-o", out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const html = readFileSync(out, "utf8");
    for (const chart of ["roc", "pr", "confusion", "calibration", "score-histogram", "weights", "history"]) expect(html, chart).toContain(`data-chart="${chart}"`);
    expect(html).not.toMatch(/<script|https?:|src=|href=/i);
    expect(html).toContain("contract=");
    expect(existsSync(join(store, "runs", "churn", show.lineage.runId, "report.html"))).toBe(true);
  });

  it("opens offline in headless Chromium: no console error, no request but the file, every chart drawn with data", async () => {
    const out = join(work, "churn-browser.html");
    const r = await mlship(["report", "churn@1", "--store", store, "-o", out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const browser = await openPage(`file://${out}`, { width: 1200, height: 1600 });
    try {
      const charts = await browser.page.$$eval("[data-chart]", (els) =>
        els.map((el) => ({ chart: el.getAttribute("data-chart"), marks: el.querySelectorAll("svg path, svg rect, svg circle, svg polyline, td").length })),
      );
      for (const name of ["roc", "pr", "confusion", "calibration", "score-histogram", "weights", "history"]) {
        const found = charts.filter((c) => c.chart === name);
        expect(found.length, name).toBeGreaterThan(0);
        expect(Math.max(...found.map((c) => c.marks)), name).toBeGreaterThan(1);
      }
      await browser.screenshot("report-churn");
      expect(browser.consoleErrors).toEqual([]);
      expect(browser.requests.filter((u) => u !== `file://${out}`)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

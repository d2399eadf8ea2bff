// mlship predict on a model trained by real Spark: Arrow, CSV and JSON lines give Spark's own answers.
import { describe, expect, it, beforeAll } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { mlship } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { quickstartStore } from "../helpers/quickstart-store.js";

const work = tempDir("mlship-predict-");
const store = join(work, "store");
let parityFile = "";

// Spark's predictions for the parity rows, to compare against.
function sparkAnswers(): { prediction: number[]; probability: number[][] } {
  const t = tableFromIPC(readFileSync(parityFile));
  const n = t.numRows;
  const pred = t.getChild("spark_prediction")!;
  const prob = t.getChild("spark_probability")!;
  return {
    prediction: Array.from({ length: n }, (_, i) => pred.get(i) as number),
    probability: Array.from({ length: n }, (_, i) => Array.from(prob.get(i)!.toArray() as Float64Array)),
  };
}

describe("mlship predict", () => {
  beforeAll(async () => {
    await quickstartStore(store); // the quickstart trained once per build (exit 0, or it throws with Spark's stderr)
    const show = JSON.parse((await mlship(["models", "show", "churn@1", "--store", store, "--json"])).stdout);
    parityFile = join(store, show.artifacts.prefix, "parity.arrow");
  });

  it("scores an Arrow file exactly as Spark did (the parity rows)", async () => {
    const out = join(work, "out.arrow");
    const r = await mlship(["predict", "churn@staging", "--store", store, "-i", parityFile, "-o", out, "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, model: "churn", version: 1, skipped: [] });
    const t = tableFromIPC(readFileSync(out));
    const spark = sparkAnswers();
    expect(t.numRows).toBe(spark.prediction.length);
    for (let i = 0; i < t.numRows; i++) {
      expect(t.getChild("prediction")!.get(i)).toBe(spark.prediction[i]);
      const p = Array.from(t.getChild("probability")!.get(i)!.toArray() as Float64Array);
      p.forEach((v, k) => expect(Math.abs(v - spark.probability[i]![k]!)).toBeLessThanOrEqual(1e-9));
    }
  });

  it("reads CSV and writes JSON lines with the same answers", async () => {
    const jsonl = join(work, "via-arrow.jsonl");
    await mlship(["predict", "churn@1", "--store", store, "-i", parityFile, "-o", jsonl]);
    const rows = readFileSync(jsonl, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    // Rebuild a CSV of the inputs (empty cells for nulls), score it, compare with the Arrow route's answers.
    const cols = ["tenure_months", "monthly_charges", "total_charges", "support_calls", "contract", "payment_method", "region"];
    const csv = [cols.join(","), ...rows.map((r) => cols.map((c) => (r[c] === null ? "" : String(r[c]))).join(","))].join("\n");
    writeFileSync(join(work, "in.csv"), csv);
    const out = join(work, "out.jsonl");
    const r = await mlship(["predict", "churn@1", "--store", store, "-i", join(work, "in.csv"), "-o", out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`scored ${rows.length} of ${rows.length} rows with churn@1`));
    const again = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    again.forEach((a, i) => {
      expect(a.prediction).toBe(rows[i].prediction);
      expect(a.probability).toEqual(rows[i].probability);
    });
  });

  it("refuses rows it cannot score with their row numbers, or skips them when asked", async () => {
    const bad = join(work, "bad.jsonl");
    writeFileSync(bad, ['{"tenure_months": 3, "monthly_charges": "lots", "total_charges": 1, "support_calls": 0, "contract": "one-year", "payment_method": "x", "region": "east"}', '{"tenure_months": 3, "monthly_charges": 20, "total_charges": 1, "support_calls": 0, "contract": "one-year", "payment_method": "x", "region": "east"}'].join("\n"));
    const out = join(work, "bad-out.csv");
    const fail = await mlship(["predict", "churn@1", "--store", store, "-i", bad, "-o", out]);
    expect(fail.exitCode).toBe(1);
    expect(fail.stderr).toMatch(/row 1: monthly_charges: expected a number or null, got string "lots", which is not a number/);
    const skip = await mlship(["predict", "churn@1", "--store", store, "-i", bad, "-o", out, "--on-invalid", "skip"]);
    expect(skip.exitCode, skip.stderr).toBe(0);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(2); // header + the one good row
  });

  it("names missing input columns and unknown formats with exit 2", async () => {
    writeFileSync(join(work, "few.csv"), "tenure_months\n3\n");
    const r = await mlship(["predict", "churn@1", "--store", store, "-i", join(work, "few.csv"), "-o", join(work, "x.csv")]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/lacks the model's input columns monthly_charges, total_charges/);
    const f = await mlship(["predict", "churn@1", "--store", store, "-i", join(work, "few.csv"), "-o", join(work, "x.xlsx")]);
    expect(f.exitCode).toBe(2);
    expect(f.stderr).toMatch(/cannot tell the output format/);
    const p = await mlship(["predict", "churn@1", "--store", store, "-i", join(work, "few.csv"), "-o", join(work, "x.parquet")]);
    expect(p.exitCode).toBe(2);
    expect(p.stderr).toMatch(/parquet is an input format only/);
  });
});

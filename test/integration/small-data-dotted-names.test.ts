// Small data sets and column names Spark would parse, on real local Spark (issue 8, items 3 and 4):
// - a 105-row iris-like job whose label and features are named with dots (and a backtick) trains through
//   `mlship train`, registers with a certificate on every row, and scores like Spark through `mlship predict`
//   and the served JSON and OIP routes, under the user's own column names;
// - more cases in one Spark session: a 120-row regression, dotted names through every column transform and an
//   index-encoded forest, and a data set below the floor, refused before fitting with the count and the minimum.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mlship } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { call, parityRows, tensorsOf, type ParityRows } from "../helpers/serve.js";
import { caseJob, certifyCase, trainMany, type CaseOutcome, type TrainCase } from "../helpers/train-many.js";
import { loadStoredModel, MIN_DATA_ROWS } from "../../src/certify/index.js";
import { getVersion, type VersionRecord } from "../../src/registry/index.js";
import { createLogger, startServer, type RunningServer } from "../../src/serve/index.js";
import { seeded as random } from "../helpers/random.js";
import { LocalStore } from "../../src/store/index.js";

const work = tempDir("mlship-small-dots-");
const storeDir = join(work, "store");
const store = new LocalStore(storeDir);

const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

// CSV text from named columns (no value here holds a comma or a quote); null is an empty cell.
function csv(columns: Record<string, (number | string | null)[]>): string {
  const names = Object.keys(columns);
  const n = columns[names[0]!]!.length;
  const lines = [names.join(",")];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => String(columns[c]![i] ?? "")).join(","));
  return `${lines.join("\n")}\n`;
}

const SPECIES = ["setosa", "versicolor", "virginica"];

// Iris-like: three species with text labels; numeric and categorical features named with dots and a backtick,
// a categorical column holding numbers, some nulls.
function irisLike(rows: number, seed: number): Record<string, (number | string | null)[]> {
  const r = random(seed);
  const out: Record<string, (number | string | null)[]> = { "petal.width": [], "sepal.length (cm)": [], "site.code": [], "obs`tag": [], "grp.id": [], "species.name": [] };
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    out["petal.width"]!.push(+(0.3 + 0.9 * k + 0.35 * normal(r)).toFixed(3));
    out["sepal.length (cm)"]!.push(r() < 0.08 ? null : +(4.8 + 0.8 * k + 0.5 * normal(r)).toFixed(3));
    out["site.code"]!.push(r() < 0.6 ? ["n.1", "s.2", "e.3"][k]! : r() < 0.1 ? null : "w.4");
    out["obs`tag"]!.push(r() < 0.5 ? "a`1" : "b.2");
    out["grp.id"]!.push(1 + Math.floor(r() * 3)); // a categorical that Spark reads as numbers and indexes as "1", ...
    out["species.name"]!.push(SPECIES[k]!);
  }
  return out;
}

// A small regression: y = 3 + 2a - b + noise.
function regression(rows: number, seed: number): Record<string, (number | string | null)[]> {
  const r = random(seed);
  const out: Record<string, (number | string | null)[]> = { a: [], b: [], city: [], y: [] };
  for (let i = 0; i < rows; i++) {
    const a = 10 * r();
    const b = normal(r);
    const city = ["north", "south", "east"][Math.floor(r() * 3)]!;
    out.a!.push(+a.toFixed(4));
    out.b!.push(r() < 0.05 ? null : +b.toFixed(4));
    out.city!.push(city);
    out.y!.push(+(3 + 2 * a - (b ?? 0) + (city === "north" ? 1 : 0) + 0.1 * normal(r)).toFixed(4));
  }
  return out;
}

const IRIS_ROWS = 105;
const DOTTED_FEATURES = { numeric: ["petal.width", "sepal.length (cm)"], categorical: ["site.code", "obs`tag", "grp.id"] };

describe("a 105-row job with dotted column names, through mlship train", () => {
  let trained: { exitCode: number; json: any; stderr: string };
  let record: VersionRecord;
  let parity: ParityRows;
  let server: RunningServer;

  beforeAll(async () => {
    writeFileSync(join(work, "iris.csv"), csv(irisLike(IRIS_ROWS, 7)));
    const spec = join(work, "iris.yaml");
    writeFileSync(
      spec,
      [
        "name: iris",
        "model:",
        "  algorithm: logistic_regression",
        "  params: { maxIter: 50, regParam: 0.01 }",
        '  label: "species.name"',
        "  features:",
        `    numeric: ${JSON.stringify(DOTTED_FEATURES.numeric)}`,
        `    categorical: ${JSON.stringify(DOTTED_FEATURES.categorical)}`,
        "    scale: true",
        "data:",
        `  train: ${JSON.stringify(join(work, "iris.csv"))}`,
        "  format: csv",
        "  validation: { fraction: 0.2, seed: 7 }",
        "spark:",
        "  master: local[2]",
        "  conf: { spark.sql.shuffle.partitions: 4, spark.ui.enabled: false, spark.ui.showConsoleProgress: false }",
        "  driver: { memory: 1g }",
        "",
      ].join("\n"),
    );
    const validate = await mlship(["validate", spec]);
    expect(validate.exitCode, validate.stderr).toBe(0);
    const r = await mlship(["train", spec, "--store", storeDir, "--json", "--quiet"]);
    trained = { exitCode: r.exitCode, json: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
    expect(trained.exitCode, trained.stderr).toBe(0);
    record = (await getVersion(store, "iris", 1))!;
    const scorer = await loadStoredModel(store, record.artifacts.prefix);
    parity = parityRows(store, record, scorer.inputSchema);
    server = await startServer(
      { store, log: createLogger({ write: () => {} }, true), now: () => new Date() },
      { models: ["iris@1"], host: "127.0.0.1", port: 0, token: null, pollIntervalMs: 1000, bodyLimit: 1024 * 1024, serverVersion: "test", drainTimeoutMs: 2000 },
    );
    await server.ready;
  }, 600_000);

  afterAll(async () => {
    await server?.close();
  });

  it("registers version 1 with a certificate on every one of the 105 rows", () => {
    expect(trained.json).toMatchObject({ ok: true, model: "iris", version: 1, parity: { passed: true, rows: IRIS_ROWS } });
    expect(record.parity).toMatchObject({ rows: IRIS_ROWS, passed: true, labelMismatches: 0 });
    const metrics = JSON.parse(readFileSync(store.localPath(`${record.artifacts.prefix}/metrics.json`)!, "utf8"));
    expect(metrics.rows.train + metrics.rows.validation).toBe(IRIS_ROWS);
    expect(metrics.parity).toEqual({ rows: IRIS_ROWS, fromValidation: metrics.rows.validation, fromTrain: metrics.rows.train, allRows: true });
  });

  it("keeps the user's column names in the served model", () => {
    expect(parity.schema.map((c) => c.name).sort()).toEqual([...DOTTED_FEATURES.numeric, ...DOTTED_FEATURES.categorical].sort());
    const descriptor = JSON.parse(readFileSync(store.localPath(`${record.artifacts.prefix}/portable/descriptor.json`)!, "utf8"));
    expect(descriptor.label).toEqual({ column: "species.name", values: SPECIES });
  });

  it("mlship predict scores records named with dots and backticks as Spark did", async () => {
    const input = join(work, "rows.jsonl");
    writeFileSync(input, parity.records.map((rec) => JSON.stringify(rec)).join("\n") + "\n");
    const out = join(work, "scored.jsonl");
    const r = await mlship(["predict", "iris@1", "--store", storeDir, "-i", input, "-o", out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const scored = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(scored).toHaveLength(IRIS_ROWS);
    scored.forEach((row, i) => {
      expect(row["petal.width"]).toBe(parity.records[i]!["petal.width"]); // the input comes back under its own name
      expect(row.prediction).toBe(parity.spark[i]!.prediction);
      expect(row.label).toBe(SPECIES[parity.spark[i]!.prediction]);
      row.probability.forEach((p: number, k: number) => expect(Math.abs(p - parity.spark[i]!.probability![k]!)).toBeLessThanOrEqual(1e-9));
    });
  });

  it("the JSON and OIP routes score the same records as Spark did", async () => {
    const json = await call(server.url, "POST", "/v1/models/iris/predict", { body: { records: parity.records } });
    expect(json.status, json.text).toBe(200);
    const oip = await call(server.url, "POST", "/v2/models/iris/infer", { body: tensorsOf(parity.schema, parity.records) });
    expect(oip.status, oip.text).toBe(200);
    const oipPrediction = oip.json.outputs.find((o: { name: string }) => o.name === "prediction").data;
    parity.spark.forEach((s, i) => {
      expect(json.json.predictions[i].prediction).toBe(s.prediction);
      expect(oipPrediction[i]).toBe(s.prediction);
    });
  });
});

describe("small data and dotted names in one Spark session", () => {
  const dotted = (name: string, model: Record<string, unknown>): TrainCase => ({ case: name, job: caseJob(name, model, { train: join(work, "iris-cases.csv"), format: "csv", validation: { fraction: 0.25, seed: 3 } }) });
  const CASES: TrainCase[] = [
    {
      case: "regression-120",
      job: caseJob("regression-120", { algorithm: "linear_regression", params: { regParam: 0.01 }, label: "y", features: { numeric: ["a", "b"], categorical: ["city"], impute: "mean", scale: false, categoricalEncoding: "onehot" } }, { train: join(work, "regression.csv"), format: "csv", validation: { fraction: 0.2, seed: 5 } }),
    },
    dotted("dots-every-transform", {
      algorithm: "logistic_regression",
      params: { maxIter: 30 },
      label: "species.name",
      features: {
        ...DOTTED_FEATURES,
        impute: "median",
        scale: "minmax",
        normalize: 2,
        categoricalEncoding: "onehot",
        bucketize: { "petal.width": ["-inf", 0.5, 1.5, "inf"] },
        binarize: { "sepal.length (cm)": 5.5 },
      },
    }),
    dotted("dots-forest-index", {
      algorithm: "random_forest_classifier",
      params: { numTrees: 5, maxDepth: 4, seed: 3 },
      label: "species.name",
      features: { ...DOTTED_FEATURES, impute: "mean", scale: false, categoricalEncoding: "index", quantiles: { "sepal.length (cm)": 3 } },
    }),
    {
      case: "too-few",
      job: caseJob("too-few", { algorithm: "linear_regression", params: {}, label: "y", features: { numeric: ["a", "b"], categorical: [], impute: "mean", scale: false, categoricalEncoding: "onehot" } }, { train: join(work, "tiny.csv"), format: "csv" }),
    },
  ];
  let outcomes: Map<string, CaseOutcome>;

  beforeAll(async () => {
    writeFileSync(join(work, "regression.csv"), csv(regression(120, 11)));
    writeFileSync(join(work, "iris-cases.csv"), csv(irisLike(IRIS_ROWS, 13)));
    writeFileSync(join(work, "tiny.csv"), csv(regression(MIN_DATA_ROWS - 8, 17)));
    outcomes = await trainMany(CASES, work);
  }, 900_000);

  it.each([
    ["regression-120", 120],
    ["dots-every-transform", IRIS_ROWS],
    ["dots-forest-index", IRIS_ROWS],
  ])("%s: trains and certifies on every one of its %i rows", async (name, rows) => {
    expect(outcomes.get(name)).toEqual({ case: name, ok: true, problems: [] });
    const report = await certifyCase(work, name as string);
    expect(report).toMatchObject({ rows, allRows: true, errors: [], labelMismatches: 0, passed: true });
    expect(report.maxAbsDiff).toBeLessThanOrEqual(1e-9);
  });

  it("dotted names reach every stage under the user's names", () => {
    const stages = (name: string) => JSON.parse(readFileSync(join(work, name, "model", "portable", "descriptor.json"), "utf8")).stages as { kind: string; inputCols?: string[] }[];
    const every = stages("dots-every-transform");
    expect(every.map((s) => s.kind)).toEqual(["bucketizer", "binarizer", "imputer", "string_indexer", "one_hot_encoder", "vector_assembler", "min_max_scaler", "normalizer", "vector_assembler", "logistic_regression"]);
    expect(every[0]!.inputCols).toEqual(["petal.width"]);
    expect(every[3]!.inputCols).toEqual(DOTTED_FEATURES.categorical);
  });

  it("refuses a data set below the floor before fitting, naming the row count, the minimum and what to do", () => {
    const outcome = outcomes.get("too-few")!;
    expect(outcome.ok).toBe(false);
    expect(outcome.problems).toEqual([expect.stringMatching(new RegExp(`^the training data has ${MIN_DATA_ROWS - 8} usable rows; mlship needs at least ${MIN_DATA_ROWS} .*: add rows to `))]);
  });
});

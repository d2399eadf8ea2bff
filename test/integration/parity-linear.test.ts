// Parity on real local Spark for the linear family and k-means: every GLM family/link Spark 4.1.1 offers, linear SVC,
// k-means (euclidean and cosine), and logistic/linear regression on dense large-magnitude features (where Spark's
// lane-wise fma dot product differs from a plain sum). Each case trains in one Spark session (train-many.ts) on data
// with nulls in numeric and categorical inputs and categories never seen in training, then the TypeScript scorer
// must reproduce Spark's outputs on >= 1000 rows: max |Δ| <= 1e-9 and identical class/cluster numbers.
// Some cases also have Spark's saved PipelineModel score rows with huge finite values (±1e300 … ±MAX_VALUE,
// scaled features that overflow to ±Infinity), which the row and batch paths must answer as Spark does.
import { beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { caseJob, certifyCase, trainMany, type CaseOutcome, type TrainCase } from "../helpers/train-many.js";
import { projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { compileModel, loadPortableModel, type Descriptor } from "../../src/model/index.js";
import { listColumn, numberColumn, readTable, stringColumn } from "../../src/model/arrow.js";
import { checkParity } from "../../src/certify/parity.js";

const work = tempDir("mlship-parity-linear-");
const python = join(projectRoot, ".venv", "bin", "python");

// 2400 rows: x1..x4 numeric (about 6% null), c1/c2 categorical (about 6% null, about 4% one-off values that
// a 50% validation split leaves unseen in training for half of them); targets for each family:
// y (gaussian), y01 (0/1), ycount (poisson counts), ypos (positive, gamma-like). `dense` holds 24 numeric
// columns of large magnitude, no nulls, and targets ybig (around 1e8) and ydense01. 24 > 2 × 8 lanes: with fewer
// than two full SIMD vectors, Spark's lane-wise sum is the plain left-to-right sum.
const GENERATE = String.raw`
import math, random, sys
import pyarrow as pa, pyarrow.parquet as pq
rng = random.Random(20261127)
n = 2400
def maybe(v, p=0.06):
    return None if rng.random() < p else v
rows = {k: [] for k in ["x1", "x2", "x3", "x4", "c1", "c2", "y", "y01", "ycount", "ypos"]}
for i in range(n):
    x = [rng.uniform(0.5, 2.0), rng.uniform(-1, 1), rng.gauss(0, 1), rng.uniform(0, 3)]
    c1 = rng.choice(["a", "b", "c", "d"]) if rng.random() > 0.04 else f"one-off-{i}"
    c2 = rng.choice(["north", "south", "east"]) if rng.random() > 0.04 else f"new-{i}"
    eff = {"a": 0.2, "b": -0.1, "c": 0.0, "d": 0.3}.get(c1, 0.0) + {"north": 0.1, "south": -0.2}.get(c2, 0.0)
    lin = 0.4 * x[0] - 0.3 * x[1] + 0.2 * x[2] + 0.1 * x[3] + eff
    mu = math.exp(1.5 + 0.3 * lin)
    rows["y"].append(3.0 + 2.0 * lin + rng.gauss(0, 0.5))
    rows["y01"].append(1.0 if rng.random() < 1 / (1 + math.exp(-(2 * lin - 0.8))) else 0.0)
    # Poisson counts by inversion (no numpy needed)
    k, p, u = 0, math.exp(-mu), rng.random()
    s = p
    while u > s:
        k += 1
        p *= mu / k
        s += p
    rows["ycount"].append(float(k))
    rows["ypos"].append(mu * rng.gammavariate(8.0, 1 / 8.0))
    for j in range(4):
        rows[f"x{j + 1}"].append(maybe(x[j]))
    rows["c1"].append(maybe(c1))
    rows["c2"].append(maybe(c2))
pq.write_table(pa.table(rows), sys.argv[1] + "/mixed.parquet")
W = 24
dense = {f"d{j}": [] for j in range(W)}
dense["ybig"], dense["ydense01"] = [], []
for i in range(n):
    d = [rng.uniform(1e3, 5e3) * (1 if j % 2 else -1) + rng.gauss(0, 300) for j in range(W)]
    for j in range(W):
        dense[f"d{j}"].append(d[j])
    dense["ybig"].append(1e8 + sum((j + 1) * 300 * v for j, v in enumerate(d)) + rng.gauss(0, 1e5))
    dense["ydense01"].append(1.0 if rng.random() < 1 / (1 + math.exp(-(sum(d[:12]) - sum(d[12:])) / 8e3)) else 0.0)
# Drawn after the rest with their own generators, so the columns above stay as they were.
small = random.Random(9)
dense["s0"] = [small.uniform(0, 0.01) for _ in range(n)]  # std ~0.003: scaling 1e306 gives +Infinity
dense["ydense3"] = [float(min(2, max(0, int(1 + (sum(dense[f"d{j}"][i] for j in range(8)) - sum(dense[f"d{j}"][i] for j in range(8, 16))) / 6e3
                    + 300 * (dense["s0"][i] - 0.005) + small.gauss(0, 0.4))))) for i in range(n)]
pq.write_table(pa.table(dense), sys.argv[1] + "/dense.parquet")
# Rows with huge finite values for Spark's own PipelineModel to score (train_many.py "score"): ordinary
# rows with one to three inputs replaced by values from 1e290 to MAX_VALUE, either sign.
ext = random.Random(8)
HUGE = [1e290, -1e300, 1e300, -3e305, 1e306, 6e307, -1e308, 1e308, -1.7e308, 1.7e308, -sys.float_info.max, sys.float_info.max]
def put_huge(row, keys):
    for k in ext.sample(keys, ext.choice([1, 1, 2, 3])):
        row[k] = ext.choice(HUGE)
    return row
m = 240
big = [put_huge({f"d{j}": ext.uniform(1e3, 5e3) * (1 if j % 2 else -1) for j in range(W)}, [f"d{j}" for j in range(W)]) for _ in range(m)]
for r in big:  # s0 (DENSE_SMALL only): huge in some rows (scaled, +-Infinity), ordinary in the others
    r["s0"] = ext.choice(HUGE) if ext.random() < 0.4 else ext.uniform(0, 0.01)
big = {k: [r[k] for r in big] for k in big[0]}
big.update({"ybig": [1e8] * m, "ydense01": [1.0] * m, "ydense3": [1.0] * m})
pq.write_table(pa.table(big), sys.argv[1] + "/dense-huge.parquet")
mixed = [put_huge({"x1": ext.uniform(0.5, 2.0), "x2": ext.uniform(-1, 1), "x3": ext.gauss(0, 1), "x4": ext.uniform(0, 3)},
                  ["x1", "x2", "x3", "x4"]) for _ in range(m)]
mixed = {k: [r[k] for r in mixed] for k in mixed[0]}
mixed.update({"c1": [ext.choice(["a", "b", "c", "d"]) for _ in range(m)], "c2": [ext.choice(["north", "south", "east"]) for _ in range(m)],
              "y": [1.0] * m, "y01": [1.0] * m, "ycount": [1.0] * m, "ypos": [1.0] * m})
pq.write_table(pa.table(mixed), sys.argv[1] + "/mixed-huge.parquet")
`;

const MIXED = { numeric: ["x1", "x2", "x3", "x4"], categorical: ["c1", "c2"], impute: "mean", scale: false, categoricalEncoding: "onehot" };
const DENSE = { numeric: Array.from({ length: 24 }, (_, j) => `d${j}`), categorical: [], impute: "mean", scale: true, categoricalEncoding: "onehot" };
// DENSE plus s0, a column whose standard deviation is far below 1, so that scaling a huge value overflows.
const DENSE_SMALL = { ...DENSE, numeric: [...DENSE.numeric, "s0"] };
const data = (file: string) => ({ train: join(work, "data", file) });
// The rows with huge values a case asks Spark to score (train_many.py "score").
const huge = (file: string) => join(work, "data", file);

// One GLM case: family, link (or tweedie powers), the target that suits the family.
interface GlmCase {
  name: string;
  label: string;
  params: Record<string, string | number>;
  want: { family: string; link: string; linkPower?: number };
}
const GLM: GlmCase[] = [
  { name: "gaussian-identity", label: "y", params: { family: "gaussian", link: "identity" }, want: { family: "gaussian", link: "identity" } },
  { name: "gaussian-log", label: "ypos", params: { family: "gaussian", link: "log" }, want: { family: "gaussian", link: "log" } },
  { name: "gaussian-inverse", label: "ypos", params: { family: "gaussian", link: "inverse" }, want: { family: "gaussian", link: "inverse" } },
  { name: "binomial-logit", label: "y01", params: { family: "binomial", link: "logit" }, want: { family: "binomial", link: "logit" } },
  { name: "binomial-probit", label: "y01", params: { family: "binomial", link: "probit" }, want: { family: "binomial", link: "probit" } },
  { name: "binomial-cloglog", label: "y01", params: { family: "binomial", link: "cloglog" }, want: { family: "binomial", link: "cloglog" } },
  { name: "poisson-log", label: "ycount", params: { family: "poisson", link: "log" }, want: { family: "poisson", link: "log" } },
  { name: "poisson-identity", label: "ycount", params: { family: "poisson", link: "identity" }, want: { family: "poisson", link: "identity" } },
  { name: "poisson-sqrt", label: "ycount", params: { family: "poisson", link: "sqrt" }, want: { family: "poisson", link: "sqrt" } },
  { name: "gamma-inverse", label: "ypos", params: { family: "gamma", link: "inverse" }, want: { family: "gamma", link: "inverse" } },
  { name: "gamma-identity", label: "ypos", params: { family: "gamma", link: "identity" }, want: { family: "gamma", link: "identity" } },
  { name: "gamma-log", label: "ypos", params: { family: "gamma", link: "log" }, want: { family: "gamma", link: "log" } },
  { name: "tweedie-power", label: "ypos", params: { family: "tweedie", variancePower: 1.5, linkPower: 0.3 }, want: { family: "tweedie", link: "power", linkPower: 0.3 } },
  { name: "tweedie-log", label: "ycount", params: { family: "tweedie", variancePower: 1.2, linkPower: 0 }, want: { family: "tweedie", link: "log" } },
  // default linkPower is 1 - variancePower = -0.6
  { name: "tweedie-default-link", label: "ypos", params: { family: "tweedie", variancePower: 1.6 }, want: { family: "tweedie", link: "power", linkPower: 1 - 1.6 } },
];

// Each case and what its descriptor must say.
// GLM cases that also score the huge rows: an identity, a log (exp overflows, then project clamps) and a logit link.
const GLM_HUGE = new Set(["gaussian-identity", "poisson-log", "binomial-logit"]);
const CASES: (TrainCase & { stage: Record<string, unknown>; task: string; score?: string })[] = [
  ...GLM.map((g) => ({
    case: `glm-${g.name}`,
    job: caseJob(`glm-${g.name}`, { algorithm: "generalized_linear_regression", params: { maxIter: 8, ...g.params }, label: g.label, features: MIXED }, data("mixed.parquet")),
    stage: { kind: "generalized_linear_regression", ...g.want },
    task: "regression",
    ...(GLM_HUGE.has(g.name) ? { score: huge("mixed-huge.parquet") } : {}),
  })),
  {
    case: "linear-svc",
    job: caseJob("linear-svc", { algorithm: "linear_svc", params: { maxIter: 20, regParam: 0.01 }, label: "y01", features: MIXED }, data("mixed.parquet")),
    stage: { kind: "linear_svc", numClasses: 2, threshold: 0 },
    task: "binary_classification",
    score: huge("mixed-huge.parquet"),
  },
  {
    case: "kmeans-euclidean",
    job: caseJob("kmeans-euclidean", { algorithm: "kmeans", params: { k: 5, maxIter: 10, seed: 3 }, features: MIXED }, data("mixed.parquet")),
    stage: { kind: "kmeans", k: 5, distanceMeasure: "euclidean" },
    task: "clustering",
  },
  {
    case: "kmeans-cosine",
    job: caseJob("kmeans-cosine", { algorithm: "kmeans", params: { k: 4, maxIter: 10, seed: 5, distanceMeasure: "cosine" }, features: MIXED }, data("mixed.parquet")),
    stage: { kind: "kmeans", k: 4, distanceMeasure: "cosine" },
    task: "clustering",
  },
  {
    case: "dense-linear-regression",
    job: caseJob("dense-linear-regression", { algorithm: "linear_regression", params: { maxIter: 20 }, label: "ybig", features: DENSE }, data("dense.parquet")),
    stage: { kind: "linear_regression", sparseCoefficients: false },
    task: "regression",
    score: huge("dense-huge.parquet"),
  },
  {
    case: "dense-logistic-regression",
    job: caseJob("dense-logistic-regression", { algorithm: "logistic_regression", params: { maxIter: 20 }, label: "ydense01", features: DENSE }, data("dense.parquet")),
    stage: { kind: "logistic_regression", isMultinomial: false, sparseCoefficients: false },
    task: "binary_classification",
    score: huge("dense-huge.parquet"),
  },
  {
    case: "dense-glm-gaussian",
    job: caseJob("dense-glm-gaussian", { algorithm: "generalized_linear_regression", params: { maxIter: 5 }, label: "ybig", features: DENSE }, data("dense.parquet")),
    stage: { kind: "generalized_linear_regression", family: "gaussian", link: "identity" },
    task: "regression",
    score: huge("dense-huge.parquet"),
  },
  {
    case: "dense-linear-svc",
    job: caseJob("dense-linear-svc", { algorithm: "linear_svc", params: { maxIter: 10, regParam: 0.01 }, label: "ydense01", features: DENSE }, data("dense.parquet")),
    stage: { kind: "linear_svc", numClasses: 2, threshold: 0, sparseCoefficients: false },
    task: "binary_classification",
    score: huge("dense-huge.parquet"),
  },
  {
    case: "dense-multinomial-logistic",
    job: caseJob("dense-multinomial-logistic", { algorithm: "logistic_regression", params: { maxIter: 20, family: "multinomial" }, label: "ydense3", features: DENSE_SMALL }, data("dense.parquet")),
    stage: { kind: "logistic_regression", isMultinomial: true, numClasses: 3, sparseCoefficients: false },
    task: "multiclass_classification",
    score: huge("dense-huge.parquet"),
  },
];

let outcomes: Map<string, CaseOutcome>;

beforeAll(async () => {
  await execa("mkdir", ["-p", join(work, "data")]);
  await execa(python, ["-c", GENERATE, join(work, "data")]);
  outcomes = await trainMany(CASES, work);
});

const descriptorOf = (name: string) =>
  JSON.parse(readFileSync(join(work, name, "model", "portable", "descriptor.json"), "utf8")) as { task: string; label: { column: string | null }; outputs: Record<string, string>; stages: Record<string, unknown>[] };

describe("parity of linear models and k-means with Spark (>= 1000 rows, nulls and unseen categories)", () => {
  it.each(CASES.map((c) => [c.case, c] as const))("%s", async (name, c) => {
    const outcome = outcomes.get(name)!;
    expect(outcome.problems).toEqual([]);
    expect(outcome.ok).toBe(true);
    const d = descriptorOf(name);
    expect(d.task).toBe(c.task);
    expect(d.stages.at(-1)).toMatchObject(c.stage);
    const lanes = d.stages.at(-1)!.ddotLanes;
    expect(lanes === null || (typeof lanes === "number" && lanes >= 1)).toBe(true);
    if (c.task === "clustering") {
      expect(d.label.column).toBeNull();
      expect(Object.keys(d.outputs)).toEqual(["prediction"]);
    }
    if (name === "linear-svc") expect(Object.keys(d.outputs).sort()).toEqual(["prediction", "rawPrediction"]);
    const report = await certifyCase(work, name, 1e-9);
    expect(report.errors).toEqual([]);
    expect(report.rows).toBeGreaterThanOrEqual(1000);
    expect(report.labelMismatches).toBe(0);
    expect(report.maxAbsDiff, JSON.stringify(report.worst)).toBeLessThanOrEqual(1e-9);
    expect(report.passed).toBe(true);
  });

  it("the dense case needs Spark's lane-wise sum: the plain left-to-right sum misses 1e-9 there", () => {
    const dir = join(work, "dense-linear-regression", "model");
    const d = descriptorOf("dense-linear-regression");
    expect(d.stages.map((s) => s.kind)).toEqual(["imputer", "vector_assembler", "standard_scaler", "vector_assembler", "linear_regression"]);
    expect(d.stages.at(-1)!.ddotLanes).toBeGreaterThan(1);
    const tables = new Map(d.stages.map((s) => [s.file as string, readTable(readFileSync(join(dir, "portable", s.file as string)))]));
    const parity = readFileSync(join(dir, "parity.arrow"));
    const plain = structuredClone(d) as unknown as Descriptor;
    delete (plain.stages.at(-1) as { ddotLanes?: number | null }).ddotLanes; // an export without ddotLanes: plain sums
    expect(checkParity(compileModel(plain, tables), parity, 1e-9).maxAbsDiff).toBeGreaterThan(1e-9);
    expect(checkParity(compileModel(d as unknown as Descriptor, tables), parity, 1e-9).maxAbsDiff).toBe(0);
  });
});

// Spark's answer and mlship's agree: equal (the same infinity, both NaN) or within the certificate's tolerance.
const agree = (spark: number, mlship: number, tolerance: number) =>
  spark === mlship || (Number.isNaN(spark) && Number.isNaN(mlship)) || Math.abs(spark - mlship) <= tolerance;

describe("huge finite inputs: Spark's PipelineModel and both scoring paths give the same doubles and classes", () => {
  it.each(CASES.filter((c) => c.score).map((c) => [c.case, c] as const))("%s", async (name, c) => {
    expect(outcomes.get(name)!.ok).toBe(true);
    const model = await loadPortableModel(async (rel) => readFileSync(join(work, name, "model", "portable", rel)));
    const table = readTable(readFileSync(join(work, name, "scored.arrow")));
    const rows = table.numRows;
    expect(rows).toBe(240);
    const inputs = model.inputSchema.map((col) => (col.type === "double" ? numberColumn(table, col.name) : stringColumn(table, col.name)));
    // the rows really are extreme: every one holds a value beyond 1e289
    for (let r = 0; r < rows; r++) expect(inputs.some((col) => Math.abs(Number(col[r])) > 1e289), `row ${r}`).toBe(true);
    const prediction = numberColumn(table, "spark_prediction");
    const has = (column: string) => table.schema.fields.some((f) => f.name === column);
    const probability = has("spark_probability") ? listColumn(table, "spark_probability") : null;
    const rawPrediction = has("spark_raw_prediction") ? listColumn(table, "spark_raw_prediction") : null;
    const classifier = c.task !== "regression";
    const batch = model.scoreColumns(Object.fromEntries(model.inputSchema.map((col, i) => [col.name, inputs[i]!])), rows);
    const mismatches: string[] = [];
    const check = (path: string, r: number, output: string, spark: number, mlship: number | undefined) => {
      const ok = classifier && output === "prediction" ? spark === mlship : mlship !== undefined && agree(spark, mlship, 1e-9);
      if (!ok) mismatches.push(`${path} row ${r} ${output}: Spark ${spark}, mlship ${mlship}`);
    };
    let edge = 0; // Spark outputs beyond 1e290 or not finite: the rows do reach the ends of the range
    for (let r = 0; r < rows; r++) {
      const p = model.scoreValues(inputs.map((col) => col[r] ?? null));
      const expected = [["prediction", prediction[r]!]] as [string, number][];
      probability?.[r]!.forEach((v, k) => expected.push([`probability[${k}]`, v]));
      rawPrediction?.[r]!.forEach((v, k) => expected.push([`rawPrediction[${k}]`, v]));
      for (const [output, spark] of expected) {
        if (!(Math.abs(spark) < 1e290)) edge++;
        const k = Number(/\[(\d+)\]/.exec(output)?.[1] ?? 0);
        const row = output === "prediction" ? p.prediction : output.startsWith("probability") ? p.probability?.[k] : p.rawPrediction?.[k];
        const col = output === "prediction" ? batch.prediction[r] : output.startsWith("probability") ? batch.probability?.[r * batch.width + k] : batch.rawPrediction?.[r * batch.width + k];
        check("scoreValues", r, output, spark, row);
        check("scoreColumns", r, output, spark, col);
      }
    }
    expect(mismatches.slice(0, 10), `${mismatches.length} mismatches`).toEqual([]);
    if (name !== "glm-binomial-logit") expect(edge).toBeGreaterThan(0); // its mean is clamped to [1e-16, 1 - 1e-16]
  });
});

// The source_model stage (transfer feature and offset): a small composite compiled from in-memory tables scores as the
// formula says, row by row and column-wise alike; a GLM adds its offset column to eta; the loader embeds one level.
import { describe, expect, it } from "vitest";
import { tableToIPC } from "apache-arrow";
import { compileModel, loadPortableModel, ModelError, type CompiledModel, type Descriptor } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { sourcePick } from "../../src/model/stages/source-model.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";

const INPUTS = [
  { name: "x", type: "double" as const, role: "numeric" as const },
  { name: "z", type: "double" as const, role: "numeric" as const },
];

// The source: logistic regression on x alone (margin 0.5 + 2x).
function sourceFiles(): { d: Descriptor; tables: Map<string, ArrowTable> } {
  const tables = new Map<string, ArrowTable>([
    ["stages/00_imputer.arrow", table({ x: [1.0] })],
    ["stages/01_vector_assembler.arrow", table({ column: ["x__imp"], size: Int32Array.from([1]) })],
    ["stages/02_logistic_regression.arrow", linearTable([0.5], [[2]])],
  ]);
  const d = descriptor({
    inputSchema: [INPUTS[0]!],
    stages: [
      { kind: "imputer", file: "stages/00_imputer.arrow", inputCols: ["x"], outputCols: ["x__imp"], strategy: "mean", missingValue: "NaN" },
      { kind: "vector_assembler", file: "stages/01_vector_assembler.arrow", inputCols: ["x__imp"], outputCol: "features", handleInvalid: "error" },
      { kind: "logistic_regression", file: "stages/02_logistic_regression.arrow", featuresCol: "features", numClasses: 2, numFeatures: 1, isMultinomial: false, threshold: 0.5 },
    ],
  });
  return { d, tables };
}

// A target over [z, the source's output]: a logistic regression (feature) or a binomial GLM with an offset (offset).
function targetFiles(method: "feature" | "offset"): { d: Descriptor; tables: Map<string, ArrowTable> } {
  const out = method === "feature" ? "__source_probability" : "__source_margin";
  const tables = new Map<string, ArrowTable>([
    ["stages/00_source_model.arrow", table({ column: [out], size: Int32Array.from([1]) })],
    ["stages/01_vector_assembler.arrow", table({ column: method === "feature" ? ["z", out] : ["z"], size: Int32Array.from(method === "feature" ? [1, 1] : [1]) })],
    ["stages/02_model.arrow", linearTable([-1], method === "feature" ? [[3, 4]] : [[3]])],
  ]);
  const source = { kind: "source_model" as const, file: "stages/00_source_model.arrow", source: "source/", algorithm: "logistic_regression", use: method === "feature" ? ("probability" as const) : ("margin" as const), inputCols: ["x"], outputCol: out, size: 1 };
  const assembler = { kind: "vector_assembler" as const, file: "stages/01_vector_assembler.arrow", inputCols: method === "feature" ? ["z", out] : ["z"], outputCol: "features", handleInvalid: "error" as const };
  const model =
    method === "feature"
      ? { kind: "logistic_regression" as const, file: "stages/02_model.arrow", featuresCol: "features", numClasses: 2, numFeatures: 2, isMultinomial: false, threshold: 0.5 }
      : { kind: "generalized_linear_regression" as const, file: "stages/02_model.arrow", featuresCol: "features", numFeatures: 1, family: "binomial" as const, link: "logit" as const, linkPower: null, variancePower: null, ddotLanes: null, sparseCoefficients: false, offsetCol: out };
  const d = descriptor({ inputSchema: INPUTS, stages: [source, assembler, model], ...(method === "offset" ? { algorithm: "generalized_linear_regression", task: "regression" as const, numClasses: undefined, outputs: { prediction: "prediction" } } : {}) });
  return { d, tables };
}

const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));
const compiled = (method: "feature" | "offset"): CompiledModel => {
  const s = sourceFiles();
  const t = targetFiles(method);
  return compileModel(t.d, t.tables, new Map([["source/", compileModel(s.d, s.tables)]]));
};

describe("the source_model stage", () => {
  it("feature: the target reads the source's P(class 1) after its own features", () => {
    const m = compiled("feature");
    const r = m.scoreRecord({ x: 0.25, z: 2 });
    expect(r.rawPrediction![1]).toBe(-1 + 3 * 2 + 4 * sigmoid(0.5 + 2 * 0.25));
  });

  it("offset: the GLM adds the source's log-odds to eta", () => {
    const m = compiled("offset");
    expect(m.scoreRecord({ x: 0.25, z: 2 }).prediction).toBe(sigmoid(-1 + 3 * 2 + (0.5 + 2 * 0.25)));
  });

  it.each(["feature", "offset"] as const)("%s: scores a batch on the column path, equal to the row path (nulls imputed by the source)", (method) => {
    const m = compiled(method);
    expect(m.batchPath).toBe("columns");
    const x = [0.1, null, -2, 3.5];
    const z = [1, 2, 3, 4];
    const batch = m.scoreColumns({ x, z }, 4);
    x.forEach((v, i) => expect(batch.prediction[i]).toBe(m.scoreRecord({ x: v, z: z[i] }).prediction));
    if (method === "feature") x.forEach((v, i) => expect(batch.probability![i * 2 + 1]).toBe(m.scoreRecord({ x: v, z: z[i] }).probability![1]));
  });

  it("reads each source output as Spark's side writes it, and refuses one the source has not", () => {
    expect(sourcePick("gbt_classifier", 2, "margin", 1)).toEqual({ from: "rawPrediction", index: 1, scale: 2 });
    expect(sourcePick("logistic_regression", 3, "probability", 3)).toEqual({ from: "probability", all: true });
    expect(sourcePick("generalized_linear_regression", undefined, "margin", 1)).toEqual({ from: "link" });
    expect(() => sourcePick("linear_regression", undefined, "probability", 1)).toThrow(ModelError);
    expect(() => sourcePick("random_forest_classifier", 2, "margin", 1)).toThrow(/no "margin" output/);
  });
});

describe("loading a composite portable model", () => {
  // An in-memory portable/ folder: the target's files and the source's under source/.
  function reader(target: { d: Descriptor; tables: Map<string, ArrowTable> }, embedded: { d: Descriptor; tables: Map<string, ArrowTable> }) {
    const files = new Map<string, Uint8Array>([["descriptor.json", Buffer.from(JSON.stringify(target.d))], ["source/descriptor.json", Buffer.from(JSON.stringify(embedded.d))]]);
    for (const [k, v] of target.tables) files.set(k, tableToIPC(v, "file"));
    for (const [k, v] of embedded.tables) files.set(`source/${k}`, tableToIPC(v, "file"));
    return async (rel: string) => {
      const got = files.get(rel);
      if (!got) throw new Error(`no file ${rel}`);
      return got;
    };
  }

  it("loads the source from portable/source/ and scores as compiled by hand", async () => {
    const m = await loadPortableModel(reader(targetFiles("feature"), sourceFiles()));
    expect(m.scoreRecord({ x: 1, z: 0 })).toEqual(compiled("feature").scoreRecord({ x: 1, z: 0 }));
  });

  it("refuses a source that embeds a source itself, and a source folder outside portable/", async () => {
    const target = targetFiles("feature");
    await expect(loadPortableModel(reader(target, targetFiles("feature")))).rejects.toThrow(/embedded source model holds a source_model stage itself/);
    const outside = { ...target, d: { ...target.d, stages: target.d.stages.map((s) => (s.kind === "source_model" ? { ...s, source: "../x/" } : s)) } };
    await expect(loadPortableModel(reader(outside, sourceFiles()))).rejects.toThrow(/is not a folder name like "source\/"/);
  });
});

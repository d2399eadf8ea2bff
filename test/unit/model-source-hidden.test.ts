// The source_model stage with use hidden (transfer feature, docs/transfer.md): an MLP source's last hidden layer, H
// columns in unit order, read by the target after its own features; row and column paths agree; the loader refuses
// a descriptor whose size or layers do not match the source's weights.
import { describe, expect, it } from "vitest";
import { Field, Float64, List, makeVector, Table, tableToIPC, vectorFromArray } from "apache-arrow";
import { compileModel, loadPortableModel, ModelError, type Descriptor } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import type { MlpStage } from "../../src/model/descriptor.js";
import { sourcePick } from "../../src/model/stages/source-model.js";
import { descriptor, linearTable, table } from "../helpers/portable.js";

const lists = (rows: number[][]) => vectorFromArray(rows, new List(new Field("item", new Float64(), true)));
const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));
const OUT = "__source_hidden";
const W1 = [1.5, -0.5]; // 2 x 1
const B1 = [0.1, 0.2];

type Files = { d: Descriptor; tables: Map<string, ArrowTable> };

// The source: an MLP [1, 2, 2] on x (imputed).
function sourceFiles(layers: number[] = [1, 2, 2]): Files {
  const mlp: MlpStage = { kind: "mlp_classifier", file: "stages/02_mlp.arrow", featuresCol: "features", numFeatures: 1, numClasses: 2, layers, thresholds: null };
  const tables = new Map<string, ArrowTable>([
    ["stages/00_imputer.arrow", table({ x: [1.0] })],
    ["stages/01_vector_assembler.arrow", table({ column: ["x__imp"], size: Int32Array.from([1]) })],
    ["stages/02_mlp.arrow", new Table({ layer: makeVector(Int32Array.from([0, 1])), numIn: makeVector(Int32Array.from([1, 2])), numOut: makeVector(Int32Array.from([2, 2])), weights: lists([W1, [1, -1, 0.5, 2]]), bias: lists([B1, [0, 0.3]]) }) as ArrowTable],
  ]);
  const d = descriptor({
    algorithm: "mlp_classifier",
    inputSchema: [{ name: "x", type: "double", role: "numeric" }],
    stages: [
      { kind: "imputer", file: "stages/00_imputer.arrow", inputCols: ["x"], outputCols: ["x__imp"], strategy: "mean", missingValue: "NaN" },
      { kind: "vector_assembler", file: "stages/01_vector_assembler.arrow", inputCols: ["x__imp"], outputCol: "features", handleInvalid: "error" },
      mlp,
    ],
  });
  return { d, tables };
}

// The target: a logistic regression on [z, h0, h1].
function targetFiles(size = 2): Files {
  const tables = new Map<string, ArrowTable>([
    ["stages/00_source_model.arrow", table({ column: [OUT], size: Int32Array.from([size]) })],
    ["stages/01_vector_assembler.arrow", table({ column: ["z", OUT], size: Int32Array.from([1, 2]) })],
    ["stages/02_model.arrow", linearTable([-1], [[3, 4, -2]])],
  ]);
  const d = descriptor({
    inputSchema: [{ name: "x", type: "double", role: "numeric" }, { name: "z", type: "double", role: "numeric" }],
    stages: [
      { kind: "source_model", file: "stages/00_source_model.arrow", source: "source/", algorithm: "mlp_classifier", use: "hidden", inputCols: ["x"], outputCol: OUT, size },
      { kind: "vector_assembler", file: "stages/01_vector_assembler.arrow", inputCols: ["z", OUT], outputCol: "features", handleInvalid: "error" },
      { kind: "logistic_regression", file: "stages/02_model.arrow", featuresCol: "features", numClasses: 2, numFeatures: 3, isMultinomial: false, threshold: 0.5 },
    ],
  });
  return { d, tables };
}

// An in-memory portable/ folder: the target's files and the source's under source/.
function reader(target: Files, embedded: Files) {
  const files = new Map<string, Uint8Array>([["descriptor.json", Buffer.from(JSON.stringify(target.d))], ["source/descriptor.json", Buffer.from(JSON.stringify(embedded.d))]]);
  for (const [k, v] of target.tables) files.set(k, tableToIPC(v, "file"));
  for (const [k, v] of embedded.tables) files.set(`source/${k}`, tableToIPC(v, "file"));
  return async (rel: string) => files.get(rel) ?? Promise.reject(new Error(`no file ${rel}`));
}

const compiled = () => compileModel(targetFiles().d, targetFiles().tables, new Map([["source/", compileModel(sourceFiles().d, sourceFiles().tables)]]));

describe("source_model use hidden", () => {
  it("appends the source's last hidden layer, unit by unit, after the target's features", () => {
    const r = compiled().scoreRecord({ x: 0.25, z: 2 });
    const h = W1.map((w, u) => sigmoid(w * 0.25 + B1[u]!));
    expect(r.rawPrediction![1]).toBeCloseTo(-1 + 3 * 2 + 4 * h[0]! - 2 * h[1]!, 14);
  });

  it("scores a batch on the column path, equal to the row path", () => {
    const m = compiled();
    expect(m.batchPath).toBe("columns");
    const x = [0.1, null, -2, 3.5];
    const z = [1, 2, 3, 4];
    const batch = m.scoreColumns({ x, z }, 4);
    x.forEach((v, i) => expect(batch.probability![i * 2 + 1]).toBe(m.scoreRecord({ x: v, z: z[i] }).probability![1]));
  });

  it("one hidden unit: a double, not a vector, on both paths", () => {
    const src = sourceFiles();
    src.d.stages[2] = { ...(src.d.stages[2] as MlpStage), layers: [1, 1, 2] };
    src.tables.set("stages/02_mlp.arrow", new Table({ layer: makeVector(Int32Array.from([0, 1])), numIn: makeVector(Int32Array.from([1, 1])), numOut: makeVector(Int32Array.from([1, 2])), weights: lists([[1.5], [1, -1]]), bias: lists([[0.1], [0, 0.3]]) }) as ArrowTable);
    const t = targetFiles(1);
    t.tables.set("stages/01_vector_assembler.arrow", table({ column: ["z", OUT], size: Int32Array.from([1, 1]) }));
    t.tables.set("stages/02_model.arrow", linearTable([-1], [[3, 4]]));
    t.d.stages[2] = { ...(t.d.stages[2] as object), numFeatures: 2 } as Descriptor["stages"][number];
    const m = compileModel(t.d, t.tables, new Map([["source/", compileModel(src.d, src.tables)]]));
    expect(m.scoreRecord({ x: 0.25, z: 2 }).rawPrediction![1]).toBeCloseTo(-1 + 6 + 4 * sigmoid(1.5 * 0.25 + 0.1), 14);
    const batch = m.scoreColumns({ x: [0.25, -1], z: [2, 0] }, 2);
    expect(batch.probability![3]).toBe(m.scoreRecord({ x: -1, z: 0 }).probability![1]);
  });

  it("sourcePick: hidden only from an MLP with a hidden layer, as wide as it", () => {
    expect(sourcePick("mlp_classifier", 2, "hidden", 4, 4)).toEqual({ from: "hidden" });
    expect(() => sourcePick("mlp_classifier", 2, "hidden", 3, 4)).toThrow(/size 3 for use hidden, but the source's last hidden layer has 4 units/);
    expect(() => sourcePick("mlp_classifier", 2, "hidden", 2, undefined)).toThrow(/has none/);
    expect(() => sourcePick("logistic_regression", 2, "hidden", 1, undefined)).toThrow(/reads an mlp_classifier's last hidden layer/);
    expect(() => sourcePick("mlp_classifier", 2, "hidden", -1, 4)).toThrow(/size -1 is not a positive integer/);
    expect(() => sourcePick("mlp_classifier", 2, "hidden", 1e12 + 0.5, 4)).toThrow(ModelError);
  });

  it("loads from portable/ and refuses a damaged descriptor with a clear error", async () => {
    const m = await loadPortableModel(reader(targetFiles(), sourceFiles()));
    expect(m.scoreRecord({ x: 1, z: 0 })).toEqual(compiled().scoreRecord({ x: 1, z: 0 }));
    await expect(loadPortableModel(reader(targetFiles(3), sourceFiles()))).rejects.toThrow(/size 3 for use hidden, but the source's last hidden layer has 2 units/);
    await expect(loadPortableModel(reader(targetFiles(), sourceFiles([1, 5, 2])))).rejects.toThrow(/source\/.*mlp_classifier: layers \[1,5,2\] in the descriptor, \[1, 2, 2\] in its table/);
    const bad = targetFiles();
    bad.d.stages[0] = { ...bad.d.stages[0]!, size: "2" } as unknown as Descriptor["stages"][number];
    await expect(loadPortableModel(reader(bad, sourceFiles()))).rejects.toThrow(ModelError);
  });
});

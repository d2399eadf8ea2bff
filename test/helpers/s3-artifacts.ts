// A registered version without Spark: a small portable model (x1, x2 -> logistic regression), its parity
// sample, metrics, a large opaque "native model" file and the MANIFEST.json, written to any store.
import { createHash, randomBytes } from "node:crypto";
import { Field, Float64, List, makeVector, Table, tableToIPC, vectorFromArray } from "apache-arrow";
import { compileModel } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import { registerVersion, type VersionRecord } from "../../src/registry/index.js";
import type { Store } from "../../src/store/index.js";
import { descriptor, linearTable, table } from "./portable.js";
import { versionInput } from "./registry-input.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export interface SeededRun {
  prefix: string;
  files: Record<string, Buffer>; // path under model/ -> bytes
  manifest: Buffer;
}

// Builds the run's files once (random bytes for the large file), so the same bytes can be written again after a restart.
export function buildRun(model: string, largeBytes: number, runId = "r1"): SeededRun {
  const tables = new Map<string, ArrowTable>([
    ["stages/00_va.arrow", table({ column: ["x1", "x2"], size: Int32Array.from([1, 1]) })],
    ["stages/01_lr.arrow", linearTable([0.5], [[2, -1]])],
  ]);
  const d = descriptor({
    inputSchema: [
      { name: "x1", type: "double", role: "numeric" },
      { name: "x2", type: "double", role: "numeric" },
    ],
    stages: [
      { kind: "vector_assembler", file: "stages/00_va.arrow", inputCols: ["x1", "x2"], outputCol: "features", handleInvalid: "error" },
      { kind: "logistic_regression", file: "stages/01_lr.arrow", featuresCol: "features", numClasses: 2, numFeatures: 2, isMultinomial: false, threshold: 0.5 },
    ],
  });
  const scorer = compileModel(d, tables);
  const x1 = Array.from({ length: 200 }, (_, i) => i / 50 - 2);
  const x2 = Array.from({ length: 200 }, (_, i) => (i % 7) / 3);
  // scoreValues reuses its output arrays from call to call: copy each row's values out.
  const scored = x1.map((a, i) => {
    const p = scorer.scoreValues([a, x2[i]!]);
    return { prediction: p.prediction, probability: Array.from(p.probability!), rawPrediction: Array.from(p.rawPrediction!) };
  });
  const parity = new Table({
    x1: makeVector(Float64Array.from(x1)),
    x2: makeVector(Float64Array.from(x2)),
    spark_prediction: vectorFromArray(scored.map((s) => s.prediction), new Float64()),
    spark_probability: vectorFromArray(scored.map((s) => s.probability), new List(new Field("item", new Float64(), true))),
    spark_raw_prediction: vectorFromArray(scored.map((s) => s.rawPrediction), new List(new Field("item", new Float64(), true))),
  });
  const files: Record<string, Buffer> = {
    "portable/descriptor.json": Buffer.from(JSON.stringify(d)),
    "metrics.json": Buffer.from(JSON.stringify({ task: "binary_classification", metrics: { areaUnderROC: 0.8 } })),
    "parity.arrow": Buffer.from(tableToIPC(parity, "file")),
    "spark/data/part-00000.bin": randomBytes(largeBytes),
  };
  for (const [name, t] of tables) files[`portable/${name}`] = Buffer.from(tableToIPC(t, "file"));
  const manifest = Buffer.from(
    JSON.stringify({ formatVersion: 1, runId, files: Object.entries(files).map(([path, body]) => ({ path, sha256: sha(body), size: body.length })).sort((a, b) => a.path.localeCompare(b.path)) }),
  );
  return { prefix: `runs/${model}/${runId}/model`, files, manifest };
}

// Writes the run's files and MANIFEST.json (last) to the store.
export async function writeRun(store: Store, run: SeededRun): Promise<void> {
  for (const [path, body] of Object.entries(run.files)) await store.put(`${run.prefix}/${path}`, body);
  await store.put(`${run.prefix}/MANIFEST.json`, run.manifest);
}

// Writes the run and registers it as the model's next version.
export async function seedVersion(store: Store, model: string, run: SeededRun): Promise<VersionRecord> {
  await writeRun(store, run);
  const bytes = Object.values(run.files).reduce((n, b) => n + b.length, 0);
  return registerVersion(store, {
    ...versionInput(model),
    artifacts: { store: store.location, prefix: run.prefix, manifestSha256: sha(run.manifest), files: Object.keys(run.files).length, bytes },
  });
}

// What the model answers for x1, x2 (the logistic regression's formula, for checking predictions).
export const expectedProbability = (x1: number, x2: number) => 1 / (1 + Math.exp(-(0.5 + 2 * x1 - x2)));

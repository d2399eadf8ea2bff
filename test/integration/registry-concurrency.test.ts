// 20 processes register versions of one model at once on the local store: 20 distinct versions, none lost.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { join } from "node:path";
import { projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

describe("concurrent registration across processes", () => {
  it("gives every one of 20 processes its own version", async () => {
    const store = join(tempDir("mlship-conc-"), "store");
    const script = `
      const { LocalStore } = await import(${JSON.stringify(join(projectRoot, "dist/store/index.js"))});
      const { registerVersion } = await import(${JSON.stringify(join(projectRoot, "dist/registry/index.js"))});
      const runId = process.argv[1];
      const v = await registerVersion(new LocalStore(process.env.STORE), {
        model: "churn", algorithm: "logistic_regression", task: "binary_classification",
        artifacts: { store: "s", prefix: "p", manifestSha256: "m", files: 1, bytes: 1 }, metrics: {},
        parity: { rows: 200, maxAbsDiff: 0, tolerance: 1e-9, labelMismatches: 0, passed: true },
        lineage: { runId, job: "churn", specFile: "f", specSha256: "s", gitCommit: null, data: { train: "d", format: "parquet" } },
      });
      console.log(JSON.stringify({ runId, version: v.version }));`;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => execa(process.execPath, ["--input-type=module", "-e", script, `run-${i}`], { env: { STORE: store } })),
    );
    const made = results.map((r) => JSON.parse(String(r.stdout)) as { runId: string; version: number });
    expect(new Set(made.map((m) => m.version)).size).toBe(20);
    expect(made.map((m) => m.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

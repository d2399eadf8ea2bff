// The shared standalone cluster (test/integration/global-setup.ts) trains the quickstart job in client mode.
import { describe, expect, inject, it } from "vitest";
import { join } from "node:path";
import { mlship } from "../helpers/cli.js";
import { masterState } from "../helpers/standalone.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-standalone-");

describe("standalone cluster", () => {
  it("trains and registers on the shared master and worker, and the master lists the finished application", async () => {
    const cluster = inject("standalone");
    const store = join(work, "store");
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--set", `spark.master=${cluster.masterUrl}`, "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    const run = JSON.parse((await mlship(["runs", "show", out.runId, "--store", store, "--json"])).stdout);
    expect(run.sparkApplicationId).toMatch(/^app-\d+-\d+$/); // a standalone application id, not local-…
    const state = await masterState(cluster);
    expect(state.completedapps.map((a) => a.id)).toContain(run.sparkApplicationId);
  });
});

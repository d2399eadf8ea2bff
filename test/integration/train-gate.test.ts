// The promotion gate's notWorseThanCurrentBy: with registered versions on both backends, and in one real `mlship train` (exit 3).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { LocalStore, openStore } from "../../src/store/index.js";
import { getAlias, getVersion, moveAlias, registerVersion } from "../../src/registry/index.js";
import { promote } from "../../src/runs/promote.js";
import { mlship } from "../helpers/cli.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { storeBackends } from "../helpers/store-backends.js";
import { tempDir } from "../helpers/tmp.js";
import { versionInput } from "../helpers/registry-input.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

const work = tempDir("mlship-gate-");

describe.each(storeBackends(work, () => server))("notWorseThanCurrentBy on the %s store", (_name, fresh) => {
  it("promotes within the margin, refuses beyond it, in each metric's direction", async () => {
    const s = fresh();
    const rmse = async (value: number) => registerVersion(s, { ...versionInput("houses"), task: "regression", metrics: { rmse: value } });
    const gate = { alias: "production", when: { metric: "rmse", notWorseThanCurrentBy: 0.5 } };
    const v1 = await rmse(10);
    expect(await promote(s, "houses", v1, gate)).toMatchObject({ promoted: true, previous: null, reason: expect.stringMatching(/no current version to compare rmse with/) });
    const v2 = await rmse(10.4); // worse (higher) by 0.4: within
    expect(await promote(s, "houses", v2, gate)).toMatchObject({ promoted: true, previous: 1 });
    const v3 = await rmse(11); // worse than 10.4 by 0.6: beyond
    const refused = await promote(s, "houses", v3, gate);
    expect(refused).toMatchObject({ promoted: false, previous: 2 });
    expect(refused.reason).toMatch(/rmse 11 vs 10\.4 of current version 2 \(lower is better\): worse by 0\.6, more than the margin 0\.5/);
    const v4 = await rmse(7); // better
    expect(await promote(s, "houses", v4, gate)).toMatchObject({ promoted: true, previous: 2 });
    const alias = (await getAlias(s, "houses", "production"))!.record;
    expect(alias.version).toBe(4);
    expect(alias.history.map((e) => e.version)).toEqual([1, 2, 4]);
  });
});

describe("mlship train with a gate the new version fails (real local Spark)", () => {
  const store = join(work, "train");
  let result: { exitCode: number; stderr: string; json: any };

  beforeAll(async () => {
    // The alias's current version: a fake registration with an AUC no real run of the quickstart reaches.
    const s = new LocalStore(store);
    const current = await registerVersion(s, { ...versionInput("churn", "fake-run"), metrics: { areaUnderROC: 0.999 } });
    expect(await moveAlias(s, "churn", "staging", current.version)).toMatchObject({ ok: true });
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--json", "--quiet", "--set", "promote.when.notWorseThanCurrentBy=0.001"]);
    result = { exitCode: r.exitCode, stderr: r.stderr, json: r.stdout ? JSON.parse(r.stdout) : null };
  });

  it("registers version 2 but does not promote it: exit 3, with the reason in words", () => {
    expect(result.exitCode, result.stderr).toBe(3);
    const j = result.json;
    expect(j).toMatchObject({ ok: true, model: "churn", version: 2, parity: { passed: true } });
    expect(j.metrics.areaUnderROC).toBeGreaterThan(0.7);
    expect(j.metrics.areaUnderROC).toBeLessThan(0.998);
    expect(j.promotion).toMatchObject({ alias: "staging", promoted: false, previous: 1 });
    const checks = Object.fromEntries(j.promotion.checks.map((c: { check: string; passed: boolean }) => [c.check, c.passed]));
    expect(checks).toEqual({ parity: true, min: true, notWorseThanCurrentBy: false });
    expect(j.promotion.reason).toMatch(/^areaUnderROC 0\.\d+ vs 0\.999 of current version 1 \(higher is better\): worse by 0\.\d+, more than the margin 0\.001$/);
  });

  it("keeps the effective spec and the fitted parameters, and `models diff` compares the versions", async () => {
    const v2 = (await getVersion(new LocalStore(store), "churn", 2))!;
    expect(v2.spec).toMatchObject({ name: "churn", promote: { when: { notWorseThanCurrentBy: 0.001 } }, model: { params: { regParam: 0.01 } } });
    expect(v2.lineage.overrides).toEqual(["promote.when.notWorseThanCurrentBy=0.001"]);
    expect(v2.params?.stage).toBe("LogisticRegressionModel");
    expect(v2.params?.params).toMatchObject({ regParam: 0.01, maxIter: 100, elasticNetParam: 0, fitIntercept: true }); // set and default
    const diff = await mlship(["models", "diff", "churn@1", "2", "--store", store, "--json"]);
    expect(diff.exitCode, diff.stderr).toBe(0);
    const doc = JSON.parse(diff.stdout);
    expect(doc.notKept).toEqual({ a: ["params", "spec"], b: [] }); // version 1 was registered without them
    expect(doc.differences).toContainEqual(expect.objectContaining({ section: "metrics", field: "areaUnderROC", a: 0.999, b: v2.metrics.areaUnderROC }));
  });

  it("leaves the alias and its history as they were, and records the run", async () => {
    const s = new LocalStore(store);
    const alias = (await getAlias(s, "churn", "staging"))!.record;
    expect(alias).toMatchObject({ version: 1, history: [expect.objectContaining({ version: 1 })] });
    expect(await getVersion(s, "churn", 2)).not.toBeNull();
    const runs = await mlship(["runs", "list", "--store", store, "--json"]);
    const run = JSON.parse(runs.stdout).runs[0];
    expect(run).toMatchObject({ job: "churn", status: "succeeded", registeredVersion: 2 });
    const logs = await mlship(["runs", "logs", run.runId, "--store", store]);
    expect(logs.exitCode, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("mlship: ");
    // an operator can still promote it by hand, stating what they expect to replace
    const promoted = await mlship(["promote", "churn@2", "--to", "staging", "--expect", "1", "--store", store, "--json"]);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ ok: true, version: 2, previous: 1, action: "promote" });
  });
});

// The registry and run-record commands through the built CLI, on the local store and on a real S3 server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/index.js";
import { registerVersion } from "../../src/registry/index.js";
import { writeRunRecord, type RunRecord } from "../../src/runs/record.js";
import { mlship } from "../helpers/cli.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { s3Location } from "../helpers/store-backends.js";
import { tempDir } from "../helpers/tmp.js";
import { versionInput } from "../helpers/registry-input.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

const root = tempDir("mlship-registry-cli-");
let n = 0;

// A fresh empty store as the CLI names it (--store), the environment it needs, and the same store opened here.
interface Backend {
  location: string;
  env: Record<string, string>;
  store: Store;
}
const backends: [string, () => Backend][] = [
  ["local", () => {
    const location = join(root, `store-${n++}`);
    return { location, env: {}, store: openStore(location, "/") };
  }],
  ["s3", () => {
    const location = s3Location(server, "cli");
    return { location, env: server.env, store: openStore(location, "/", server.env) };
  }],
];

// Registers `count` versions of model "churn" (areaUnderROC 0.80, 0.81, ...) without Spark.
async function withVersions(b: Backend, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await registerVersion(b.store, { ...versionInput("churn", `run-${i}`), metrics: { areaUnderROC: 0.8 + i / 100 } });
}

describe.each(backends)("registry commands on the %s store", (_name, fresh) => {
  const cli = (b: Backend, ...args: string[]) => mlship([...args, "--store", b.location], { env: b.env });
  const json = async (b: Backend, ...args: string[]) => {
    const r = await cli(b, ...args, "--json");
    expect(r.exitCode, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it("alias set with --expect: of two concurrent moves from the same version exactly one wins, the other is a conflict naming the current version", async () => {
    const b = fresh();
    await withVersions(b, 3);
    expect(await json(b, "alias", "set", "churn@production", "1", "--expect", "none")).toMatchObject({ ok: true, version: 1, previous: null, changed: true, action: "set" });
    const [a, c] = await Promise.all([cli(b, "alias", "set", "churn@production", "2", "--expect", "1"), cli(b, "alias", "set", "churn@production", "3", "--expect", "1")]);
    const seen = JSON.stringify([a, c]);
    expect([a.exitCode, c.exitCode].sort(), seen).toEqual([0, 1]);
    const [winner, loser] = a.exitCode === 0 ? [a, c] : [c, a];
    const won = winner === a ? 2 : 3;
    expect(winner.stdout).toContain(`churn@production -> ${won} (was 1)`);
    expect(loser.stderr).toContain(`conflict: churn@production points at ${won}, not 1 as --expect said; nothing changed`);
    const shown = await json(b, "models", "show", "churn@production");
    expect(shown).toMatchObject({ version: won, aliases: ["production"] });
    // the same conflict as JSON, with its stable code
    const stale = await cli(b, "alias", "set", "churn@production", "1", "--expect", "1", "--json");
    expect(stale.exitCode).toBe(1);
    expect(JSON.parse(stale.stdout)).toMatchObject({ ok: false, error: { code: "E_CONFLICT", message: expect.stringContaining(`points at ${won}`) } });
  });

  it("promote, then rollback twice walks the alias back, with the whole history kept", async () => {
    const b = fresh();
    await withVersions(b, 3);
    for (const v of ["1", "2", "3"]) expect((await cli(b, "promote", `churn@${v}`, "--to", "production", "--reason", `release ${v}`)).exitCode).toBe(0);
    expect(await json(b, "rollback", "churn@production")).toMatchObject({ ok: true, version: 2, previous: 3, action: "rollback", rollbackTo: 1 });
    const second = await cli(b, "rollback", "churn@production", "--expect", "2");
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain("churn@production -> 1 (rolled back from 2)");
    const third = await cli(b, "rollback", "churn@production");
    expect(third.exitCode).toBe(1);
    expect(third.stderr).toMatch(/no earlier version to roll back to/);
    const history = await json(b, "alias", "history", "churn@production");
    expect(history).toMatchObject({ model: "churn", alias: "production", version: 1, rollbackStack: [] });
    expect(history.history.map((e: { action: string; from: number | null; version: number }) => `${e.action} ${e.from}->${e.version}`)).toEqual([
      "promote null->1",
      "promote 1->2",
      "promote 2->3",
      "rollback 3->2",
      "rollback 2->1",
    ]);
    expect(history.history[1].reason).toBe("release 2");
    const table = await cli(b, "alias", "history", "churn@production");
    expect(table.stdout).toMatch(/^AT\s+ACTION\s+FROM\s+TO\s+BY\s+REASON$/m);
  });

  it("tags a version, lists versions with metric, parity, aliases and tags, and soft-deletes", async () => {
    const b = fresh();
    await withVersions(b, 3);
    await json(b, "alias", "set", "churn@production", "2");
    expect(await json(b, "tag", "churn@2", "stage=canary", "owner=ana")).toEqual({ ok: true, model: "churn", version: 2, tags: { owner: "ana", stage: "canary" } });
    expect(await json(b, "tag", "churn@2", "--remove", "owner")).toMatchObject({ tags: { stage: "canary" } });
    expect((await cli(b, "tag", "churn@2", "bad key=1")).exitCode).toBe(2);

    const listed = await json(b, "models", "versions", "churn");
    expect(listed.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
    expect(listed.versions[1]).toMatchObject({ version: 2, keyMetric: { name: "areaUnderROC", value: 0.81 }, parity: { passed: true }, aliases: ["production"], tags: { stage: "canary" }, deleted: null });
    const table = await cli(b, "models", "versions", "churn");
    expect(table.stdout.split("\n")[0]).toMatch(/^VERSION\s+CREATED\s+ALGORITHM\s+METRIC\s+PARITY\s+ALIASES\s+TAGS$/);
    expect(table.stdout).toMatch(/^2\s+\S+\s+logistic_regression\s+areaUnderROC=0\.8100\s+passed \(0\.0e\+0\)\s+production\s+stage=canary$/m);

    // refused while aliased (exit 1), allowed for an unaliased version
    const refused = await cli(b, "models", "delete", "churn@2");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("churn@2 is what churn@production points at");
    expect(await json(b, "models", "delete", "churn@3", "--reason", "bad data")).toMatchObject({ ok: true, version: 3, deleted: { reason: "bad data" } });
    expect((await json(b, "models", "versions", "churn")).versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const all = await json(b, "models", "versions", "churn", "--all");
    expect(all.versions[2]).toMatchObject({ version: 3, deleted: { reason: "bad data" } });
    expect(await json(b, "models", "list")).toMatchObject({ models: [{ model: "churn", latest: 2, versions: 2, deleted: 1, aliases: { production: 2 } }] });
    expect((await cli(b, "models", "show", "churn@latest")).stdout).toMatch(/^churn@2 /);
    expect(await json(b, "models", "show", "churn@3")).toMatchObject({ version: 3, deleted: { reason: "bad data" } });
    const aliasDeleted = await cli(b, "alias", "set", "churn@staging", "3");
    expect(aliasDeleted.exitCode).toBe(2);
    expect(aliasDeleted.stderr).toContain("churn@3 is deleted");
    expect((await cli(b, "predict", "churn@3", "-i", "x.csv", "-o", "y.csv")).stderr).toContain('no model version matches "churn@3"');
    // the record and its number stay: the next registration is 4
    expect((await registerVersion(b.store, versionInput("churn"))).version).toBe(4);
  });

  it("lists, shows and prints the logs of runs", async () => {
    const b = fresh();
    const run = (job: string, runId: string, status: RunRecord["status"], extra: Partial<RunRecord> = {}): RunRecord => ({
      runId, job, status, submittedAt: "2026-01-02T03:04:05.000Z", argv: ["spark-submit", "--master", "local[2]"], specFile: `jobs/${job}.yaml`, specSha256: "b".repeat(64), gitCommit: null, ...extra,
    });
    await writeRunRecord(b.store, run("churn", "20260102T030405Z-aaaaaa", "succeeded", { durationSeconds: 41.5, registeredVersion: 1, exitCode: 0, sparkApplicationId: "local-1" }));
    await writeRunRecord(b.store, run("churn", "20260103T030405Z-bbbbbb", "failed", { exitCode: 1, error: "Spark job failed" }));
    await writeRunRecord(b.store, run("houses", "20260104T030405Z-cccccc", "succeeded"));
    await b.store.put("runs/churn/20260102T030405Z-aaaaaa/driver.log", "line one\nmlship: fitted\n");
    await b.store.put("runs/churn/20260102T030405Z-aaaaaa/eventlog/local-1", '{"Event":"SparkListenerApplicationStart"}\n');
    await b.store.put("runs/churn/20260102T030405Z-aaaaaa/model/MANIFEST.json", "{}");

    const all = await json(b, "runs", "list");
    expect(all.runs.map((r: RunRecord) => r.runId)).toEqual(["20260104T030405Z-cccccc", "20260103T030405Z-bbbbbb", "20260102T030405Z-aaaaaa"]);
    expect((await json(b, "runs", "list", "--job", "churn", "--status", "succeeded")).runs).toEqual([expect.objectContaining({ runId: "20260102T030405Z-aaaaaa", registeredVersion: 1 })]);
    expect((await json(b, "runs", "list", "--limit", "1")).runs).toHaveLength(1);
    const table = await cli(b, "runs", "list");
    expect(table.stdout).toMatch(/^20260102T030405Z-aaaaaa\s+churn\s+succeeded\s+2026-01-02T03:04:05Z\s+41\.5s\s+1\s+local-1$/m);
    expect((await cli(b, "runs", "list", "--status", "nope")).exitCode).toBe(2);

    const shown = await json(b, "runs", "show", "20260102T030405Z-aaaaaa");
    expect(shown).toMatchObject({ runId: "20260102T030405Z-aaaaaa", status: "succeeded", files: { driverLog: "driver.log", eventLog: ["eventlog/local-1"], artifacts: 1 } });
    expect((await cli(b, "runs", "show", "churn/20260103T030405Z-bbbbbb")).stdout).toMatch(/error\s+Spark job failed/);
    const missing = await cli(b, "runs", "show", "nope");
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no run "nope"');

    const logs = await cli(b, "runs", "logs", "20260102T030405Z-aaaaaa");
    expect(logs.stdout).toBe("line one\nmlship: fitted"); // execa drops the final newline
    const events = await cli(b, "runs", "logs", "20260102T030405Z-aaaaaa", "--event-log");
    expect(events.stdout).toContain("SparkListenerApplicationStart");
    const noEvents = await cli(b, "runs", "logs", "20260103T030405Z-bbbbbb", "--event-log");
    expect(noEvents.exitCode).toBe(1);
    expect(noEvents.stderr).toContain("no Spark event log");
  });
});

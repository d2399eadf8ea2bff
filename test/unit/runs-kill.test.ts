// `runs kill` (src/runs/kill.ts) and `runs attach` (src/runs/attach.ts) against a local store, with the supervisor
// probe, the signal and the cluster commands passed in.
import { describe, expect, it } from "vitest";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalStore } from "../../src/store/index.js";
import { readRunRecord, writeRunRecord, type RunRecord } from "../../src/runs/record.js";
import { killRun, type KillWorld } from "../../src/runs/kill.js";
import { attachRun } from "../../src/runs/attach.js";
import { locateSupervisor } from "../../src/runs/supervisor.js";
import type { RemoteCommand } from "../../src/remote/index.js";
import { tempDir } from "../helpers/tmp.js";

// The error a promise rejects with (a fulfilled one fails the test).
const thrown = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a rejection"); }, (err: unknown) => err);

const NOW = new Date("2026-12-07T14:00:00Z");
const base = (over: Partial<RunRecord> = {}): RunRecord => ({
  runId: "r1", job: "slowjar", status: "running", submittedAt: NOW.toISOString(), startedAt: NOW.toISOString(), argv: ["spark-submit"],
  specFile: "slow.yaml", specSha256: "0".repeat(64), gitCommit: null, heartbeatAt: NOW.toISOString(), heartbeatSeconds: 15,
  supervisor: { pid: 4242, host: "here" }, ...over,
});

function world(store: LocalStore, over: Partial<KillWorld> = {}) {
  const calls: { signalled: number[]; ran: RemoteCommand[] } = { signalled: [], ran: [] };
  const w: KillWorld = {
    store, now: () => NOW, probe: { host: "here", alive: () => true },
    signal: (pid) => void calls.signalled.push(pid),
    tools: { sparkSubmit: "/opt/spark/bin/spark-submit", yarn: null },
    run: async (c) => (calls.ran.push(c), { ok: true, output: "" }),
    sleep: async () => undefined, progress: () => undefined, waitSeconds: 0.05, ...over,
  };
  return { w, calls };
}

describe("killRun", () => {
  it("a run that ended: E_RUN_ENDED (exit 5), nothing signalled", async () => {
    const store = new LocalStore(tempDir());
    await writeRunRecord(store, base({ status: "succeeded", endedAt: NOW.toISOString() }));
    const { w, calls } = world(store);
    const err = await thrown(killRun(w, "slowjar", "r1"));
    expect(err).toMatchObject({ code: "E_RUN_ENDED", exitCode: 5, message: expect.stringContaining("already ended (succeeded") });
    expect(calls.signalled).toEqual([]);
  });

  it("a live supervisor on this host gets SIGTERM and records the end itself", async () => {
    const store = new LocalStore(tempDir());
    await writeRunRecord(store, base());
    const { w, calls } = world(store, {
      signal: (pid) => void writeRunRecord(store, base({ status: "killed", supervisor: { pid, host: "here" } })),
      waitSeconds: 5,
    });
    const out = await killRun(w, "slowjar", "r1");
    expect(out.status).toBe("killed");
    expect(calls.ran).toEqual([]);
  });

  it("a lost cluster-mode run: the remote driver is killed through the cluster and the record says killed", async () => {
    const store = new LocalStore(tempDir());
    const remote = { manager: "standalone" as const, master: "spark://m:7077", driverId: "driver-20261207133955-0000", submitVia: "rpc" as const, state: "RUNNING" };
    await writeRunRecord(store, base({ heartbeatAt: "2026-12-07T13:00:00Z", remote }));
    const { w, calls } = world(store, { probe: { host: "here", alive: () => false } });
    const out = await killRun(w, "slowjar", "r1");
    expect(out.status).toBe("killed");
    expect(calls.signalled).toEqual([]);
    expect(calls.ran).toEqual([{ ok: true, argv: ["/opt/spark/bin/spark-class", "org.apache.spark.deploy.Client", "kill", "spark://m:7077", "driver-20261207133955-0000"] }]);
    expect(await readRunRecord(store, "slowjar", "r1")).toMatchObject({ status: "killed", errorCode: "E_KILLED", remote: { killed: { ok: true } } });
  });

  it("a client-mode run supervised on another host: E_KILL_FAILED naming where to run it", async () => {
    const store = new LocalStore(tempDir());
    await writeRunRecord(store, base({ supervisor: { pid: 7, host: "edge-2" } }));
    const err = await thrown(killRun(world(store).w, "slowjar", "r1"));
    expect(err).toMatchObject({ code: "E_KILL_FAILED", message: expect.stringContaining("pid 7 on edge-2") });
  });

  it("a refused remote kill is E_KILL_FAILED with the cluster's words", async () => {
    const store = new LocalStore(tempDir());
    await writeRunRecord(store, base({ supervisor: { pid: 7, host: "edge-2" }, remote: { manager: "yarn", master: "yarn", yarnApplicationId: "application_1765100000000_0042" } }));
    const err = await thrown(killRun(world(store, { run: async () => ({ ok: false, message: "`yarn` is not on PATH; kill the driver with: yarn application -kill application_1765100000000_0042" }) }).w, "slowjar", "r1"));
    expect(err).toMatchObject({ code: "E_KILL_FAILED", message: expect.stringContaining("yarn application -kill application_1765100000000_0042") });
  });
});

describe("locateSupervisor", () => {
  it.each([
    [undefined, { where: "unknown" }],
    [{ pid: 1, host: "other" }, { where: "elsewhere", pid: 1, host: "other" }],
    [{ pid: 2, host: "here" }, { where: "here", pid: 2, alive: true }],
  ])("%j", (sup, expected) => {
    expect(locateSupervisor(sup, { host: "here", alive: () => true })).toEqual(expected);
  });
});

describe("attachRun", () => {
  it("prints the live log's new lines and the status changes, then the archived rest once the run ended", async () => {
    const dir = tempDir();
    const store = new LocalStore(join(dir, "store"));
    const log = join(dir, "driver.log");
    writeFileSync(log, "line 1\nmlship: event {\"applicationId\":\"app-1\"}\n");
    await writeRunRecord(store, base({ driverLog: log }));
    const lines: string[] = [];
    const notes: string[] = [];
    let tick = 0;
    const done = await attachRun(
      {
        store, now: () => NOW, probe: { host: "here", alive: () => true },
        line: (l) => lines.push(l), note: (n) => notes.push(n),
        sleep: async () => {
          tick++;
          if (tick === 1) appendFileSync(log, "line 2\npartial");
          if (tick === 2) {
            await store.put("runs/slowjar/r1/driver.log", Buffer.from("line 1\nmlship: event {\"applicationId\":\"app-1\"}\nline 2\npartial line 3\n"));
            await writeRunRecord(store, base({ status: "failed", errorCode: "E_RUN_FAILED", driverLog: log }));
          }
        },
      },
      "slowjar",
      "r1",
    );
    expect(done.status).toBe("failed");
    expect(lines).toEqual(["line 1", "line 2", "partial line 3"]);
    expect(notes).toEqual([expect.stringContaining("run r1: running (mlship pid 4242 on here)"), "run r1: failed"]);
  });

  it("a lost run ends the follow", async () => {
    const store = new LocalStore(tempDir());
    await writeRunRecord(store, base({ heartbeatAt: "2026-12-07T13:00:00Z" }));
    const notes: string[] = [];
    const done = await attachRun({ store, now: () => NOW, probe: { host: "elsewhere", alive: () => false }, line: () => undefined, note: (n) => notes.push(n), sleep: async () => undefined }, "slowjar", "r1");
    expect(done.status).toBe("lost");
    expect(notes).toEqual(["run r1: lost"]);
  });
});

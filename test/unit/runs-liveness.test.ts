// The `lost` rule (computed on read from run.json's heartbeat), the heartbeat interval, and run.json's write queue.
import { describe, expect, it } from "vitest";
import { heartbeatSeconds, shownStatus, withShownStatus } from "../../src/runs/liveness.js";
import { liveRecord } from "../../src/runs/live-record.js";
import { readRunRecord, writeRunRecord, type RunRecord } from "../../src/runs/record.js";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { LocalStore } from "../../src/store/local.js";
import { UserError } from "../../src/errors.js";
import { tempDir } from "../helpers/tmp.js";

const NOW = new Date("2026-12-07T12:00:00.000Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();

describe("shownStatus", () => {
  it.each([
    ["running, beat 10 s ago, every 15 s", { status: "running", heartbeatAt: ago(10), heartbeatSeconds: 15 }, "running"],
    ["running, beat exactly 3 intervals ago", { status: "running", heartbeatAt: ago(45), heartbeatSeconds: 15 }, "running"],
    ["running, beat 46 s ago, every 15 s", { status: "running", heartbeatAt: ago(46), heartbeatSeconds: 15 }, "lost"],
    ["submitted, stale", { status: "submitted", heartbeatAt: ago(100), heartbeatSeconds: 15 }, "lost"],
    ["running, every 1 s, beat 4 s ago", { status: "running", heartbeatAt: ago(4), heartbeatSeconds: 1 }, "lost"],
    ["no interval recorded: the default 15 s", { status: "running", heartbeatAt: ago(40) }, "running"],
    ["no heartbeat (an older record): as recorded", { status: "running" }, "running"],
    ["an unreadable heartbeat: as recorded", { status: "running", heartbeatAt: "yesterday" }, "running"],
    ["succeeded long ago", { status: "succeeded", heartbeatAt: ago(9999), heartbeatSeconds: 15 }, "succeeded"],
    ["failed long ago", { status: "failed", heartbeatAt: ago(9999), heartbeatSeconds: 15 }, "failed"],
    ["killed long ago", { status: "killed", heartbeatAt: ago(9999), heartbeatSeconds: 15 }, "killed"],
  ] as const)("%s", (_, record, expected) => {
    expect(shownStatus(record, NOW)).toBe(expected);
  });

  it("keeps the recorded status beside a lost one", () => {
    expect(withShownStatus({ status: "running" as const, heartbeatAt: ago(100), heartbeatSeconds: 1, runId: "r" }, NOW)).toEqual({
      status: "lost",
      recordedStatus: "running",
      heartbeatAt: ago(100),
      heartbeatSeconds: 1,
      runId: "r",
    });
    expect(withShownStatus({ status: "running" as const, heartbeatAt: ago(1), heartbeatSeconds: 15 }, NOW)).not.toHaveProperty("recordedStatus");
  });
});

describe("heartbeatSeconds", () => {
  it("is 15 s unless MLSHIP_HEARTBEAT_SECONDS says otherwise", () => {
    expect(heartbeatSeconds({})).toBe(15);
    expect(heartbeatSeconds({ MLSHIP_HEARTBEAT_SECONDS: "" })).toBe(15);
    expect(heartbeatSeconds({ MLSHIP_HEARTBEAT_SECONDS: "1" })).toBe(1);
    expect(heartbeatSeconds({ MLSHIP_HEARTBEAT_SECONDS: "0.5" })).toBe(0.5);
  });

  it.each(["0", "-1", "fast", "1e9", "Infinity"])("refuses %s as a usage error", (raw) => {
    expect(() => heartbeatSeconds({ MLSHIP_HEARTBEAT_SECONDS: raw })).toThrow(UserError);
    expect(() => heartbeatSeconds({ MLSHIP_HEARTBEAT_SECONDS: raw })).toThrow(/MLSHIP_HEARTBEAT_SECONDS/);
  });
});

describe("liveRecord", () => {
  const base = (): RunRecord => ({ runId: "20261207T120000Z-abcdef", job: "churn", status: "running", submittedAt: NOW.toISOString(), argv: [], specFile: "j.yaml", specSha256: "0".repeat(64), gitCommit: null });

  it("writes in order with a fresh heartbeat, beats on its own, and stops", async () => {
    const store = new LocalStore(tempDir("mlship-live-"));
    const record = base();
    let clock = NOW.getTime();
    const live = liveRecord(store, record, { now: () => new Date((clock += 1000)), everySeconds: 0.05 });
    await live.write();
    const first = await readRunRecord(store, "churn", record.runId);
    expect(first).toMatchObject({ status: "running", heartbeatSeconds: 0.05, heartbeatAt: "2026-12-07T12:00:01.000Z" });
    live.startHeartbeat();
    await new Promise((r) => setTimeout(r, 300));
    const beaten = await readRunRecord(store, "churn", record.runId);
    expect(Date.parse(beaten!.heartbeatAt!)).toBeGreaterThan(Date.parse(first!.heartbeatAt!));
    // The last write wins even when heartbeats are queued before it.
    record.status = "succeeded";
    await live.write();
    await live.stop();
    const last = await readRunRecord(store, "churn", record.runId);
    expect(last!.status).toBe("succeeded");
    await new Promise((r) => setTimeout(r, 150));
    expect((await readRunRecord(store, "churn", record.runId))!.heartbeatAt).toBe(last!.heartbeatAt); // no beat after stop
  });

  it("reports a failed heartbeat instead of throwing, and still writes after it", async () => {
    const store = new LocalStore(tempDir("mlship-live-"));
    let failing = true;
    const flaky = Object.create(store, { put: { value: (k: string, b: Uint8Array | string) => (failing ? Promise.reject(new Error("throttled")) : store.put(k, b)) } });
    const errors: unknown[] = [];
    const record = base();
    const live = liveRecord(flaky, record, { now: () => NOW, everySeconds: 0.02, onHeartbeatError: (e) => errors.push(e) });
    live.startHeartbeat();
    await new Promise((r) => setTimeout(r, 100));
    expect(errors.length).toBeGreaterThan(0);
    await expect(live.write()).rejects.toThrow("throttled");
    failing = false;
    await live.write();
    await live.stop();
    expect((await readRunRecord(store, "churn", record.runId))!.status).toBe("running");
  });
});

describe("runs list and runs show with a stale heartbeat (the CLI in process, clock at 2026-11-27T08:00:00Z)", () => {
  const store = tempDir("mlship-lost-");
  const record = (runId: string, status: RunRecord["status"], heartbeatAt: string): RunRecord => ({
    runId, job: "churn", status, submittedAt: "2026-11-27T07:50:00.000Z", argv: ["spark-submit"], specFile: "jobs/quickstart.yaml",
    specSha256: "0".repeat(64), gitCommit: null, heartbeatAt, heartbeatSeconds: 15, sparkApplicationId: "local-1764230000000",
  });

  it("shows lost, keeps what run.json says, and filters on it", async () => {
    const local = new LocalStore(store);
    await writeRunRecord(local, record("20261127T075000Z-aaaaaa", "running", "2026-11-27T07:55:00.000Z")); // 5 min ago
    await writeRunRecord(local, record("20261127T075900Z-bbbbbb", "running", "2026-11-27T07:59:50.000Z")); // 10 s ago
    await writeRunRecord(local, record("20261127T074000Z-cccccc", "succeeded", "2026-11-27T07:41:00.000Z"));
    const list = await cliInProcess(["runs", "list", "--store", store]);
    expect(list.stdout).toMatch(/20261127T075000Z-aaaaaa\s+churn\s+lost/);
    expect(list.stdout).toMatch(/20261127T075900Z-bbbbbb\s+churn\s+running/);
    expect(list.stdout).toMatch(/20261127T074000Z-cccccc\s+churn\s+succeeded/);
    const lost = await cliInProcess(["runs", "list", "--store", store, "--status", "lost", "--json"]);
    expect(JSON.parse(lost.stdout).runs).toEqual([expect.objectContaining({ runId: "20261127T075000Z-aaaaaa", status: "lost", recordedStatus: "running" })]);
    const running = await cliInProcess(["runs", "list", "--store", store, "--status", "running", "--json"]);
    expect(JSON.parse(running.stdout).runs.map((r: RunRecord) => r.runId)).toEqual(["20261127T075900Z-bbbbbb"]);
    const show = await cliInProcess(["runs", "show", "20261127T075000Z-aaaaaa", "--store", store]);
    expect(show.stdout).toContain("run 20261127T075000Z-aaaaaa (job churn): lost (run.json says running, but its mlship stopped writing a heartbeat 300s ago)");
    expect(show.stdout).toContain("heartbeat   2026-11-27T07:55:00.000Z (every 15s)");
    const json = JSON.parse((await cliInProcess(["runs", "show", "20261127T075000Z-aaaaaa", "--store", store, "--json"])).stdout);
    expect(json).toMatchObject({ status: "lost", recordedStatus: "running", sparkApplicationId: "local-1764230000000" });
  });
});

// `train` and `update` under the job's lease, the whole CLI in process: refused (exit 4) before Spark or the registry
// is touched; `allow` skips the lease; an expired lease is taken over and given back.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { tempDir } from "../helpers/tmp.js";

const root = tempDir("mlship-cli-lease-");
let n = 0;

// A store whose churn job is held by a run on another host, its lease expiring at `expiresAt` (the CLI's clock is 08:00).
function heldStore(expiresAt: string): { store: string; lock: string } {
  const store = join(root, `s${n++}`);
  mkdirSync(join(store, "locks"), { recursive: true });
  const lock = join(store, "locks", "churn.json");
  const doc = { job: "churn", runId: "20261127T075500Z-abcdef", command: "train", host: "etl-9", pid: 4242, acquiredAt: "2026-11-27T07:55:00.000Z", heartbeatAt: "2026-11-27T07:59:50.000Z", expiresAt };
  writeFileSync(lock, JSON.stringify(doc));
  return { store, lock };
}

describe("the job's lease in the CLI", () => {
  it("train: refused with E_RUN_LOCKED (exit 4) naming the holder, before any run record", async () => {
    const { store } = heldStore("2026-11-27T08:00:50.000Z");
    const r = await cliInProcess(["train", "jobs/quickstart.yaml", "--store", store, "--json"]);
    expect(r.code, r.stderr).toBe(4);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({ code: "E_RUN_LOCKED" });
    expect(error.message).toBe(
      "job churn is held by run 20261127T075500Z-abcdef (`mlship train` on host etl-9, pid 4242) since 2026-11-27T07:55:00.000Z, last heartbeat 2026-11-27T07:59:50.000Z; concurrency: forbid refuses a second run; nothing was started",
    );
    expect(existsSync(join(store, "runs"))).toBe(false);
  });

  it("update: takes the lease before it resolves --from (E_RUN_LOCKED, not E_NOT_FOUND)", async () => {
    const { store } = heldStore("2026-11-27T08:00:50.000Z");
    const r = await cliInProcess(["update", "jobs/quickstart.yaml", "--from", "churn@latest", "--store", store, "--json"]);
    expect(r.code, r.stderr).toBe(4);
    expect(JSON.parse(r.stdout).error.code).toBe("E_RUN_LOCKED");
  });

  it("concurrency: allow ignores the lease", async () => {
    const { store, lock } = heldStore("2026-11-27T08:00:50.000Z");
    const r = await cliInProcess(["update", "jobs/quickstart.yaml", "--from", "churn@latest", "--store", store, "--set", "concurrency=allow", "--json"]);
    expect(JSON.parse(r.stdout).error.code).toBe("E_NOT_FOUND");
    expect(existsSync(lock)).toBe(true);
  });

  it("an expired lease is taken over, and released when the command ends", async () => {
    const { store, lock } = heldStore("2026-11-27T07:59:59.000Z");
    const r = await cliInProcess(["update", "jobs/quickstart.yaml", "--from", "churn@latest", "--store", store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("took over the lease of run 20261127T075500Z-abcdef (expired)");
    expect(r.stderr).toContain("no model version matches");
    expect(existsSync(lock)).toBe(false);
  });

  it("a bad concurrency value is a spec error", async () => {
    const r = await cliInProcess(["validate", "jobs/quickstart.yaml", "--set", "concurrency=sometimes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/concurrency/);
  });
});

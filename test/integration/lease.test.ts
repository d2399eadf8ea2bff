// Two overlapping `mlship train` runs of one job with real Spark: under forbid the second is refused before Spark
// starts (exit 4, E_RUN_LOCKED, naming the holder); under replace a third stops the holder and trains instead.
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mlship, mlshipChild } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { waitFor } from "../helpers/wait.js";


describe("the job's lease", () => {
  it("forbid refuses a second run naming the holder; replace stops the holder and takes over", async () => {
    const store = join(tempDir("mlship-lease-"), "store");
    const lock = join(store, "locks", "churn.json");
    const first = mlshipChild(["train", "jobs/quickstart.yaml", "--store", store]);
    let firstErr = "";
    first.stderr?.on("data", (d: Buffer) => (firstErr += d.toString()));
    const started = await waitFor(() => /run (\S+): spark-submit/.test(firstErr), 60_000);
    expect(started, firstErr).toBe(true);
    const holder = /run (\S+): spark-submit/.exec(firstErr)![1]!;
    expect(JSON.parse(readFileSync(lock, "utf8"))).toMatchObject({ job: "churn", runId: holder, command: "train", host: hostname(), pid: first.pid });

    // forbid (the default): refused at once, nothing started, the holder named.
    const t0 = Date.now();
    const refused = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--json"]);
    expect(refused.exitCode, refused.stderr).toBe(4);
    expect(Date.now() - t0).toBeLessThan(15_000); // no Spark start
    const error = JSON.parse(refused.stdout).error;
    expect(error.code).toBe("E_RUN_LOCKED");
    expect(error.message).toContain(`job churn is held by run ${holder} (\`mlship train\` on host ${hostname()}, pid ${first.pid}) since `);
    expect(error.message).toContain("nothing was started");
    expect(refused.stderr).not.toMatch(/spark-submit on/);

    // replace: the holder is stopped (same host: SIGTERM), recorded killed, and the new run trains and registers.
    const replaced = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--set", "concurrency=replace", "--json", "--quiet"]);
    const firstResult = await first;
    expect(firstResult.exitCode, firstErr).toBe(130);
    expect(JSON.parse(readFileSync(join(store, "runs", "churn", holder, "run.json"), "utf8")).status).toBe("killed");
    expect(replaced.exitCode, replaced.stderr).toBe(0);
    const out = JSON.parse(replaced.stdout);
    expect(out).toMatchObject({ ok: true, version: 1 });
    expect(out.runId).not.toBe(holder);
    expect(existsSync(lock), "the lease is released").toBe(false);
  });
});

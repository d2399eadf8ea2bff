// Cluster deploy mode on a real standalone master and worker (a private cluster: the driver and an executor need a
// core each): a JAR entrypoint's remote driver is recorded in run.json, followed by `runs attach`, stopped by
// `runs kill` from another process and by SIGINT of the CLI; the master then lists no driver still running.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mlship, mlshipChild, projectRoot } from "../helpers/cli.js";
import { masterState, startStandalone, venvSparkHome, type StandaloneCluster } from "../helpers/standalone.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-cluster-mode-");
const store = join(work, "store");
let cluster: StandaloneCluster;
let spec: string;

const waitFor = async <T>(what: () => T | null | undefined | false, ms: number, label: string): Promise<T> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const got = what();
    if (got) return got;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${label}`);
};

// run.json of the run the CLI's stderr named, once it exists.
const runRecord = (runId: string) => {
  const file = join(store, "runs", "slowjar", runId, "run.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
};

// Starts `train` on the JAR job and waits until run.json says the remote driver runs; its run id and the child.
async function startRun() {
  const child = mlshipChild(["train", spec, "--store", store]);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  child.catch(() => undefined);
  const runId = await waitFor(() => /run (\S+): spark-submit/.exec(stderr)?.[1], 60_000, "the run id");
  const record = await waitFor(() => {
    const r = runRecord(runId);
    return r?.remote?.driverId && r.remote.state === "RUNNING" ? r : null;
  }, 240_000, "the remote driver RUNNING in run.json");
  return { child, runId, record, stderr: () => stderr };
}

// The master's view once the driver is no longer active (or after 3 minutes, for the assertions to show).
async function driverSettled(driverId: string) {
  const end = Date.now() + 180_000;
  for (;;) {
    const state = await masterState(cluster);
    if (!state.activedrivers.some((d) => d.id === driverId) || Date.now() > end) return state;
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  // Room for the two runs at once (a driver and an executor each; the tasks mostly sleep): the file's wall time halves.
  cluster = await startStandalone({ workers: 1, cores: 4, memory: "3g" });
  const classes = join(work, "classes");
  execFileSync("javac", ["-d", classes, "-cp", `${join(venvSparkHome(), "jars")}/*`, join(projectRoot, "test", "helpers", "SlowJob.java")]);
  const jar = join(work, "slow.jar");
  execFileSync("jar", ["cf", jar, "-C", classes, "."]);
  spec = join(work, "slow.yaml");
  writeFileSync(
    spec,
    [
      "name: slowjar",
      "concurrency: allow", // the two tests run at once
      "model: { algorithm: logistic_regression, label: churned, features: { numeric: [tenure_months] } }",
      `data: { train: ${join(projectRoot, "data", "churn")}, format: parquet }`,
      "spark:",
      `  master: ${cluster.masterUrl}`,
      "  deployMode: cluster",
      "  driver: { memory: 512m }",
      "  executor: { memory: 512m, cores: 1 }",
      "  totalExecutorCores: 1", // one core per application, or the first takes every core and the second driver waits
      `entrypoint: { jar: ${jar}, mainClass: SlowJob, args: ["90"] }`,
      "",
    ].join("\n"),
  );
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe.concurrent("cluster deploy mode on a standalone cluster", () => {
  it("runs attach follows the run, runs kill from another process kills the remote driver, and both exit with the run's end", async () => {
    const started = Date.now();
    const { child, runId, record } = await startRun();
    expect(record.supervisor).toMatchObject({ pid: expect.any(Number), host: expect.any(String) });
    expect(record.driverLog).toMatch(/driver-1\.log$/); // the first attempt's live log (src/runs/attempts.ts)
    expect(record.remote).toMatchObject({ manager: "standalone", master: cluster.masterUrl, submitVia: "rpc" });
    expect(record.argv).toContain("spark.standalone.submit.waitAppCompletion=true");

    const status = JSON.parse((await mlship(["runs", "status", runId, "--store", store, "--json"])).stdout);
    expect(status).toMatchObject({ status: "running", supervisor: { where: "here", alive: true }, remote: { id: record.remote.driverId } });

    const attach = mlshipChild(["runs", "attach", runId, "--store", store]);
    attach.catch(() => undefined);
    const kill = await mlship(["runs", "kill", runId, "--store", store, "--json"]);
    expect(kill.exitCode, kill.stderr).toBe(0);
    expect(JSON.parse(kill.stdout)).toMatchObject({ ok: true, status: "killed" });

    const [trained, attached] = await Promise.all([child, attach]);
    expect(trained.exitCode, String(trained.stderr)).toBe(130);
    expect(String(trained.stderr)).toMatch(/remote driver driver-\S+ killed/);
    expect(attached.exitCode, String(attached.stderr)).toBe(130); // the run's own exit code
    expect(String(attached.stdout)).toMatch(/State of driver-\S+ is RUNNING/); // lines of the live driver log
    expect(String(attached.stderr)).toMatch(/: killed/);

    const state = await driverSettled(record.remote.driverId);
    expect(state.activedrivers.map((d) => d.id)).not.toContain(record.remote.driverId);
    expect(state.completeddrivers.find((d) => d.id === record.remote.driverId)?.state).toBe("KILLED");
    const after = runRecord(runId);
    expect(after).toMatchObject({ status: "killed", errorCode: "E_KILLED", remote: { killed: { ok: true } } });

    // A run that has ended: a clear message and its own exit code.
    const again = await mlship(["runs", "kill", runId, "--store", store]);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toMatch(/already ended \(killed/);
    console.log(`runs attach + runs kill on a cluster-mode run: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  it("SIGINT of the CLI kills the remote driver", async () => {
    const started = Date.now();
    const { child, runId, record } = await startRun();
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(130);
    const state = await driverSettled(record.remote.driverId);
    expect(state.activedrivers.map((d) => d.id)).not.toContain(record.remote.driverId);
    expect(state.completeddrivers.find((d) => d.id === record.remote.driverId)?.state).toBe("KILLED");
    expect(runRecord(runId)).toMatchObject({ status: "killed", remote: { killed: { ok: true } } });
    console.log(`SIGINT of a cluster-mode run: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });
});

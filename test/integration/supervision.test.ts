// No run without a supervisor, on real local Spark: SIGKILL of the CLI takes the JVM and the Python driver with it
// (the driver's watchdog) and the record turns `lost`; a broken stderr pipe and then Ctrl-C still stop Spark and
// record `killed`; the application id is in run.json while the run runs.
import { describe, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bin, mlship, mlshipChild, projectRoot } from "../helpers/cli.js";
import { commandLines, pidsMentioning } from "../helpers/processes.js";
import { tempDir } from "../helpers/tmp.js";
import { waitFor } from "../helpers/wait.js";

const work = tempDir("mlship-supervision-");
const HEARTBEAT = { MLSHIP_HEARTBEAT_SECONDS: "1" }; // lost after 3 s without a heartbeat


const runRecord = (store: string, runId: string) => JSON.parse(readFileSync(join(store, "runs", "churn", runId, "run.json"), "utf8"));
// The run's Spark processes: the spark-submit JVM (its argv holds the run id) and the Python driver (--job-file … --run-id).
const sparkOf = (runId: string) => commandLines().filter((p) => p.argv.join(" ").includes(runId));
const shown = (runId: string) => sparkOf(runId).map((p) => `${p.pid}: ${p.argv.join(" ").slice(0, 160)}`).join("\n");

describe("supervision", () => {
  it("SIGKILL of the CLI: no JVM or Python driver of the run survives, and the run shows as lost", async () => {
    const store = join(work, "sigkill");
    const child = mlshipChild(["train", "jobs/quickstart.yaml", "--store", store], { env: HEARTBEAT });
    let output = "";
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    expect(await waitFor(() => /mlship: spark application local-\d+/.test(output), 120_000), output).toBe(true);
    const runId = /run (\S+): spark-submit/.exec(output)![1]!;
    // Identity, recorded as soon as it exists: the application id is in run.json while the run runs.
    const running = runRecord(store, runId);
    expect(running).toMatchObject({ status: "running", sparkApplicationId: expect.stringMatching(/^local-\d+$/), heartbeatSeconds: 1 });
    expect(output).toContain(`spark application ${running.sparkApplicationId}`);
    expect(output).not.toContain("mlship: event"); // the machine line goes to the log, not the terminal
    expect(await waitFor(() => sparkOf(runId).some((p) => p.argv.includes("--job-file")), 60_000), shown(runId)).toBe(true);
    expect(sparkOf(runId).some((p) => p.argv[0]!.endsWith("java")), shown(runId)).toBe(true);
    // The quickstart's input is small: its driver JVM runs on the JIT's fast tier (a short run, docs/updating.md "Costs").
    const jvm = sparkOf(runId).find((p) => p.argv[0]!.endsWith("java"))!;
    expect(jvm.argv, shown(runId)).toContain("-XX:TieredStopAtLevel=1");

    child.kill("SIGKILL");
    await child;
    const killedAt = Date.now();
    expect(await waitFor(() => sparkOf(runId).length === 0, 30_000), shown(runId)).toBe(true);
    console.log(`supervision: the run's Spark processes were gone ${((Date.now() - killedAt) / 1000).toFixed(1)} s after SIGKILL`);

    expect(runRecord(store, runId).status).toBe("running"); // nobody wrote the end: readers tell from the heartbeat
    expect(await waitFor(() => /: lost \(run\.json says running/.test(showText(store, runId)), 10_000), showText(store, runId)).toBe(true);
    const show = await mlship(["runs", "show", runId, "--store", store, "--json"]);
    expect(JSON.parse(show.stdout)).toMatchObject({ status: "lost", recordedStatus: "running", sparkApplicationId: running.sparkApplicationId });
    const list = await mlship(["runs", "list", "--store", store, "--status", "lost", "--json"]);
    expect(JSON.parse(list.stdout).runs.map((r: { runId: string }) => r.runId)).toEqual([runId]);
    expect(existsSync(join(store, "registry"))).toBe(false);
  });

  it("a broken stderr pipe (its reader killed) and then SIGINT: Spark is stopped and the run is recorded killed", async () => {
    const store = join(work, "epipe");
    const teeLog = join(work, "tee.log");
    // mlship train … 2>&1 | tee log, as a user runs it; tee dies first (Ctrl-C reaches the whole pipeline).
    const tee = spawn("tee", [teeLog], { stdio: ["pipe", "ignore", "ignore"] });
    const cli = spawn(process.execPath, [bin, "train", "jobs/quickstart.yaml", "--store", store], {
      cwd: projectRoot,
      env: { ...process.env, ...HEARTBEAT },
      stdio: ["ignore", tee.stdin, tee.stdin],
    });
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (code) => resolve(code)));
    const logged = () => (existsSync(teeLog) ? readFileSync(teeLog, "utf8") : "");
    expect(await waitFor(() => /mlship: (reading|preparing|fitting)/.test(logged()), 120_000), logged()).toBe(true);
    const runId = /run (\S+): spark-submit/.exec(logged())![1]!;
    tee.kill("SIGKILL");
    await new Promise((r) => tee.on("exit", r));
    tee.stdin.destroy(); // this process's end of the pipe: now nobody reads it
    await new Promise((r) => setTimeout(r, 500));
    expect(cli.exitCode, "mlship must survive the broken pipe").toBeNull();
    cli.kill("SIGINT"); // mlship's "SIGINT received" line meets the broken pipe (EPIPE)
    expect(await exited).toBe(130);
    expect(await waitFor(() => sparkOf(runId).length === 0, 20_000), shown(runId)).toBe(true);
    expect(runRecord(store, runId)).toMatchObject({ status: "killed", errorCode: "E_KILLED", sparkApplicationId: expect.stringMatching(/^local-/) });
    expect(readdirSync(join(store, "runs", "churn", runId))).toContain("driver.log"); // the clean-up ran to the end
    expect(pidsMentioning(runId)).toEqual([]);
  });
});

// `mlship runs show` as text (synchronously, for waitFor).
function showText(store: string, runId: string): string {
  try {
    return execFileSync(process.execPath, [bin, "runs", "show", runId, "--store", store], { cwd: projectRoot, encoding: "utf8" });
  } catch (err) {
    return String(err);
  }
}

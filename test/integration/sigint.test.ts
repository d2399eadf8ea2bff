// SIGINT during training stops Spark: no JVM or Python driver of the run is left in the process table, no private file on disk.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { mlshipChild } from "../helpers/cli.js";
import { commandLines } from "../helpers/processes.js";
import { tempDir } from "../helpers/tmp.js";
import { waitFor } from "../helpers/wait.js";

// Command lines of every process that mentions the text (from /proc).
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (cmd.includes(text)) found.push(`${pid}: ${cmd.slice(0, 200)}`);
    } catch {
      /* the process ended while we looked */
    }
  }
  return found;
}


describe("signals", () => {
  it("forwards SIGINT to Spark and leaves no Spark process behind", async () => {
    const store = join(tempDir("mlship-sigint-"), "store");
    const child = mlshipChild(["train", "jobs/quickstart.yaml", "--store", store]);
    let output = "";
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    // Wait until the run id is known and the Spark JVM for it is running.
    const started = await waitFor(() => /run (\S+): spark-submit/.test(output), 60_000);
    expect(started, output).toBe(true);
    const runId = /run (\S+): spark-submit/.exec(output)![1]!;
    const jvmUp = await waitFor(() => processesMentioning(runId).some((p) => p.includes("java")), 60_000);
    expect(jvmUp, processesMentioning(runId).join("\n")).toBe(true);
    await waitFor(() => /mlship: (reading|preparing|fitting)/.test(output), 60_000); // the Python driver is up too
    // The driver's private job file (mode 0600) exists now, and must be gone after the interrupt.
    const driver = commandLines().find((p) => p.argv.includes("--job-file") && p.argv.includes(runId));
    const jobFile = driver?.argv[driver.argv.indexOf("--job-file") + 1];
    expect(jobFile !== undefined && existsSync(jobFile), String(jobFile)).toBe(true);
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(output).toMatch(/SIGINT received, stopping Spark/);
    const leftovers = await waitFor(() => processesMentioning(runId).length === 0, 15_000);
    expect(leftovers, processesMentioning(runId).join("\n")).toBe(true);
    expect(existsSync(jobFile!), jobFile).toBe(false);
    expect(existsSync(join(store, "registry"))).toBe(false);
    const record = JSON.parse(readFileSync(join(store, "runs", "churn", runId, "run.json"), "utf8"));
    expect(record.status).toBe("killed");
  });
});

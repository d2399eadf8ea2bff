// Live progress on real Spark: off a terminal, timestamped throttled status lines and `--events FILE` JSON lines, with
// Spark's console bar asked for in the spec and still no carriage-return debris anywhere; on a pseudo-terminal
// (util-linux `script`, always on Debian/Ubuntu), the one updating status line, gone before the result is printed.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { bin, mlship, projectRoot } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-progress-");
const STATUS = /^\[(\d\d):(\d\d):(\d\d)\] (starting|reading|fitting|evaluating|exporting|verifying|certifying): (.*)$/;
const CONSOLE_BAR = /\[Stage \d+:/;
const seconds = (m: RegExpExecArray) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);

describe("progress", () => {
  it("off a terminal: timestamped lines at most every MLSHIP_PROGRESS_SECONDS, events in --events FILE, no console-bar debris", async () => {
    const store = join(work, "store");
    const events = join(work, "events.jsonl");
    const r = await mlship(["train", "jobs/quickstart.yaml", "--store", store, "--events", events, "--set", "spark.conf.spark.ui.showConsoleProgress=true"], {
      // Every second: the quickstart runs in about 16 s with the class-data archive, so a slower tick can miss every stage.
      env: { MLSHIP_PROGRESS_SECONDS: "1" },
    });
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/^registered churn@1 \(run /);

    const lines = r.stderr.split("\n");
    expect(lines.filter((l) => l.includes("mlship: ")).every((l) => /^\[\d\d:\d\d:\d\d\] mlship: /.test(l)), r.stderr).toBe(true);
    const status = lines.map((l) => STATUS.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    expect(status.map((m) => m[4]).filter((p, i, all) => all.indexOf(p) === i)).toEqual(["starting", "reading", "fitting", "evaluating", "exporting", "verifying", "certifying"]);
    expect(status.some((m) => /^stage \d+ .*\d+\/\d+ tasks.*, \d\d:\d\d elapsed/.test(m[5]!)), r.stderr).toBe(true);
    // Within one phase, two status lines are at least 1 s apart (the clock shows whole seconds).
    for (let i = 1; i < status.length; i++) {
      if (status[i]![4] === status[i - 1]![4]) expect(seconds(status[i]!) - seconds(status[i - 1]!), `${status[i - 1]![0]}\n${status[i]![0]}`).toBeGreaterThanOrEqual(1);
    }
    expect(r.stderr).not.toContain("\r");
    expect(r.stderr).not.toMatch(CONSOLE_BAR);

    const [runId] = readdirSync(join(store, "runs", "churn"));
    const driverLog = readFileSync(join(store, "runs", "churn", runId!, "driver.log"), "utf8");
    expect(driverLog).not.toContain("\r");
    expect(driverLog).not.toMatch(CONSOLE_BAR);
    expect(driverLog).toContain('mlship: event {"phase":"fitting"}');

    const docs = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(docs.every((d) => typeof d.time === "string" && typeof d.type === "string")).toBe(true);
    const phases = docs.filter((d) => d.type === "phase").map((d) => d.phase);
    expect(phases).toEqual(["starting", "reading", "fitting", "evaluating", "exporting", "verifying", "certifying"]);
    const stages = docs.filter((d) => d.type === "progress").flatMap((d) => d.stages);
    expect(stages.length).toBeGreaterThan(0);
    for (const s of stages) expect(s).toEqual({ id: expect.any(Number), name: expect.any(String), tasks: expect.any(Number), done: expect.any(Number), active: expect.any(Number), failed: expect.any(Number) });
    expect(docs.find((d) => d.type === "application")?.applicationId).toMatch(/^local-\d+$/);
    expect(docs.some((d) => d.type === "message" && d.source === "driver" && /^fitting logistic_regression/.test(d.text))).toBe(true);
  });

  it("on a terminal: one updating status line with stage and tasks, cleared before the result", async () => {
    const store = join(work, "store-tty");
    const command = `stty cols 120 rows 40; exec '${process.execPath}' '${bin}' train jobs/quickstart.yaml --store '${store}'`;
    const r = await execa("script", ["-qfec", command, "/dev/null"], { cwd: projectRoot, reject: false, stdin: "ignore" });
    const screen = String(r.stdout);
    expect(r.exitCode, screen.slice(-3000)).toBe(0);
    expect(screen).toMatch(/(reading|fitting|evaluating|exporting): stage \d+ .*\d+\/\d+ tasks, \d\d:\d\d elapsed/);
    expect(screen).toContain("\u001B[2K"); // redrawn in place (erase line), not appended
    expect(screen).not.toMatch(/\[\d\d:\d\d:\d\d\] mlship: /); // timestamps are for logs, not terminals
    expect(screen).not.toMatch(CONSOLE_BAR);
    // The last status line was erased before the result: nothing "elapsed" after the last erase.
    const result = screen.indexOf("registered churn@1");
    expect(result).toBeGreaterThan(0);
    expect(screen.lastIndexOf("elapsed")).toBeLessThan(screen.lastIndexOf("\u001B[2K"));
    expect(screen.lastIndexOf("\u001B[2K")).toBeLessThan(result);
  });
});

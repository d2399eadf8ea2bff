// Live progress: the state folded from the driver's events, the status text, the throttle off a terminal, the
// MLSHIP_PROGRESS_SECONDS setting, and the view `train` and `update` print through (a fake clock and streams).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StageProgress } from "../../src/launch/index.js";
import { applyInput, cliPhaseOf, decide, duration, etaSeconds, fitWidth, initialState, initialThrottle, progressSeconds, shortStageName, stamped, statusText, type ProgressState } from "../../src/progress/index.js";
import { progressView } from "../../src/cli/progress-view.js";
import type { Context } from "../../src/cli/context.js";
import { tempDir } from "../helpers/tmp.js";

const T0 = Date.parse("2026-12-07T12:03:00Z");
const stage = (over: Partial<StageProgress> = {}): StageProgress => ({ id: 7, name: "treeAggregate at RandomForest.scala:548", tasks: 40, done: 0, active: 2, failed: 0, ...over });
const at = (s: number) => T0 + s * 1000;

describe("the progress state and its text", () => {
  it("shows the phase, the newest stage, tasks, elapsed time and an ETA from the stage's own rate", () => {
    let s = applyInput(initialState(T0), { kind: "phase", phase: "fitting" }, at(1));
    s = applyInput(s, { kind: "stages", stages: [stage({ done: 4 })] }, at(5));
    expect(statusText(s, at(5))).toBe("fitting: stage 7 (treeAggregate) 4/40 tasks, 00:05 elapsed");
    s = applyInput(s, { kind: "stages", stages: [stage({ done: 12 })] }, at(35));
    expect(etaSeconds(s, at(35))).toBeCloseTo(105); // 8 tasks in 30 s, 28 left
    expect(statusText(s, at(35))).toBe("fitting: stage 7 (treeAggregate) 12/40 tasks, 00:35 elapsed, ETA 01:45");
  });

  it("follows the newest of several active stages, counts the others and failed tasks", () => {
    const s = applyInput(initialState(T0), { kind: "stages", phase: "evaluating", stages: [stage({ id: 9, name: "count at x.py:1", tasks: 4, done: 1, failed: 2 }), stage()] }, at(2));
    expect(statusText(s, at(2))).toBe("evaluating: stage 9 (count) 1/4 tasks, 2 failed (+1 more), 00:02 elapsed");
  });

  it("a new phase or no active stage clears the stage; a new stage restarts the ETA", () => {
    let s = applyInput(initialState(T0), { kind: "stages", stages: [stage({ done: 10 })] }, at(1));
    s = applyInput(s, { kind: "stages", stages: [] }, at(2));
    expect(s.stage).toBeNull();
    expect(statusText(s, at(2))).toBe("starting: 00:02 elapsed");
    s = applyInput(s, { kind: "stages", stages: [stage({ id: 8, done: 5 })] }, at(3));
    expect(s.stageSeen).toEqual({ id: 8, at: at(3), done: 5 });
    expect(etaSeconds(s, at(3))).toBeNull(); // nothing finished since it was seen
    s = applyInput(s, { kind: "phase", phase: "exporting" }, at(4));
    expect(s.stage).toBeNull();
  });

  it.each([
    [0, "00:00"],
    [35.9, "00:35"],
    [600, "10:00"],
    [3725, "1:02:05"],
  ])("duration(%s) is %s", (seconds, text) => expect(duration(seconds)).toBe(text));

  it("formats times in UTC, short stage names and a line cut to the terminal", () => {
    expect(stamped(new Date(at(64)), "mlship: x")).toBe("[12:04:04] mlship: x");
    expect(shortStageName("count at NativeMethodAccessorImpl.java:0")).toBe("count");
    expect(shortStageName("weird")).toBe("weird");
    expect(shortStageName("$anonfun$withThreadLocalCaptured$2 at Future.scala:1")).toBe("");
    const closure = applyInput(initialState(T0), { kind: "stages", phase: "reading", stages: [stage({ id: 14, name: "$anonfun$x$2 at A.scala:1", tasks: 1 })] }, T0);
    expect(statusText(closure, T0)).toBe("reading: stage 14 0/1 tasks, 00:00 elapsed");
    expect(fitWidth("x".repeat(100), 40)).toBe(`${"x".repeat(38)}…`);
    expect(fitWidth("short", 40)).toBe("short");
  });

  it("knows mlship's own phases", () => {
    expect(cliPhaseOf("run 20261207T120300Z-abc123: spark-submit on local[2] (client mode)")).toBe("starting");
    expect(cliPhaseOf("verifying artifacts (MANIFEST.json checksums)")).toBe("verifying");
    expect(cliPhaseOf("certifying: scoring the parity sample in TypeScript and comparing with Spark")).toBe("certifying");
    expect(cliPhaseOf("warning: something")).toBeNull();
  });
});

describe("the throttle off a terminal", () => {
  const fitting = (done: number): ProgressState => ({ ...initialState(T0), phase: "fitting", stage: stage({ done }), stageSeen: { id: 7, at: T0, done: 0 } });

  it("prints a new phase at once, a change at most every N seconds, and nothing when nothing changed", () => {
    let t = initialThrottle();
    const step = (s: ProgressState, sec: number) => {
      const d = decide(t, s, at(sec), 10_000);
      t = d.next;
      return d.print;
    };
    expect(step(fitting(1), 0)).toBe(true); // a new phase
    expect(step(fitting(2), 3)).toBe(false); // changed, but too soon
    expect(step(fitting(2), 9.9)).toBe(false);
    expect(step(fitting(2), 10)).toBe(true); // the pending change, once N seconds passed
    expect(step(fitting(2), 25)).toBe(false); // nothing changed: no line, however long
    expect(step({ ...fitting(2), stage: null }, 40)).toBe(false); // between two stages: no line
    expect(step({ ...fitting(2), phase: "evaluating" }, 26)).toBe(true); // a phase change is never held back
  });
});

describe("MLSHIP_PROGRESS_SECONDS", () => {
  it("defaults to 10 and accepts 0 to 3600", () => {
    expect(progressSeconds({})).toBe(10);
    expect(progressSeconds({ MLSHIP_PROGRESS_SECONDS: " " })).toBe(10);
    expect(progressSeconds({ MLSHIP_PROGRESS_SECONDS: "0" })).toBe(0);
    expect(progressSeconds({ MLSHIP_PROGRESS_SECONDS: "2.5" })).toBe(2.5);
  });

  it.each(["-1", "abc", "3601", "Infinity"])("refuses %s", (raw) => {
    expect(() => progressSeconds({ MLSHIP_PROGRESS_SECONDS: raw })).toThrow(/MLSHIP_PROGRESS_SECONDS: expected a number of seconds/);
  });
});

describe("the progress view", () => {
  const world = (over: Partial<Context> = {}) => {
    let clock = at(0);
    const out = { stdout: "", stderr: "" };
    const ctx: Context = {
      cwd: "/",
      env: {},
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      isTTY: false,
      projectRoot: "/",
      now: () => new Date(clock),
      ...over,
    };
    return { ctx, out, tick: (sec: number) => (clock = at(sec)) };
  };
  const stages = (done: number) => ({ phase: "fitting", progress: { jobs: [3], stages: [stage({ done })] } });

  it("off a terminal: mlship's lines timestamped, Spark's as they are, status lines throttled", async () => {
    const { ctx, out, tick } = world();
    const view = await progressView(ctx, {});
    view.progress("run r1: spark-submit on local[2] (client mode)");
    view.line("26/12/07 12:03:00 WARN NativeCodeLoader: no native library");
    tick(2);
    view.driver({ phase: "fitting" });
    view.line("mlship: fitting logistic_regression on 640 rows, validating on 160");
    tick(3);
    view.driver(stages(4)); // within 10 s of the phase line: held back
    tick(13);
    view.driver(stages(30));
    view.close();
    expect(out.stderr.split("\n")).toEqual([
      "[12:03:00] mlship: run r1: spark-submit on local[2] (client mode)",
      "[12:03:00] starting: 00:00 elapsed",
      "26/12/07 12:03:00 WARN NativeCodeLoader: no native library",
      "[12:03:02] fitting: 00:02 elapsed",
      "[12:03:02] mlship: fitting logistic_regression on 640 rows, validating on 160",
      "[12:03:13] fitting: stage 7 (treeAggregate) 30/40 tasks, 00:13 elapsed, ETA 00:04",
      "",
    ]);
    expect(out.stdout).toBe("");
  });

  it("--quiet: only mlship's own lines; --json: events as JSON lines on stderr, stdout untouched", async () => {
    const q = world();
    const quiet = await progressView(q.ctx, { quiet: true });
    quiet.progress("verifying artifacts (MANIFEST.json checksums)");
    quiet.line("26/12/07 WARN spark");
    quiet.driver(stages(1));
    quiet.close();
    expect(q.out.stderr).toBe("[12:03:00] mlship: verifying artifacts (MANIFEST.json checksums)\n");

    const j = world();
    const json = await progressView(j.ctx, { json: true, quiet: true });
    json.driver({ applicationId: "local-1" });
    json.driver({ phase: "fitting" });
    j.tick(4);
    json.driver(stages(8));
    json.close();
    expect(j.out.stdout).toBe("");
    const events = j.out.stderr.trim().split("\n").map((l) => JSON.parse(l));
    expect(events).toEqual([
      { time: "2026-12-07T12:03:00.000Z", type: "application", applicationId: "local-1" },
      { time: "2026-12-07T12:03:00.000Z", type: "phase", phase: "fitting" },
      { time: "2026-12-07T12:03:04.000Z", type: "progress", phase: "fitting", jobs: [3], stages: [stage({ done: 8 })], elapsedSeconds: 4, etaSeconds: null },
    ]);
  });

  it("--events FILE: the events in the file, the human lines on stderr; an unwritable file is a usage error", async () => {
    const dir = tempDir("mlship-progress-");
    const file = join(dir, "events.jsonl");
    const { ctx, out } = world();
    const view = await progressView(ctx, { events: file });
    view.line("mlship: reading csv data from /d");
    view.driver(stages(2));
    view.close();
    view.close(); // twice: harmless
    const events = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(["message", "progress"]);
    expect(events[0]).toMatchObject({ source: "driver", text: "reading csv data from /d" });
    expect(out.stderr).toContain("[12:03:00] mlship: reading csv data from /d\n");
    await expect(progressView(ctx, { events: join(dir, "missing", "x.jsonl") })).rejects.toThrow(/--events .*x\.jsonl: cannot write it \(ENOENT\)/);
  });

  it("on a terminal: one updating line, redrawn in place, gone when the run ends", async () => {
    const { ctx, out, tick } = world({ stderrIsTTY: true });
    const view = await progressView(ctx, {});
    view.driver({ phase: "fitting" });
    tick(5);
    view.driver(stages(10));
    view.line("mlship: fitting gbt on 10 rows");
    view.close();
    expect(out.stderr).toContain("fitting: stage 7 (treeAggregate) 10/40 tasks, 00:05 elapsed");
    expect(out.stderr).toContain("mlship: fitting gbt on 10 rows\n");
    expect(out.stderr).not.toContain("[12:03"); // no timestamps on a terminal
    expect(out.stderr).toMatch(/\u001B\[2K/); // erased in place (log-update's eraseLine)
  });
});

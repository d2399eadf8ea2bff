// The Spark driver's mlship-error lines: parsed into a code and a message, and summed up into the run's failure.
import { describe, expect, it } from "vitest";
import { driverFailure, FailureSummary, parseDriverErrorLine } from "../../src/launch/index.js";

describe("parseDriverErrorLine", () => {
  it.each([
    ['mlship-error[E_DATA]: label column "churnd" not found', { code: "E_DATA", message: 'label column "churnd" not found' }],
    ["mlship-error[E_JOB]: data: required", { code: "E_JOB", message: "data: required" }],
    ["mlship-error: --job: not valid JSON", { code: null, message: "--job: not valid JSON" }], // a driver from before codes
    ["mlship-error[E_SOMETHING_NEW]: from a newer driver", { code: "E_SOMETHING_NEW", message: "from a newer driver" }],
  ])("%s", (line, parsed) => {
    expect(parseDriverErrorLine(line)).toEqual(parsed);
  });

  it.each([
    "mlship: reading parquet data",
    "  mlship-error[E_DATA]: indented, so not the driver's own line",
    "mlship-error[e_data]: lower case",
    "mlship-error[]: no code",
    "mlship-error[E_DATA] no colon",
    "24/12/07 ERROR SparkContext: mlship-error[E_DATA]: inside another line",
  ])("ignores %s", (line) => {
    expect(parseDriverErrorLine(line)).toBeNull();
  });
});

describe("driverFailure", () => {
  const line = (code: string | null, message: string) => ({ code, message });

  it("is null when the driver printed no mlship-error line", () => {
    expect(driverFailure([])).toBeNull();
  });

  it("takes the last line's code and every problem printed with it", () => {
    expect(driverFailure([line("E_JOB", "model.label: required"), line("E_JOB", "data: required")])).toEqual({ code: "E_JOB", problems: ["model.label: required", "data: required"] });
    expect(driverFailure([line("E_DATA", "an earlier one"), line("E_FIT", "fitting failed")])).toEqual({ code: "E_FIT", problems: ["fitting failed"] });
  });

  it("falls back to E_RUN_FAILED for a code the catalogue does not list as the driver's, keeping the message", () => {
    expect(driverFailure([line("E_SOMETHING_NEW", "x")])).toEqual({ code: "E_RUN_FAILED", problems: ["x"] });
    expect(driverFailure([line("E_USAGE", "not a driver code")])).toEqual({ code: "E_RUN_FAILED", problems: ["not a driver code"] });
    expect(driverFailure([line(null, "no code")])).toEqual({ code: "E_RUN_FAILED", problems: ["no code"] });
  });
});

describe("FailureSummary", () => {
  it("reads the driver's failure out of Spark's output and shows its messages as the summary", () => {
    const summary = new FailureSummary();
    for (const l of ["24/12/07 INFO SparkContext: Running Spark", "Traceback (most recent call last):", 'mlship-error[E_DATA]: label column "churnd" not found', "24/12/07 INFO ShutdownHookManager: done"]) summary.add(l);
    expect(summary.driverFailure()).toEqual({ code: "E_DATA", problems: ['label column "churnd" not found'] });
    expect(summary.lines()).toEqual(['label column "churnd" not found']);
  });

  it("keeps a bounded number of driver lines, each cut to 500 characters", () => {
    const summary = new FailureSummary();
    for (let i = 0; i < 1000; i++) summary.add(`mlship-error[E_JOB]: problem ${i} ${"x".repeat(1000)}`);
    const failure = summary.driverFailure()!;
    expect(failure.problems.length).toBeLessThanOrEqual(100);
    expect(Math.max(...failure.problems.map((p) => p.length))).toBeLessThanOrEqual(501);
    expect(failure.problems.at(-1)).toMatch(/^problem 999 /);
  });

  it("has no driver failure when the driver printed none", () => {
    const summary = new FailureSummary();
    summary.add("Exception in thread main: java.lang.OutOfMemoryError");
    expect(summary.driverFailure()).toBeNull();
    expect(summary.lines()).toEqual(["Exception in thread main: java.lang.OutOfMemoryError"]);
  });
});

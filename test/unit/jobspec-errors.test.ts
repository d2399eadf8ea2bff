// loadSpec on bad specs: every problem located (file:line:col + dotted path), exit code 2, all at once.
import { describe, expect, it } from "vitest";
import { EXIT, SpecError, type SpecProblem } from "../../src/errors.js";
import { loadSpec } from "../../src/jobspec/index.js";
import { cases, FILE, spec } from "../helpers/bad-specs.js";

// The problems loadSpec reports for a spec text (fails the test if it loads).
async function problemsOf(text: string, opts: { env?: Record<string, string>; profile?: string; sets?: string[] } = {}): Promise<{ err: SpecError; problems: SpecProblem[] }> {
  try {
    await loadSpec({ file: FILE, text, env: opts.env ?? {}, profile: opts.profile, sets: opts.sets });
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return { err, problems: err.problems };
  }
  throw new Error("expected the spec to fail");
}

describe("bad specs", () => {
  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)("$title", async ({ text, opts, want }) => {
    const { err, problems } = await problemsOf(text, opts);
    const [file, line, col, path, message] = want;
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.exitCode).toBe(2);
    expect(problems).toHaveLength(1);
    const p = problems[0] as SpecProblem;
    expect({ file: p.file, line: p.line, col: p.col, path: p.path }).toEqual({ file, line, col, path });
    if (typeof message === "string") expect(p.message).toBe(message);
    else expect(p.message).toMatch(message);
    expect(err.message).not.toMatch(/\n\s+at /); // never a stack trace
  });
});

describe("formatting and ordering", () => {
  it("reads like the conventions' example", async () => {
    const text = [
      "name: churn",
      "model:",
      "  algorithm: logistic_regression",
      "  label: churned",
      "  features:",
      "    numeric: [tenure]",
      "data:",
      "  train: data/churn/",
      "spark:",
      "  master: local[*]",
      "  executor:",
      "    memory: lots",
    ].join("\n");
    const { err } = await problemsOf(text);
    expect(err.message).toBe(`jobs/churn.yaml:12:5 spark.executor.memory: expected a size like "512m" or "4g", got "lots"`);
  });

  it("reports every problem at once, in position order, --set last", async () => {
    const text = [
      "name: churn", // 1
      "model:", // 2
      "  algorithm: logistic_regression", // 3
      "  params: { maxIter: ten }", // 4
      "  lable: churned", // 5
      "  features:", // 6
      "    numeric: [tenure]", // 7
      "data:", // 8
      "  train: ${TRAIN}", // 9
      "spark:", // 10
      "  executor:", // 11
      "    memory: lots", // 12
      "    cors: 2", // 13
      "parity: { rows: 10 }", // 14
    ].join("\n");
    const { err, problems } = await problemsOf(text, { sets: ["spark.driver.memory=much"] });
    expect(err.exitCode).toBe(2);
    expect(problems.map((p) => [p.file, p.line, p.col, p.path])).toEqual([
      [FILE, 2, 1, "model.label"],
      [FILE, 4, 13, "model.params.maxIter"],
      [FILE, 5, 3, "model.lable"],
      [FILE, 9, 10, "data.train"],
      [FILE, 12, 5, "spark.executor.memory"],
      [FILE, 13, 5, "spark.executor.cors"],
      [FILE, 14, 11, "parity.rows"],
      ["--set", 0, 0, "spark.driver.memory"],
    ]);
    expect(err.message.split("\n")).toEqual([
      "jobs/churn.yaml:2:1 model.label: expected a string, got nothing (the field is required)",
      `jobs/churn.yaml:4:13 model.params.maxIter: expected an integer, got "ten"`,
      `jobs/churn.yaml:5:3 model.lable: unknown field "lable"; did you mean "label"?`,
      "jobs/churn.yaml:9:10 data.train: expected environment variable TRAIN to be set, got nothing (write ${TRAIN:-default} to give a default)",
      `jobs/churn.yaml:12:5 spark.executor.memory: expected a size like "512m" or "4g", got "lots"`,
      `jobs/churn.yaml:13:5 spark.executor.cors: unknown field "cors"; did you mean "cores"?`,
      "jobs/churn.yaml:14:11 parity.rows: expected a number >= 200, got 10",
      `--set spark.driver.memory: expected a size like "512m" or "4g", got "much"`,
    ]);
  });

  it("checks params only against a known algorithm (the algorithm problem suffices)", async () => {
    const { problems } = await problemsOf(spec({ algorithm: "  algorithm: svm", label: "  label: churned\n  params: { bogus: 1 }" }));
    expect(problems.map((p) => p.path)).toEqual(["model.algorithm"]);
  });

  it("a missing file is a spec problem with exit code 2", async () => {
    const err = await loadSpec({ file: "/nonexistent/dir/churn.yaml", env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).exitCode).toBe(2);
    expect((err as SpecError).message).toBe("/nonexistent/dir/churn.yaml: cannot read the spec file: no such file");
  });
});

// locateDotted: a plan problem's dotted path back to where the field was written.
import { describe, expect, it } from "vitest";
import { loadSpecText } from "../../src/jobspec/index.js";

const text = [
  "name: churn",
  "model: { algorithm: linear_regression, label: y, features: { numeric: [a] } }",
  "data:",
  "  train: d",
  "spark:",
  "  conf:",
  "    spark.eventLog.dir: /tmp/x",
  "    spark: not-a-map",
  "entrypoint:",
  "  script: train.py",
  "  args: [--a, b]",
  "",
].join("\n");

describe("LoadedSpec.locate", () => {
  const loaded = loadSpecText({ file: "j.yaml", text, env: {}, sets: ["spark.master=local[1]"] });
  it.each([
    ["a key holding dots: the longest key wins", "spark.conf.spark.eventLog.dir", { line: 7, col: 5 }],
    ["a plain key", "spark.conf.spark", { line: 8, col: 5 }],
    ["a list item", "entrypoint.args.1", { line: 11, col: 15 }],
    ["a missing field: its nearest ancestor", "spark.executor.memory", { line: 5, col: 1 }],
    ["a field from --set: no place in the file", "spark.master", { line: 0 }],
    ["the whole spec", "", { line: 1, col: 1 }],
  ])("%s", (_, path, where) => {
    expect(loaded.locate(path)).toMatchObject({ file: where.line === 0 ? "--set" : "j.yaml", ...where });
  });
});

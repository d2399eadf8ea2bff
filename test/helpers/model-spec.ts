// A minimal job spec around one model (an algorithm and its params) and the problems loading it reports.
import { loadSpecText } from "../../src/jobspec/index.js";
import { SpecError } from "../../src/errors.js";

// The spec text: label `y` unless `label` is false (clustering), one numeric feature `a`, params as YAML flow text.
export function modelSpecText(algorithm: string, params: string, { label = true }: { label?: boolean } = {}): string {
  const labelLine = label ? ["  label: y"] : [];
  return ["name: m", "model:", `  algorithm: ${algorithm}`, ...labelLine, `  params: ${params}`, "  features:", "    numeric: [a]", "data:", "  train: data/x/", ""].join("\n");
}

// "path: message" for each problem loading the spec text reports; [] when it loads.
export function specProblems(text: string): string[] {
  try {
    loadSpecText({ file: "m.yaml", text, env: {} });
    return [];
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

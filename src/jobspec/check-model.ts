// Model checks the schema cannot express: parameters per algorithm, feature columns vs the label.
import type { SpecProblem } from "../errors.js";
import { ALGORITHM_PARAMS, ALGORITHMS, CLUSTERING_ALGORITHMS, TREE_ALGORITHMS, type Algorithm } from "../catalogue/index.js";
import { describeNode, describeType } from "./describe.js";
import { didYouMean } from "./suggest.js";
import { checkStageList, checkTransforms } from "./check-stages.js";
import { keyLocAt, locAt, mapAt, nodeAt, problemAt, scalarAt, type MapNode } from "./tree.js";

// model.params: names known for the algorithm, values of the right type.
export function checkParams(root: MapNode): SpecProblem[] {
  const algorithm = scalarAt(root, ["model", "algorithm"])?.value;
  const params = mapAt(root, ["model", "params"]);
  if (!params || typeof algorithm !== "string" || !(ALGORITHMS as readonly string[]).includes(algorithm)) return [];
  const known = ALGORITHM_PARAMS[algorithm as Algorithm];
  const names = Object.keys(known);
  const problems: SpecProblem[] = [];
  for (const [name, entry] of params.entries) {
    const path = ["model", "params", name];
    const type = Object.hasOwn(known, name) ? known[name] : undefined; // not "toString" & co.
    if (!type) {
      const hint = didYouMean(name, names) || ` (known: ${names.join(", ")})`;
      problems.push(problemAt(entry.keyLoc, path, `unknown parameter "${name}" for ${algorithm}${hint}`));
      continue;
    }
    const node = entry.value;
    if (type === "integers") {
      // A list of integers; the schema reports other lists and maps, so only a scalar is wrong here.
      if (node.kind === "scalar" && !node.unresolved) problems.push(problemAt(entry.keyLoc, path, `expected a list of integers, got ${describeNode(node)}`));
      continue;
    }
    if (node.kind === "seq") {
      problems.push(problemAt(entry.keyLoc, path, `expected ${describeType(type)}, got a list`));
      continue;
    }
    if (node.kind !== "scalar" || node.unresolved) continue; // the schema reports maps
    if (type === "string" && typeof node.value !== "string" && node.raw !== undefined) node.value = node.raw;
    if (!fits(type, node.value)) problems.push(problemAt(entry.keyLoc, path, `expected ${describeType(type)}, got ${describeNode(node)}`));
  }
  return problems;
}

function fits(type: "number" | "integer" | "boolean" | "string", v: unknown): boolean {
  switch (type) {
    case "number": return typeof v === "number" && Number.isFinite(v);
    case "integer": return typeof v === "number" && Number.isInteger(v);
    case "boolean": return typeof v === "boolean";
    case "string": return typeof v === "string";
  }
}

// model.features: at least one column, none listed twice, none in both lists, not the label.
export function checkFeatures(root: MapNode): SpecProblem[] {
  const features = mapAt(root, ["model", "features"]);
  if (!features) return [];
  const label = scalarAt(root, ["model", "label"])?.value;
  const problems: SpecProblem[] = [];
  const seen = new Map<string, string>(); // column -> list it was first seen in
  for (const list of ["numeric", "categorical"] as const) {
    const seq = nodeAt(features, [list]);
    if (seq?.kind !== "seq") continue;
    seq.items.forEach((item, i) => {
      if (item.kind !== "scalar" || typeof item.value !== "string" || item.value === "") return;
      const col = item.value;
      const path = ["model", "features", list, i];
      const first = seen.get(col);
      if (first === list) problems.push(problemAt(item.loc, path, `expected each column once, got "${col}" twice in model.features.${list}`));
      else if (first) problems.push(problemAt(item.loc, path, `expected a column to be numeric or categorical, got "${col}" in both`));
      else seen.set(col, list);
      if (col === label) problems.push(problemAt(item.loc, path, `expected feature columns other than the label, got the label "${col}"`));
    });
  }
  const listed = ["numeric", "categorical"].some((l) => {
    const seq = nodeAt(features, [l]);
    return seq?.kind === "seq" && seq.items.length > 0;
  });
  if (!listed) {
    problems.push(problemAt(locAt(root, ["model", "features"]), "model.features", "expected at least one column in numeric or categorical, got none"));
  }
  return [...problems, ...checkTransforms(root), ...checkStageList(root)];
}

// model.features.categoricalEncoding: index feeds category numbers straight to the model, which only trees
// read as categories; a linear model would treat them as magnitudes.
export function checkEncoding(root: MapNode): SpecProblem[] {
  const encoding = scalarAt(root, ["model", "features", "categoricalEncoding"]);
  const algorithm = scalarAt(root, ["model", "algorithm"])?.value;
  if (encoding?.value !== "index" || typeof algorithm !== "string" || !(ALGORITHMS as readonly string[]).includes(algorithm)) return [];
  if ((TREE_ALGORITHMS as readonly string[]).includes(algorithm)) return [];
  const path = ["model", "features", "categoricalEncoding"];
  return [problemAt(keyLocAt(root, path) ?? encoding.loc, path, `expected "onehot" for ${algorithm} (index is for tree algorithms, which split on categories), got "index"`)];
}

// model.label: required, except for clustering (a k-means model has no label; one given is refused, as it would be unused).
export function checkLabel(root: MapNode): SpecProblem[] {
  const algorithm = scalarAt(root, ["model", "algorithm"])?.value;
  if (!mapAt(root, ["model"]) || typeof algorithm !== "string" || !(ALGORITHMS as readonly string[]).includes(algorithm)) return [];
  const label = nodeAt(root, ["model", "label"]);
  const clustering = (CLUSTERING_ALGORITHMS as readonly string[]).includes(algorithm);
  if (!clustering && label === undefined) {
    return [problemAt(locAt(root, ["model", "label"]), ["model", "label"], "expected a string, got nothing (the field is required)")];
  }
  if (clustering && label !== undefined) {
    return [problemAt(locAt(root, ["model", "label"]), ["model", "label"], `expected no label for ${algorithm} (clustering has none), got ${describeNode(label)}`)];
  }
  return [];
}

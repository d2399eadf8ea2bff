// Feature-stage checks the schema cannot express: per-column transforms, scaler options, explicit stage lists.
import type { SpecProblem } from "../errors.js";
import { keyLocAt, mapAt, nodeAt, problemAt, scalarAt, type MapNode, type Node } from "./tree.js";

// The Spark stages mlship can export to the portable model, and the model.features option that builds each.
export const EXPORTABLE_STAGES: Readonly<Record<string, string>> = {
  VectorAssembler: "always added: numeric and categorical columns are assembled for you",
  StandardScaler: "model.features.scale: standard",
  MinMaxScaler: "model.features.scale: minmax",
  MaxAbsScaler: "model.features.scale: maxabs",
  StringIndexer: "model.features.categorical and model.features.indexer",
  OneHotEncoder: "model.features.categoricalEncoding: onehot and model.features.onehot",
  Imputer: "model.features.impute",
  Bucketizer: "model.features.bucketize",
  QuantileDiscretizer: "model.features.quantiles",
  Normalizer: "model.features.normalize",
  Binarizer: "model.features.binarize",
};

const TRANSFORMS = ["bucketize", "quantiles", "binarize"] as const;

// model.features.stages: every named stage must be exportable; exportable ones point to the option that builds them.
export function checkStageList(root: MapNode): SpecProblem[] {
  const list = nodeAt(root, ["model", "features", "stages"]);
  if (list?.kind !== "seq") return [];
  const exportable = Object.keys(EXPORTABLE_STAGES);
  const problems: SpecProblem[] = [];
  list.items.forEach((item, i) => {
    const path = ["model", "features", "stages", i];
    if (item.kind !== "map" || item.entries.size !== 1) {
      problems.push(problemAt(item.loc, path, `expected a map of one Spark stage class to its parameters, like "- Bucketizer: {…}", got ${shape(item)}`));
      return;
    }
    const [name, entry] = [...item.entries][0]!;
    const at = [...path, name];
    const simple = name.replace(/^org\.apache\.spark\.ml\.feature\./, "");
    if (!Object.hasOwn(EXPORTABLE_STAGES, simple)) {
      problems.push(problemAt(entry.keyLoc, at, `${name} cannot be exported to the portable model (mlship serves models without Spark, so every stage needs a TypeScript scorer); exportable stages: ${exportable.join(", ")}`));
    } else {
      problems.push(problemAt(entry.keyLoc, at, `expected the model.features options instead of an explicit stage list (the built-in trainer builds its own stages): for ${simple} use ${EXPORTABLE_STAGES[simple]}`));
    }
  });
  return problems;
}

function shape(node: Node): string {
  if (node.kind === "seq") return "a list";
  if (node.kind === "map") return `a map of ${node.entries.size} keys`;
  return JSON.stringify(node.value);
}

// bucketize / quantiles / binarize: numeric columns only, one transform per column, increasing splits;
// scaleOptions that match the chosen scaler.
export function checkTransforms(root: MapNode): SpecProblem[] {
  const features = mapAt(root, ["model", "features"]);
  if (!features) return [];
  const numeric = new Set<string>();
  const seq = nodeAt(features, ["numeric"]);
  if (seq?.kind === "seq") for (const item of seq.items) if (item.kind === "scalar" && typeof item.value === "string") numeric.add(item.value);
  const problems: SpecProblem[] = [];
  const claimed = new Map<string, string>(); // column -> transform
  for (const transform of TRANSFORMS) {
    const map = mapAt(features, [transform]);
    if (!map) continue;
    for (const [col, entry] of map.entries) {
      const path = ["model", "features", transform, col];
      if (!numeric.has(col)) problems.push(problemAt(entry.keyLoc, path, `expected a column of model.features.numeric, got "${col}"`));
      const other = claimed.get(col);
      if (other) problems.push(problemAt(entry.keyLoc, path, `expected one transform per column, got "${col}" in both ${other} and ${transform}`));
      else claimed.set(col, transform);
      if (transform === "bucketize") problems.push(...splitProblems(entry.value, path));
    }
  }
  return [...problems, ...scaleOptionProblems(root)];
}

// Bucketizer splits: at least three, strictly increasing ("-inf" and "inf" at the ends only).
function splitProblems(node: Node, path: (string | number)[]): SpecProblem[] {
  if (node.kind !== "seq") return []; // the schema reports it
  const values = node.items.map((item) => (item.kind !== "scalar" ? undefined : item.value === "-inf" ? -Infinity : item.value === "inf" ? Infinity : item.value));
  if (values.some((v) => typeof v !== "number")) return [];
  if (values.length < 3) return [problemAt(node.loc, path, `expected at least 3 splits (2 buckets), got ${values.length}`)];
  for (let i = 1; i < values.length; i++) {
    if (!((values[i] as number) > (values[i - 1] as number))) {
      return [problemAt(node.items[i]!.loc, [...path, i], `expected strictly increasing splits, got ${String(values[i])} after ${String(values[i - 1])}`)];
    }
  }
  return [];
}

// withMean/withStd belong to the standard scaler, min/max to minmax, and min must stay below max.
function scaleOptionProblems(root: MapNode): SpecProblem[] {
  const options = mapAt(root, ["model", "features", "scaleOptions"]);
  if (!options) return [];
  const raw = scalarAt(root, ["model", "features", "scale"])?.value;
  const scaler = raw === true ? "standard" : raw === false || raw === undefined ? "none" : raw;
  const owners: Record<string, string> = { withMean: "standard", withStd: "standard", min: "minmax", max: "minmax" };
  const problems: SpecProblem[] = [];
  for (const [name, entry] of options.entries) {
    const owner = owners[name];
    if (owner && owner !== scaler) {
      problems.push(problemAt(entry.keyLoc, ["model", "features", "scaleOptions", name], `expected model.features.scale: ${owner} for ${name}, got scale ${JSON.stringify(raw ?? false)}`));
    }
  }
  const min = scalarAt(options, ["min"])?.value ?? 0;
  const max = scalarAt(options, ["max"])?.value ?? 1;
  if (typeof min === "number" && typeof max === "number" && !(min < max)) {
    const path = ["model", "features", "scaleOptions", "max"];
    problems.push(problemAt(keyLocAt(root, path) ?? options.loc, path, `expected max greater than min, got min ${min} and max ${max}`));
  }
  return problems;
}

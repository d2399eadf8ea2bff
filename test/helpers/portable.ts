// Builds small portable models in memory (descriptor + Arrow stage tables) for scorer unit tests.
import { Bool, Field, Float64, List, makeVector, Table, tableFromArrays, vectorFromArray } from "apache-arrow";
import type { Descriptor, InputColumn } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";

export const table = (columns: Record<string, unknown[] | Float64Array | Int32Array>): ArrowTable =>
  tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]) as ArrowTable;

// A table with a list<float64> "coefficients" column (one list per row), as the linear models store them.
export function linearTable(intercepts: number[], coefficients: number[][]): ArrowTable {
  const coef = vectorFromArray(coefficients, new List(new Field("item", new Float64(), true)));
  return new Table({
    row: makeVector(Int32Array.from(intercepts.map((_, i) => i))),
    intercept: makeVector(Float64Array.from(intercepts)),
    coefficients: coef,
  }) as ArrowTable;
}

export function descriptor(partial: Partial<Descriptor> & { inputSchema: InputColumn[]; stages: Descriptor["stages"] }): Descriptor {
  return {
    format: "mlship-portable-model",
    formatVersion: 1,
    algorithm: "logistic_regression",
    task: "binary_classification",
    label: { column: "y", values: null },
    numClasses: 2,
    outputs: { prediction: "prediction", probability: "probability", rawPrediction: "rawPrediction" },
    ...partial,
  };
}

// One node of a hand-built tree: a leaf unless `feature` is given; `threshold` or `categories` (+ numCategories) split it.
export interface TreeNodeSpec {
  tree?: number;
  id: number;
  prediction?: number;
  stats?: number[];
  feature?: number;
  left?: number;
  right?: number;
  threshold?: number;
  categories?: number[];
  numCategories?: number;
}

// A tree stage's node table, with the column types the Spark side writes (docs/portable-model.md).
export function treeTable(nodes: TreeNodeSpec[]): ArrowTable {
  const f64List = () => new List(new Field("item", new Float64(), true));
  const split = (n: TreeNodeSpec) => n.feature !== undefined;
  return new Table({
    tree: makeVector(Int32Array.from(nodes.map((n) => n.tree ?? 0))),
    id: makeVector(Int32Array.from(nodes.map((n) => n.id))),
    leaf: vectorFromArray(nodes.map((n) => !split(n)), new Bool()),
    prediction: makeVector(Float64Array.from(nodes.map((n) => n.prediction ?? 0))),
    impurityStats: vectorFromArray(nodes.map((n) => n.stats ?? []), f64List()),
    leftChild: makeVector(Int32Array.from(nodes.map((n) => (split(n) ? n.left! : -1)))),
    rightChild: makeVector(Int32Array.from(nodes.map((n) => (split(n) ? n.right! : -1)))),
    featureIndex: makeVector(Int32Array.from(nodes.map((n) => n.feature ?? -1))),
    threshold: vectorFromArray(nodes.map((n) => (split(n) && !n.categories ? n.threshold! : null)), new Float64()),
    leftCategories: vectorFromArray(nodes.map((n) => n.categories ?? null), f64List()),
    numCategories: makeVector(Int32Array.from(nodes.map((n) => (n.categories ? n.numCategories! : -1)))),
  }) as ArrowTable;
}

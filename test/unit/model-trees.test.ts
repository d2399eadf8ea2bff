// Tree models on hand-built node tables: traversal, categorical sets, and each ensemble's output rules.
import { describe, expect, it } from "vitest";
import { compileModel, ModelError } from "../../src/model/index.js";
import type { ArrowTable } from "../../src/model/arrow.js";
import type { TreeStage } from "../../src/model/descriptor.js";
import { exactSum, fma, sparkDot } from "../../src/model/algorithms/ddot.js";
import { descriptor, table, treeTable, type TreeNodeSpec } from "../helpers/portable.js";

type Kind = TreeStage["kind"];

// Two numeric inputs a and b, assembled into `features` (a = feature 0, b = feature 1), then the tree stage.
function model(kind: Kind, nodes: TreeNodeSpec[], stage: Partial<TreeStage> = {}) {
  const numTrees = stage.numTrees ?? new Set(nodes.map((n) => n.tree ?? 0)).size;
  const classifier = kind.endsWith("_classifier");
  const tree: TreeStage = {
    kind,
    file: "tree",
    featuresCol: "features",
    numFeatures: 2,
    numTrees,
    treeWeights: new Array(numTrees).fill(1),
    ...(classifier ? { numClasses: 2, thresholds: null } : {}),
    ...(kind.startsWith("gbt") ? { lossType: classifier ? "logistic" : "squared" } : {}),
    ...stage,
  };
  const tables = new Map<string, ArrowTable>([
    ["va", table({ column: ["a", "b"], size: Int32Array.from([1, 1]) })],
    ["tree", treeTable(nodes)],
  ]);
  const d = descriptor({
    algorithm: kind,
    task: classifier ? (tree.numClasses === 2 ? "binary_classification" : "multiclass_classification") : "regression",
    numClasses: tree.numClasses,
    inputSchema: [
      { name: "a", type: "double", role: "numeric" },
      { name: "b", type: "double", role: "numeric" },
    ],
    stages: [{ kind: "vector_assembler", file: "va", inputCols: ["a", "b"], outputCol: "features", handleInvalid: "keep" }, tree],
  });
  return compileModel(d, tables);
}

// a <= 2 ? (b <= 10 ? 1 : 2) : 3, as a regression tree; `tree` and value offset let ensembles reuse it.
const stump = (tree = 0, offset = 0): TreeNodeSpec[] => [
  { tree, id: 0, feature: 0, threshold: 2, left: 1, right: 4 },
  { tree, id: 1, feature: 1, threshold: 10, left: 2, right: 3 },
  { tree, id: 2, prediction: 1 + offset },
  { tree, id: 3, prediction: 2 + offset },
  { tree, id: 4, prediction: 3 + offset },
];

describe("traversal", () => {
  const m = model("decision_tree_regressor", stump());
  const predict = (a: number, b: number) => m.scoreValues([a, b]).prediction;

  it("goes left when x <= threshold, so a value equal to the threshold goes left", () => {
    expect(predict(2, 10)).toBe(1);
    expect(predict(2, 10.000001)).toBe(2);
    expect(predict(2.0000001, 0)).toBe(3);
  });

  it("sends NaN right, as Java's x <= threshold is false for NaN", () => {
    expect(predict(Number.NaN, 0)).toBe(3);
    expect(predict(0, Number.NaN)).toBe(2);
  });
});

describe("categorical splits", () => {
  // Feature 0 has 5 categories; the left set decides.
  const categorical = (categories: number[]) =>
    model("decision_tree_regressor", [
      { id: 0, feature: 0, categories, numCategories: 5, left: 1, right: 2 },
      { id: 1, prediction: -1 },
      { id: 2, prediction: 1 },
    ]);
  const side = (m: ReturnType<typeof categorical>, a: number) => (m.scoreValues([a, 0]).prediction === -1 ? "left" : "right");

  it("sends a category left exactly when it is in the left set", () => {
    const m = categorical([1, 3]);
    expect([0, 1, 2, 3, 4].map((c) => side(m, c))).toEqual(["right", "left", "right", "left", "right"]);
  });

  it("sends values outside 0..numCategories-1 right when Spark stores the left set (|left| <= numCategories / 2)", () => {
    const m = categorical([1, 3]); // 2 <= 5 / 2 (integer division): Spark keeps {1, 3}
    expect([5, 7, -1, 1.5].map((v) => side(m, v))).toEqual(["right", "right", "right", "right"]);
  });

  it("sends them left when Spark stores the right set instead (|left| > numCategories / 2)", () => {
    const m = categorical([0, 2, 4]); // 3 > 2: Spark keeps the complement {1, 3}, and goes left when x is not in it
    expect([0, 1, 2, 3, 4].map((c) => side(m, c))).toEqual(["left", "right", "left", "right", "left"]);
    expect([5, 7, -1, 1.5].map((v) => side(m, v))).toEqual(["left", "left", "left", "left"]);
  });

  it("scores a pipeline whose StringIndexer (keep) feeds the tree, unseen and null values in the extra category", () => {
    // color: red=0, blue=1, green=2, unseen/null=3 (numCategories 4); left = {blue, unseen}
    const tables = new Map<string, ArrowTable>([
      ["si", table({ column: ["color", "color", "color"], index: Int32Array.from([0, 1, 2]), label: ["red", "blue", "green"] })],
      ["va", table({ column: ["x", "color__index"], size: Int32Array.from([1, 1]) })],
      [
        "tree",
        treeTable([
          { id: 0, feature: 1, categories: [1, 3], numCategories: 4, left: 1, right: 2 },
          { id: 1, stats: [1, 3] },
          { id: 2, feature: 0, threshold: 0.5, left: 3, right: 4 },
          { id: 3, stats: [6, 2] },
          { id: 4, stats: [0, 5] },
        ]),
      ],
    ]);
    const d = descriptor({
      algorithm: "decision_tree_classifier",
      inputSchema: [
        { name: "x", type: "double", role: "numeric" },
        { name: "color", type: "string", role: "categorical" },
      ],
      stages: [
        { kind: "string_indexer", file: "si", inputCols: ["color"], outputCols: ["color__index"], handleInvalid: "keep" },
        { kind: "vector_assembler", file: "va", inputCols: ["x", "color__index"], outputCol: "features", handleInvalid: "error" },
        { kind: "decision_tree_classifier", file: "tree", featuresCol: "features", numFeatures: 2, numTrees: 1, treeWeights: [1], numClasses: 2, thresholds: null },
      ],
    });
    const m = compileModel(d, tables);
    expect(m.scoreRecord({ x: 0, color: "blue" }).rawPrediction).toEqual([1, 3]);
    expect(m.scoreRecord({ x: 0, color: "purple" }).rawPrediction).toEqual([1, 3]);
    expect(m.scoreRecord({ x: 0, color: null }).rawPrediction).toEqual([1, 3]);
    expect(m.scoreRecord({ x: 0, color: "red" }).rawPrediction).toEqual([6, 2]);
    expect(m.scoreRecord({ x: 1, color: "green" })).toEqual({ prediction: 1, label: 1, rawPrediction: [0, 5], probability: [0, 1] });
  });
});

describe("decision tree classifier", () => {
  const nodes: TreeNodeSpec[] = [
    { id: 0, feature: 0, threshold: 0, left: 1, right: 2 },
    { id: 1, stats: [3, 1] },
    { id: 2, stats: [2, 2] },
  ];

  it("returns the leaf's class counts as raw, their shares as probability, the largest count as prediction", () => {
    const m = model("decision_tree_classifier", nodes);
    expect(m.scoreRecord({ a: -1, b: 0 })).toEqual({ prediction: 0, label: 0, rawPrediction: [3, 1], probability: [0.75, 0.25] });
  });

  it("breaks ties towards the first class, as DenseVector.argmax does", () => {
    expect(model("decision_tree_classifier", nodes).scoreValues([1, 0]).prediction).toBe(0);
  });

  it("divides probabilities by thresholds when they are set", () => {
    const m = model("decision_tree_classifier", nodes, { thresholds: [0.8, 0.2] });
    expect(m.scoreValues([-1, 0]).prediction).toBe(1); // 0.75 / 0.8 < 0.25 / 0.2
  });
});

describe("random forest", () => {
  // Three trees on feature 0; class counts of different totals, so votes are shares, not counts.
  const forest: TreeNodeSpec[] = [0, 1, 2].flatMap((tree) => [
    { tree, id: 0, feature: 0, threshold: tree, left: 1, right: 2 },
    { tree, id: 1, stats: [[1, 3, 0], [10, 0, 0], [2, 2, 4]][tree]!, prediction: [1, 10, 100][tree]! },
    { tree, id: 2, stats: [[0, 0, 5], [1, 1, 2], [0, 9, 1]][tree]!, prediction: [2, 20, 200][tree]! },
  ]);

  it("classifier: sums each tree's class shares (counts / their total), then normalises", () => {
    const m = model("random_forest_classifier", forest, { numClasses: 3 });
    // a = 0.5: tree 0 goes right ([0,0,5] -> [0,0,1]), trees 1 and 2 go left ([1,0,0] and [.25,.25,.5]).
    const r = m.scoreRecord({ a: 0.5, b: 0 });
    const raw = [0 + 1 + 0.25, 0 + 0 + 0.25, 1 + 0 + 0.5];
    expect(r.rawPrediction).toEqual(raw);
    const sum = raw[0]! + raw[1]! + raw[2]!;
    expect(r.probability).toEqual(raw.map((v) => v / sum));
    expect(r.prediction).toBe(2);
  });

  it("regressor: averages the trees' predictions, ignoring tree weights as Spark does", () => {
    const m = model("random_forest_regressor", forest, { treeWeights: [5, 5, 5] });
    expect(m.scoreValues([0.5, 0]).prediction).toBe((2 + 10 + 100) / 3);
    expect(m.scoreValues([3, 0]).prediction).toBe((2 + 20 + 200) / 3);
  });
});

describe("gradient-boosted trees", () => {
  const trees = [...stump(0), ...stump(1, -2.5)];

  it("regressor: the weighted sum of the trees' predictions", () => {
    const m = model("gbt_regressor", trees, { treeWeights: [1, 0.1] });
    expect(m.scoreValues([0, 0]).prediction).toBe(1 * 1 + 0.1 * -1.5);
    expect(m.scoreValues([5, 0]).prediction).toBe(1 * 3 + 0.1 * 0.5);
  });

  it("classifier: raw = [-m, m], probability from the logistic loss, class 1 when m > 0", () => {
    const m = model("gbt_classifier", trees, { treeWeights: [1, 0.1] });
    const margin = 1 * 1 + 0.1 * -1.5;
    const r = m.scoreRecord({ a: 0, b: 0 });
    expect(r.rawPrediction).toEqual([-margin, margin]);
    const p0 = 1 / (1 + Math.exp(2 * margin));
    expect(r.probability).toEqual([p0, 1 - p0]);
    expect(r.prediction).toBe(1);
  });

  it("classifier: a zero margin predicts class 0 (ties go to the first class)", () => {
    const m = model("gbt_classifier", [...stump(0), ...stump(1)], { treeWeights: [1, -1] });
    const r = m.scoreRecord({ a: 0, b: 0 });
    expect(r.rawPrediction).toEqual([-0, 0]);
    expect(r.probability).toEqual([0.5, 0.5]);
    expect(r.prediction).toBe(0);
  });

  it("classifier: refuses another loss or more than two classes", () => {
    expect(() => model("gbt_classifier", stump(), { lossType: "exponential" })).toThrow(/lossType "exponential", expected "logistic"/);
    expect(() => model("gbt_classifier", stump(), { numClasses: 3 })).toThrow(/numClasses 3, expected 2/);
  });
});

describe("bad node tables fail at load, with the reason", () => {
  it.each<[string, TreeNodeSpec[], Partial<TreeStage>, RegExp]>([
    ["nodes out of order", [stump()[1]!, stump()[0]!, ...stump().slice(2)], {}, /out of order/],
    ["a split on a feature the vector lacks", [{ id: 0, feature: 2, threshold: 0, left: 1, right: 2 }, { id: 1 }, { id: 2 }], {}, /splits on feature 2 of 2/],
    ["a child before its parent", [{ id: 0, feature: 0, threshold: 0, left: 0, right: 1 }, { id: 1 }], {}, /children 0 and 1/],
    ["fewer trees than numTrees", stump(), { numTrees: 2, treeWeights: [1, 1] }, /tree 1 has no nodes/],
    ["weights that do not match numTrees", stump(), { treeWeights: [1, 1] }, /2 tree weights for 1 trees/],
    ["a category outside numCategories", [{ id: 0, feature: 0, categories: [4], numCategories: 3, left: 1, right: 2 }, { id: 1 }, { id: 2 }], {}, /left category 4 is not in 0..2/],
  ])("%s", (_, nodes, stage, message) => {
    expect(() => model("decision_tree_regressor", nodes, stage)).toThrow(ModelError);
    expect(() => model("decision_tree_regressor", nodes, stage)).toThrow(message);
  });

  it("a leaf whose class counts do not match numClasses", () => {
    expect(() => model("decision_tree_classifier", [{ id: 0, stats: [1, 2, 3] }])).toThrow(/a leaf has 3 class counts for 2 classes/);
  });
});

describe("Spark's ddot, for the GBT margin", () => {
  it("fma rounds once (Java's Math.fma), which a * b + c does not", () => {
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17);
    expect(0.1 * 10 - 1).toBe(0);
    expect(fma(1 / 3, 3, -1)).toBe(-5.551115123125783e-17);
    expect(fma(1e16, 1.0000000000000002, -1e16)).toBe(2.220446049250313);
  });

  it("exactSum rounds the exact sum once (math.fsum)", () => {
    expect(exactSum([1e16, 1, -1e16])).toBe(1);
    expect(exactSum(new Array(10).fill(0.1))).toBe(1);
    expect(exactSum([1, 1e-16, 1e-16])).toBe(1.0000000000000002);
  });

  // Values from Python's fractions: lane-wise fma then the lanes in order, or the exact dot product.
  const x = Float64Array.from([300000.5, 12345.25, -2222.125, 999.75, 7.5, 1e-3, 3.25, 11.0, 42.0, 0.1]);
  const y = Float64Array.from([1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
  it("sums like VectorBLAS with the exporting JVM's lane count, exactly without one", () => {
    expect(sparkDot(4)(x, y, 10)).toBe(301119.17260000005);
    expect(sparkDot(8)(x, y, 10)).toBe(301119.1726);
    expect(sparkDot(null)(x, y, 10)).toBe(301119.1726);
    expect(sparkDot(4)(x, y, 3)).toBe(300000.5 + 12345.25 * 0.1 + -2222.125 * 0.1); // fewer than a lane: plain order
  });

  it("a GBT uses its stage's ddotLanes", () => {
    // ten one-leaf trees predicting x's values, weighted by y: the margin is the dot product above
    const leaves: TreeNodeSpec[] = [...x].map((v, tree) => ({ tree, id: 0, prediction: v }));
    const gbt = (ddotLanes: number | null) => model("gbt_regressor", leaves, { treeWeights: [...y], ddotLanes }).scoreValues([0, 0]).prediction;
    expect(gbt(4)).toBe(301119.17260000005);
    expect(gbt(null)).toBe(301119.1726);
  });
});

// Reads a tree stage's node table into flat typed arrays and walks a tree as Spark's Node.predictImpl does.
import type { TreeStage } from "../descriptor.js";
import { type ArrowTable, listColumn, numberColumn } from "../arrow.js";
import { ModelError } from "../frame.js";

// A categorical split as Spark's CategoricalSplit holds it: membership of the left categories, and where a
// value outside 0..numCategories-1 goes (Spark keeps the smaller side as its set, so that depends on the sizes).
interface CategoricalSet {
  inLeft: Uint8Array; // inLeft[c] = 1 when category c goes left; length numCategories
  outsideGoesLeft: boolean;
}

// Every node of every tree, indexed globally (tree t's node id i is roots[t] + i).
export interface Forest {
  numTrees: number;
  roots: Int32Array;
  feature: Int32Array; // -1 for a leaf
  threshold: Float64Array; // continuous splits; NaN otherwise
  categorical: Int32Array; // index into sets for categorical splits; -1 otherwise
  sets: CategoricalSet[];
  left: Int32Array;
  right: Int32Array;
  prediction: Float64Array;
  stats: Float64Array[]; // each node's impurityStats (class counts for classifiers)
}

// Builds the forest, checking the table against the stage so a bad file fails at load, not per row.
export function readForest(stage: TreeStage, table: ArrowTable): Forest {
  const where = stage.kind;
  const trees = numberColumn(table, "tree");
  const ids = numberColumn(table, "id");
  const leaves = numberColumn(table, "leaf"); // booleans, read as 1 and 0
  const leftChild = numberColumn(table, "leftChild");
  const rightChild = numberColumn(table, "rightChild");
  const featureIndex = numberColumn(table, "featureIndex");
  const thresholds = numberColumn(table, "threshold");
  const leftCategories = listColumn(table, "leftCategories");
  const numCategories = numberColumn(table, "numCategories");
  const predictions = numberColumn(table, "prediction");
  const impurityStats = listColumn(table, "impurityStats");
  const n = table.numRows;
  if (stage.treeWeights.length !== stage.numTrees) throw new ModelError(`${where}: ${stage.treeWeights.length} tree weights for ${stage.numTrees} trees`);

  const forest: Forest = {
    numTrees: stage.numTrees,
    roots: new Int32Array(stage.numTrees).fill(-1),
    feature: new Int32Array(n),
    threshold: new Float64Array(n).fill(Number.NaN),
    categorical: new Int32Array(n).fill(-1),
    sets: [],
    left: new Int32Array(n),
    right: new Int32Array(n),
    prediction: new Float64Array(n),
    stats: new Array<Float64Array>(n),
  };
  for (let row = 0; row < n; row++) {
    const t = trees[row]!;
    const id = ids[row]!;
    if (t === null || t < 0 || t >= stage.numTrees) throw new ModelError(`${where}: row ${row} belongs to tree ${t}, expected 0..${stage.numTrees - 1}`);
    if (id === 0) {
      if (forest.roots[t]! >= 0) throw new ModelError(`${where}: tree ${t} has two roots`);
      forest.roots[t] = row;
    }
    const root = forest.roots[t]!;
    // Spark numbers each tree's nodes 0..n-1 in pre-order, so a tree's rows are contiguous and children come later.
    if (root < 0 || root + id !== row) throw new ModelError(`${where}: row ${row} (tree ${t}, node ${id}) is out of order; expected rows sorted by tree, then node id from 0`);
    forest.prediction[row] = predictions[row] ?? Number.NaN;
    forest.stats[row] = impurityStats[row] ?? new Float64Array(0);
    const feature = featureIndex[row] ?? -1;
    forest.feature[row] = feature;
    if ((feature < 0) !== (leaves[row] === 1)) throw new ModelError(`${where}: node ${id} of tree ${t} has leaf=${leaves[row] === 1} but featureIndex ${feature}`);
    if (feature < 0) continue; // a leaf
    if (feature >= stage.numFeatures) throw new ModelError(`${where}: node ${id} of tree ${t} splits on feature ${feature} of ${stage.numFeatures}`);
    const l = leftChild[row]!;
    const r = rightChild[row]!;
    if (!(l > id && r > id)) throw new ModelError(`${where}: node ${id} of tree ${t} has children ${l} and ${r}; expected ids after its own`);
    forest.left[row] = root + l;
    forest.right[row] = root + r;
    const cats = leftCategories[row];
    if (cats) {
      forest.categorical[row] = forest.sets.length;
      forest.sets.push(categoricalSet(cats, numCategories[row] ?? -1, `${where}: node ${id} of tree ${t}`));
    } else {
      const threshold = thresholds[row];
      if (threshold === null || threshold === undefined) throw new ModelError(`${where}: node ${id} of tree ${t} has neither a threshold nor left categories`);
      forest.threshold[row] = threshold;
    }
  }
  forest.roots.forEach((root, t) => {
    if (root < 0) throw new ModelError(`${where}: tree ${t} has no nodes`);
  });
  forest.left.forEach((child, row) => {
    if (forest.feature[row]! >= 0 && (child >= n || forest.right[row]! >= n)) throw new ModelError(`${where}: row ${row} points past the last node`);
  });
  return forest;
}

// Spark's CategoricalSplit(featureIndex, leftCategories, numCategories): isLeft = |left| <= numCategories / 2
// (integer division); a value in range goes left iff it is a left category either way; a value outside the
// range goes left only when Spark stores the right side (isLeft false), since it is then "not a right category".
function categoricalSet(left: Float64Array, numCategories: number, where: string): CategoricalSet {
  if (!Number.isInteger(numCategories) || numCategories < 1) throw new ModelError(`${where}: numCategories ${numCategories}`);
  const inLeft = new Uint8Array(numCategories);
  for (const c of left) {
    if (!Number.isInteger(c) || c < 0 || c >= numCategories) throw new ModelError(`${where}: left category ${c} is not in 0..${numCategories - 1}`);
    inLeft[c] = 1;
  }
  return { inLeft, outsideGoesLeft: !(left.length <= Math.floor(numCategories / 2)) };
}

// The leaf (global node index) that features x reach in tree t: continuous splits go left when
// x <= threshold (NaN goes right, as Java's comparison), categorical ones when x is a left category.
export function leafOf(f: Forest, t: number, x: Float64Array): number {
  let node = f.roots[t]!;
  for (;;) {
    const feature = f.feature[node]!;
    if (feature < 0) return node;
    const v = x[feature]!;
    const c = f.categorical[node]!;
    let goLeft: boolean;
    if (c < 0) goLeft = v <= f.threshold[node]!;
    else {
      const set = f.sets[c]!;
      goLeft = Number.isInteger(v) && v >= 0 && v < set.inLeft.length ? set.inLeft[v] === 1 : set.outsideGoesLeft;
    }
    node = goLeft ? f.left[node]! : f.right[node]!;
  }
}

// The algorithm catalogue's TypeScript views: names, param tables and kind lists, all derived from
// spark-scripts/mlship_runtime/catalogue.json (through catalogue.generated.ts), which the Spark side reads too.
import { ALGORITHM_NAMES, CATALOGUE } from "./catalogue.generated.js";

export { CATALOGUE };
export type Algorithm = (typeof ALGORITHM_NAMES)[number];
export type CatalogueEntry = (typeof CATALOGUE)[Algorithm];

// The algorithms whose catalogue entry matches `Shape` (e.g. { exporter: "trees" }), as a string-literal union.
type AlgorithmsWhere<Shape> = { [A in Algorithm]: (typeof CATALOGUE)[A] extends Shape ? A : never }[Algorithm];
export type TreeAlgorithm = AlgorithmsWhere<{ exporter: "trees" }>;
export type ClusteringAlgorithm = AlgorithmsWhere<{ label: "none" }>;

// Every algorithm, in catalogue order (the order error messages list them in).
export const ALGORITHMS: typeof ALGORITHM_NAMES = ALGORITHM_NAMES;

export const isAlgorithm = (name: string): name is Algorithm => (ALGORITHMS as readonly string[]).includes(name);

// The tree learners (exporter "trees"): they split on category indices, so their encoding default is index.
export const TREE_ALGORITHMS: readonly TreeAlgorithm[] = ALGORITHMS.filter((a): a is TreeAlgorithm => CATALOGUE[a].exporter === "trees");
// Algorithms without a label (label "none"): the model groups rows and model.label is left out.
export const CLUSTERING_ALGORITHMS: readonly ClusteringAlgorithm[] = ALGORITHMS.filter((a): a is ClusteringAlgorithm => CATALOGUE[a].label === "none");

// "integers": a list of integers (mlp_classifier's hiddenLayers and layers); every other param is a scalar.
export type ParamType = "number" | "integer" | "boolean" | "string" | "integers";
export type ParamTypes = Readonly<Record<string, ParamType>>;

// Spark ML parameters accepted per algorithm (names as Spark spells them; mlshipParams are read by mlship itself).
export const ALGORITHM_PARAMS: Readonly<Record<Algorithm, ParamTypes>> = byAlgorithm((a) => CATALOGUE[a].params);

// A table with one entry per algorithm (fromEntries cannot know that ALGORITHMS names each key once, hence the cast).
function byAlgorithm<T>(value: (algorithm: Algorithm) => T): Record<Algorithm, T> {
  return Object.fromEntries(ALGORITHMS.map((a) => [a, value(a)])) as Record<Algorithm, T>;
}

export const CATEGORICAL_ENCODINGS = ["onehot", "index"] as const;
export type CategoricalEncoding = (typeof CATEGORICAL_ENCODINGS)[number];

// model.features.categoricalEncoding when the spec leaves it out (the catalogue's defaultEncoding).
export function defaultEncoding(algorithm: Algorithm): CategoricalEncoding {
  return CATALOGUE[algorithm].defaultEncoding;
}

// The model stage kinds of portable models, each algorithm's portableKinds in catalogue order.
type PortableKind = (typeof CATALOGUE)[Algorithm]["portableKinds"][number];
export const PORTABLE_MODEL_KINDS: readonly PortableKind[] = ALGORITHMS.flatMap((a): readonly PortableKind[] => CATALOGUE[a].portableKinds);
export type TreeModelKind = (typeof CATALOGUE)[TreeAlgorithm]["portableKinds"][number];
export const TREE_MODEL_KINDS: readonly TreeModelKind[] = TREE_ALGORITHMS.flatMap((a): readonly TreeModelKind[] => CATALOGUE[a].portableKinds);

// The update modes of `mlship update` (docs/updating.md), each algorithm's in its catalogue `updateModes`.
export const UPDATE_MODES = ["exact", "laplace", "warm", "continue", "streaming", "retrain"] as const;
export type UpdateMode = (typeof UPDATE_MODES)[number];

// An algorithm's default update mode: the first of its catalogue `updateModes`.
export const defaultUpdateMode = (algorithm: Algorithm): UpdateMode => CATALOGUE[algorithm].updateModes[0] as UpdateMode;

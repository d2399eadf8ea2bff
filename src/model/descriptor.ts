// The portable model descriptor (portable/descriptor.json), as documented in docs/portable-model.md.
import { PORTABLE_MODEL_KINDS, TREE_MODEL_KINDS, type TreeModelKind } from "../catalogue/index.js";

export type Task = "binary_classification" | "multiclass_classification" | "regression" | "clustering";
export type ColumnType = "double" | "string";

export interface InputColumn {
  name: string;
  type: ColumnType;
  role: "numeric" | "categorical";
  // The column's Spark type in the training data as read, before the cast to double/string ("double",
  // "bigint", "decimal(10,2)", …): how a value of another type is cast (docs/serving.md, input contract).
  // Absent in models trained before it was recorded: then the pipeline type.
  sparkType?: string;
}

export interface StageBase {
  kind: string;
  uid?: string;
  file: string;
}

export interface ImputerStage extends StageBase {
  kind: "imputer";
  inputCols: string[];
  outputCols: string[];
  strategy: string;
  missingValue: number | "NaN";
}
export interface StringIndexerStage extends StageBase {
  kind: "string_indexer";
  inputCols: string[];
  outputCols: string[];
  handleInvalid: "error" | "skip" | "keep";
}
export interface OneHotEncoderStage extends StageBase {
  kind: "one_hot_encoder";
  inputCols: string[];
  outputCols: string[];
  dropLast: boolean;
  handleInvalid: "error" | "keep";
}
export interface VectorAssemblerStage extends StageBase {
  kind: "vector_assembler";
  inputCols: string[];
  outputCol: string;
  handleInvalid: "error" | "skip" | "keep";
}
export interface StandardScalerStage extends StageBase {
  kind: "standard_scaler";
  inputCol: string;
  outputCol: string;
  withMean: boolean;
  withStd: boolean;
}
export interface MinMaxScalerStage extends StageBase {
  kind: "min_max_scaler";
  inputCol: string;
  outputCol: string;
  min: number;
  max: number;
}
export interface MaxAbsScalerStage extends StageBase {
  kind: "max_abs_scaler";
  inputCol: string;
  outputCol: string;
}
export interface BucketizerStage extends StageBase {
  kind: "bucketizer";
  inputCols: string[];
  outputCols: string[];
  handleInvalid: "error" | "skip" | "keep";
}
export interface BinarizerStage extends StageBase {
  kind: "binarizer";
  inputCols: string[];
  outputCols: string[];
}
export interface NormalizerStage extends StageBase {
  kind: "normalizer";
  inputCol: string;
  outputCol: string;
  p: number | "Infinity"; // informational: the scorer reads p from the stage table
}
// A transfer's source (feature and offset methods, docs/transfer.md): the portable model in the folder `source`
// (relative to portable/, "source/") scored on the row's inputs; writes its `use` output as `outputCol`, `size` wide.
export interface SourceModelStage extends StageBase {
  kind: "source_model";
  source: string;
  algorithm: string;
  use: "probability" | "margin" | "prediction" | "hidden"; // hidden: an MLP source's last hidden layer, `size` units
  inputCols: string[];
  outputCol: string;
  size: number;
}
export interface LogisticRegressionStage extends StageBase {
  kind: "logistic_regression";
  featuresCol: string;
  numClasses: number;
  numFeatures: number;
  isMultinomial: boolean;
  threshold?: number;
  thresholds?: number[] | null;
  ddotLanes?: number | null; // how Spark sums a dense dot product (algorithms/ddot.ts); absent in older exports
  sparseCoefficients?: boolean;
}
export interface LinearRegressionStage extends StageBase {
  kind: "linear_regression";
  featuresCol: string;
  numFeatures: number;
  ddotLanes?: number | null;
  sparseCoefficients?: boolean;
}
// Spark's resolved family and link names (GeneralizedLinearRegression.FamilyAndLink).
export const GLM_FAMILIES = ["gaussian", "binomial", "poisson", "gamma", "tweedie"] as const;
export const GLM_LINKS = ["identity", "log", "inverse", "logit", "probit", "cloglog", "sqrt", "power"] as const;
export interface GeneralizedLinearRegressionStage extends StageBase {
  kind: "generalized_linear_regression";
  featuresCol: string;
  numFeatures: number;
  family: (typeof GLM_FAMILIES)[number];
  link: (typeof GLM_LINKS)[number];
  linkPower: number | null; // the power of a "power" link
  variancePower: number | null; // tweedie only; informational
  ddotLanes: number | null;
  sparseCoefficients: boolean;
  offsetCol?: string; // transfer offset: eta adds this column (the source's margin), as Spark's offsetCol
}
export interface LinearSvcStage extends StageBase {
  kind: "linear_svc";
  featuresCol: string;
  numFeatures: number;
  numClasses: 2;
  threshold: number; // on the margin, not a probability
  ddotLanes: number | null;
  sparseCoefficients: boolean;
}
export interface KMeansStage extends StageBase {
  kind: "kmeans";
  featuresCol: string;
  numFeatures: number;
  k: number;
  distanceMeasure: "euclidean" | "cosine";
  ddotLanes: number | null;
}

// The tree models: one node table per stage (docs/portable-model.md, "Tree models"); the algorithm catalogue's
// portable kinds of its "trees" exporter family.
export const TREE_STAGE_KINDS = TREE_MODEL_KINDS;
export type TreeKind = TreeModelKind;

// Naive Bayes: pi, theta, sigma per class (docs/portable-model.md, "Naive Bayes").
export interface NaiveBayesStage extends StageBase {
  kind: "naive_bayes";
  featuresCol: string;
  numFeatures: number;
  numClasses: number;
  modelType: "multinomial" | "complement" | "bernoulli" | "gaussian";
  smoothing?: number;
  thresholds?: number[] | null;
  ddotLanes?: number | null; // SIMD lanes of Spark's BLAS dgemv on dense vectors; null for the exact sum
}
// Multilayer perceptron: one row of weights and biases per affine layer (docs/portable-model.md).
export interface MlpStage extends StageBase {
  kind: "mlp_classifier";
  featuresCol: string;
  numFeatures: number;
  numClasses: number;
  layers: number[];
  thresholds?: number[] | null;
}

export interface TreeStage extends StageBase {
  kind: TreeKind;
  featuresCol: string;
  numFeatures: number;
  numTrees: number;
  treeWeights: number[];
  numClasses?: number; // classifiers
  thresholds?: number[] | null; // classifiers; null when not set
  lossType?: string; // GBTs
  ddotLanes?: number | null; // GBTs: SIMD lanes of Spark's BLAS ddot; null for the exact sum
}

export type Stage =
  | ImputerStage
  | StringIndexerStage
  | OneHotEncoderStage
  | VectorAssemblerStage
  | StandardScalerStage
  | MinMaxScalerStage
  | MaxAbsScalerStage
  | BucketizerStage
  | BinarizerStage
  | NormalizerStage
  | SourceModelStage
  | LogisticRegressionStage
  | LinearRegressionStage
  | GeneralizedLinearRegressionStage
  | LinearSvcStage
  | KMeansStage
  | NaiveBayesStage
  | MlpStage
  | TreeStage;

export const FEATURE_STAGE_KINDS = [
  "imputer",
  "string_indexer",
  "one_hot_encoder",
  "vector_assembler",
  "standard_scaler",
  "min_max_scaler",
  "max_abs_scaler",
  "bucketizer",
  "binarizer",
  "normalizer",
  "source_model",
] as const;
// Every model stage kind: the portable kinds of the algorithm catalogue (compile-table.ts checks that the Stage union
// above has a type for each, and MODEL_COMPILERS a scorer).
export const MODEL_STAGE_KINDS = PORTABLE_MODEL_KINDS;

export interface Descriptor {
  format: "mlship-portable-model";
  formatVersion: 1;
  sparkVersion?: string;
  algorithm: string;
  task: Task;
  inputSchema: InputColumn[];
  label: { column: string | null; values: (string | number)[] | null }; // column null for clustering
  numClasses?: number;
  stages: Stage[];
  outputs: { prediction: string; probability?: string; rawPrediction?: string };
}

// Checks the parts of a parsed descriptor.json that the scorer relies on; returns problems.
export function checkDescriptor(value: unknown): { ok: true; descriptor: Descriptor } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const d = value as Partial<Descriptor> | null;
  if (!d || typeof d !== "object") return { ok: false, problems: ["descriptor is not a JSON object"] };
  if (d.format !== "mlship-portable-model") problems.push(`format: expected "mlship-portable-model", got ${JSON.stringify(d.format)}`);
  if (d.formatVersion !== 1) problems.push(`formatVersion: expected 1, got ${JSON.stringify(d.formatVersion)}`);
  if (!Array.isArray(d.inputSchema) || d.inputSchema.length === 0) problems.push("inputSchema: expected a non-empty list");
  if (!Array.isArray(d.stages) || d.stages.length === 0) problems.push("stages: expected a non-empty list");
  else {
    const known = new Set<string>([...FEATURE_STAGE_KINDS, ...MODEL_STAGE_KINDS]);
    d.stages.forEach((s, i) => {
      if (!known.has(s?.kind)) problems.push(`stages[${i}].kind: unknown stage kind ${JSON.stringify(s?.kind)}`);
      if (typeof s?.file !== "string") problems.push(`stages[${i}].file: expected a path`);
    });
  }
  if (!["binary_classification", "multiclass_classification", "regression", "clustering"].includes(d.task as string)) {
    problems.push(`task: unknown task ${JSON.stringify(d.task)}`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, descriptor: d as Descriptor };
}

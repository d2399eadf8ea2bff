// The portable model descriptor (portable/descriptor.json), as documented in docs/portable-model.md.

export type Task = "binary_classification" | "multiclass_classification" | "regression";
export type ColumnType = "double" | "string";

export interface InputColumn {
  name: string;
  type: ColumnType;
  role: "numeric" | "categorical";
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
export interface LogisticRegressionStage extends StageBase {
  kind: "logistic_regression";
  featuresCol: string;
  numClasses: number;
  numFeatures: number;
  isMultinomial: boolean;
  threshold?: number;
  thresholds?: number[] | null;
}
export interface LinearRegressionStage extends StageBase {
  kind: "linear_regression";
  featuresCol: string;
  numFeatures: number;
}

// The tree models: one node table per stage (docs/portable-model.md, "Tree models").
export const TREE_STAGE_KINDS = [
  "decision_tree_classifier",
  "decision_tree_regressor",
  "random_forest_classifier",
  "random_forest_regressor",
  "gbt_classifier",
  "gbt_regressor",
] as const;
export type TreeKind = (typeof TREE_STAGE_KINDS)[number];

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
  | LogisticRegressionStage
  | LinearRegressionStage
  | TreeStage;

export const FEATURE_STAGE_KINDS = ["imputer", "string_indexer", "one_hot_encoder", "vector_assembler", "standard_scaler"] as const;
export const MODEL_STAGE_KINDS = ["logistic_regression", "linear_regression", ...TREE_STAGE_KINDS] as const;

export interface Descriptor {
  format: "mlship-portable-model";
  formatVersion: 1;
  sparkVersion?: string;
  algorithm: string;
  task: Task;
  inputSchema: InputColumn[];
  label: { column: string; values: (string | number)[] | null };
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
  if (!["binary_classification", "multiclass_classification", "regression"].includes(d.task as string)) {
    problems.push(`task: unknown task ${JSON.stringify(d.task)}`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, descriptor: d as Descriptor };
}

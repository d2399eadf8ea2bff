// One compile function per stage kind, in typed tables: a stage kind with no scorer does not compile.
import type { ArrowTable } from "./arrow.js";
import { FEATURE_STAGE_KINDS, MODEL_STAGE_KINDS, type Stage } from "./descriptor.js";
import type { SlotMap, StageFn } from "./frame.js";
import { compileImputer } from "./stages/imputer.js";
import { compileStringIndexer } from "./stages/string-indexer.js";
import { compileOneHotEncoder } from "./stages/one-hot-encoder.js";
import { compileVectorAssembler } from "./stages/vector-assembler.js";
import { compileStandardScaler } from "./stages/standard-scaler.js";
import { compileMinMaxScaler } from "./stages/min-max-scaler.js";
import { compileMaxAbsScaler } from "./stages/max-abs-scaler.js";
import { compileBucketizer } from "./stages/bucketizer.js";
import { compileBinarizer } from "./stages/binarizer.js";
import { compileNormalizer } from "./stages/normalizer.js";
import { compileSourceModel, type CompileEnv } from "./stages/source-model.js";
import { compileLogisticRegression } from "./algorithms/logistic-regression.js";
import { compileLinearRegression } from "./algorithms/linear-regression.js";
import { compileGeneralizedLinearRegression } from "./algorithms/glm.js";
import { compileLinearSvc } from "./algorithms/linear-svc.js";
import { compileKMeans } from "./algorithms/kmeans.js";
import { compileTreeModel } from "./algorithms/tree-models.js";
import { compileNaiveBayes } from "./algorithms/naive-bayes.js";
import { compileMlp } from "./algorithms/mlp.js";
import type { PredictFn } from "./algorithms/types.js";

export type StageKind = Stage["kind"];
export type FeatureStageKind = (typeof FEATURE_STAGE_KINDS)[number];
export type ModelStageKind = (typeof MODEL_STAGE_KINDS)[number];
export type FeatureStage = Stage & { kind: FeatureStageKind };
export type ModelStage = Stage & { kind: ModelStageKind };
type StageOf<K extends StageKind> = Stage & { kind: K };

// The two kind lists (which checkDescriptor accepts) are exactly the kinds of the Stage union: neither a
// descriptor type without a listed kind, nor a listed kind without a descriptor type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const LISTS_COVER_STAGES: Same<FeatureStageKind | ModelStageKind, StageKind> = true;
void LISTS_COVER_STAGES;

// Feature stages: a function over the row's slots.
export const FEATURE_COMPILERS: { readonly [K in FeatureStageKind]: (stage: StageOf<K>, table: ArrowTable, slots: SlotMap, env: CompileEnv) => StageFn } = {
  imputer: compileImputer,
  string_indexer: compileStringIndexer,
  one_hot_encoder: compileOneHotEncoder,
  vector_assembler: compileVectorAssembler,
  standard_scaler: compileStandardScaler,
  min_max_scaler: compileMinMaxScaler,
  max_abs_scaler: compileMaxAbsScaler,
  bucketizer: compileBucketizer,
  binarizer: compileBinarizer,
  normalizer: compileNormalizer,
  source_model: compileSourceModel,
};

// Model stages: a predict function over the assembled features.
export const MODEL_COMPILERS: { readonly [K in ModelStageKind]: (stage: StageOf<K>, table: ArrowTable, slots: SlotMap) => PredictFn } = {
  logistic_regression: compileLogisticRegression,
  linear_regression: compileLinearRegression,
  generalized_linear_regression: compileGeneralizedLinearRegression,
  linear_svc: compileLinearSvc,
  kmeans: compileKMeans,
  naive_bayes: compileNaiveBayes,
  mlp_classifier: compileMlp,
  decision_tree_classifier: compileTreeModel,
  decision_tree_regressor: compileTreeModel,
  random_forest_classifier: compileTreeModel,
  random_forest_regressor: compileTreeModel,
  gbt_classifier: compileTreeModel,
  gbt_regressor: compileTreeModel,
};

// True for a feature stage (one listed in FEATURE_STAGE_KINDS).
export const isFeatureStage = (stage: Stage): stage is FeatureStage => Object.hasOwn(FEATURE_COMPILERS, stage.kind);

// A feature stage's compiled function. TypeScript cannot pair a union's kind with its table entry, hence the casts;
// the table's type is what pairs them.
export function compileFeatureStage(stage: FeatureStage, table: ArrowTable, slots: SlotMap, env: CompileEnv): StageFn {
  return (FEATURE_COMPILERS[stage.kind] as (s: FeatureStage, t: ArrowTable, sl: SlotMap, e: CompileEnv) => StageFn)(stage, table, slots, env);
}

// A model stage's predict function.
export function compileModelStage(stage: ModelStage, table: ArrowTable, slots: SlotMap): PredictFn {
  return (MODEL_COMPILERS[stage.kind] as (s: ModelStage, t: ArrowTable, sl: SlotMap) => PredictFn)(stage, table, slots);
}

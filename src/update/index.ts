// What `mlship update` trains on: the pure planner over the ledger, and the idempotency key (docs/updating.md).
export { planUpdate, type ChainVersion, type PlanInput, type Predicate, type UpdatePlan } from "./plan.js";
export { retriedChild, updateKey, type KeyInput } from "./key.js";
export { aboveWatermark, chainWatermark, partitionValue } from "./partition.js";
export { chooseMode, newDataLines, updateOutcome, type OutcomeInput, type ParentInfo, type UpdateOutcome, type UpdateRefusalCode } from "./outcome.js";
export { updateBlock, type BlockInput } from "./block.js";
export { appendedLevelsLine } from "./levels.js";
export { isShortTrain, isShortUpdate, NEW_ROWS_MODES, SHORT_TRAIN_BYTES, SHORT_UPDATE_BYTES } from "./short-run.js";

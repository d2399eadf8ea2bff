// `mlship serve` in three layers, each importing only those below it: http/ → protocol/ → runtime/ (→ src/model).
export { startServer, type RunningServer, type ServeConfig, type ServeWorld } from "./http/index.js";
export { predictArrow, predictRecords, infer, modelMetadata } from "./protocol/index.js";
export { createLogger, parseServeOptions, resolveSlots, runPrimary, workerLink, workerNumber, type Logger, type RawServeOptions } from "./runtime/index.js";

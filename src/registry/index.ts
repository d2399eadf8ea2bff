// The model registry: versions, aliases (history, rollback), tags, soft delete, lineage.
export * from "./registry.js";
export * from "./aliases.js";
export * from "./alias-history.js";
export * from "./tags.js";
export * from "./deletion.js";
export * from "./metrics.js";
export * from "./records.js";
export * from "./keys.js";
export * from "./refs.js";

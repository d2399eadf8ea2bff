// The model registry: versions, aliases, lineage.
export * from "./registry.js";
export * from "./records.js";
export * from "./keys.js";

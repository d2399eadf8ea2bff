// Certification of a run's artifacts: manifest checksums, then Spark-vs-TypeScript parity.
export * from "./manifest.js";
export * from "./parity.js";
export * from "./stored.js";

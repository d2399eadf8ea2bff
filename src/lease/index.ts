// A job's lease in the store (locks/<job>.json): one run of a job at a time, per its spec's `concurrency:`.
export * from "./policy.js";
export * from "./state.js";
export * from "./acquire.js";
export * from "./hold.js";
export * from "./job-lease.js";

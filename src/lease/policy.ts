// The `concurrency:` policies of a job spec, named once (the schema, the lease and the docs read this list).
export const CONCURRENCY_POLICIES = ["forbid", "replace", "allow"] as const;
export type ConcurrencyPolicy = (typeof CONCURRENCY_POLICIES)[number];

// A spec without `concurrency:` forbids a second run of the job while one holds its lease.
export const DEFAULT_CONCURRENCY: ConcurrencyPolicy = "forbid";

// What `mlship store check` reports: every problem under the store key it is about (the --json shape, docs/store.md).

export type ProblemKind = "model" | "version" | "alias" | "tags" | "tombstone" | "run" | "manifest" | "artifact";

export interface StoreProblem {
  key: string;
  kind: ProblemKind;
  message: string;
}

export interface StoreReport {
  store: string;
  ok: boolean;
  checked: { models: number; versions: number; aliases: number; tags: number; tombstones: number; runs: number; artifactFiles: number };
  problems: StoreProblem[];
}

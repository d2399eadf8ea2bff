// The registry's JSON records: one per version, one per alias.
import type { InputFile } from "../ledger/types.js";

export interface Lineage {
  runId: string;
  job: string;
  specFile: string;
  specSha256: string;
  profile?: string;
  overrides?: string[]; // the --set overrides the run applied, secret values redacted
  gitCommit: string | null;
  gitDirty?: boolean;
  data: { train: string; format: string };
  parentVersion?: number | null;
  // The input ledger (docs/updating.md): the files read, inline up to INLINE_INPUT_FILES, else in a run artifact.
  inputFiles?: InputFile[];
  inputFilesRef?: { key: string; sha256: string; files: number; bytes: number };
  watermark?: Watermark;
  // Set by `mlship update` (src/update/key.ts): a retried update finds the child it already registered by this key.
  updateKey?: string;
  // model.basedOn (docs/transfer.md): the source version this one started from, and how.
  basedOn?: BasedOn;
}

export interface BasedOn {
  name: string;
  version: number;
  manifestSha256: string;
  method: string;
  use?: string; // feature: the source output the target reads (probability, margin, prediction)
  family?: string; // offset: the target GLM's family
}

// The highest data.partitionColumn value in the training data (null when every value was null).
export interface Watermark {
  column: string;
  value: string | number | boolean | null;
}

export interface ParityFigure {
  rows: number;
  maxAbsDiff: number;
  tolerance: number;
  labelMismatches: number;
  passed: boolean;
}

export interface VersionRecord {
  model: string;
  version: number;
  createdAt: string;
  algorithm: string;
  task: string;
  artifacts: { store: string; prefix: string; manifestSha256: string; files: number; bytes: number };
  metrics: Record<string, number>;
  parity: ParityFigure;
  sparkVersion?: string;
  // The update modes its training state enables (docs/updating.md); absent on versions trained before the state.
  updateModes?: string[];
  lineage: Lineage;
  update?: UpdateFacts;
  // The effective spec, secret values redacted (profile, --set and ${VAR} applied): what `models diff` compares.
  spec?: Record<string, unknown>;
  // The fitted predictor's parameters, set and default (model/params.json).
  params?: FittedParams;
}

// model/params.json: the fitted predictor's class and every parameter it defines.
export interface FittedParams {
  stage: string;
  params: Record<string, unknown>;
}

// What `mlship update` recorded about a child (docs/updating.md "The version record").
export interface UpdateFacts {
  mode: string;
  parentVersion: number;
  rows: { history: number; new: number }; // every row the parent learned from; the new data's rows
  // The parent scored on the child's validation slice of the new data (the promotion gate compares with these).
  parentMetrics: Record<string, number>;
  // Per input feature, the population stability index of the new data against the history, largest first.
  shifts?: { feature: string; psi: number | null; kind?: string; band?: string | null }[];
  facts?: Record<string, unknown>; // what the mode reports (iterations, trees added, ...)
}

// Why an alias moved: `alias set`, a promotion (the gate or `mlship promote`), or a rollback.
export type AliasAction = "set" | "promote" | "rollback";

// One move of an alias, kept in its history.
export interface AliasEvent {
  version: number;
  from: number | null;
  at: string;
  action: AliasAction;
  by?: string;
  reason?: string;
}

export interface AliasRecord {
  model: string;
  alias: string;
  version: number;
  updatedAt: string;
  previous: number | null;
  // Every move, oldest first, at most ALIAS_HISTORY_LIMIT (the oldest are dropped).
  history: AliasEvent[];
  // The versions a rollback returns to, the next one last: a move pushes the version it left, a rollback pops.
  rollbackStack: number[];
}

// A version's tags: free key=value metadata, changed by compare-and-swap (the version record never changes).
export interface TagsRecord {
  model: string;
  version: number;
  tags: Record<string, string>;
  updatedAt: string;
}

// The mark of a soft-deleted version: hidden from lists, "latest", aliases and serving; nothing is removed.
export interface Tombstone {
  model: string;
  version: number;
  deletedAt: string;
  by?: string;
  reason?: string;
  // Aliases that pointed at the version when it was deleted with --force.
  aliasesAtDeletion?: string[];
}

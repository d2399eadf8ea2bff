// The registry's JSON records: one per version, one per alias.

export interface Lineage {
  runId: string;
  job: string;
  specFile: string;
  specSha256: string;
  profile?: string;
  gitCommit: string | null;
  gitDirty?: boolean;
  data: { train: string; format: string };
  parentVersion?: number | null;
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
  lineage: Lineage;
}

export interface AliasRecord {
  model: string;
  alias: string;
  version: number;
  updatedAt: string;
  previous: number | null;
}

// Run records (run.json): what was launched, how it went, what it produced.
import { randomBytes } from "node:crypto";
import type { Store } from "../store/types.js";

export type RunStatus = "submitted" | "running" | "succeeded" | "failed" | "killed";

export interface RunRecord {
  runId: string;
  job: string;
  status: RunStatus;
  submittedAt: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  argv: string[]; // redacted
  exitCode?: number | null;
  signal?: string | null;
  sparkApplicationId?: string | null;
  metrics?: Record<string, number>;
  specFile: string;
  specSha256: string;
  profile?: string;
  gitCommit: string | null;
  registeredVersion?: number;
  error?: string; // redacted summary of the failure
}

export const runPrefix = (job: string, runId: string) => `runs/${job}/${runId}`;
export const runKey = (job: string, runId: string) => `${runPrefix(job, runId)}/run.json`;

// A sortable, unique run id: UTC time to the second plus 6 random hex digits.
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export async function writeRunRecord(store: Store, record: RunRecord): Promise<void> {
  await store.put(runKey(record.job, record.runId), `${JSON.stringify(record, null, 2)}\n`);
}

export async function readRunRecord(store: Store, job: string, runId: string): Promise<RunRecord | null> {
  const got = await store.get(runKey(job, runId));
  return got.ok ? (JSON.parse(Buffer.from(got.body).toString("utf8")) as RunRecord) : null;
}

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

// Where a run lives: its job and id, from a listing key runs/<job>/<runId>/run.json.
export function runFromKey(key: string): { job: string; runId: string } | null {
  const m = /^runs\/([^/]+)\/([^/]+)\/run\.json$/.exec(key);
  return m ? { job: m[1]!, runId: m[2]! } : null;
}

// Every run (job and id) in the store, or of one job, newest first (run ids sort by time).
export async function listRuns(store: Store, job?: string): Promise<{ job: string; runId: string }[]> {
  const keys = await store.list(job ? `runs/${job}` : "runs");
  return keys
    .map(runFromKey)
    .filter((r): r is { job: string; runId: string } => r !== null)
    .sort((a, b) => (a.runId === b.runId ? a.job.localeCompare(b.job) : b.runId.localeCompare(a.runId)));
}

// Finds a run by "RUN_ID" or "JOB/RUN_ID"; several matches (the same id under two jobs) are all returned.
export async function findRun(store: Store, ref: string): Promise<{ job: string; runId: string }[]> {
  const slash = ref.indexOf("/");
  if (slash > 0) {
    const job = ref.slice(0, slash);
    const runId = ref.slice(slash + 1);
    return (await store.get(runKey(job, runId))).ok ? [{ job, runId }] : [];
  }
  return (await listRuns(store)).filter((r) => r.runId === ref);
}

// The keys of a run's files relative to its folder (run.json, driver.log, eventlog/…, model/…).
export async function runFiles(store: Store, job: string, runId: string): Promise<string[]> {
  const prefix = `${runPrefix(job, runId)}/`;
  return (await store.list(runPrefix(job, runId))).map((k) => k.slice(prefix.length));
}

// Run records (run.json): what was launched, how it went, what it produced.
import type { Store } from "../store/types.js";
import type { RemoteDriver } from "../remote/driver.js";
import { UserError } from "../errors.js";
import { encodeRecord } from "../records/index.js";
import { fromStored } from "../registry/json.js";
import { nameProblem, shown } from "../registry/refs.js";
import type { AttemptEntry } from "./attempts.js";

export type RunStatus = "submitted" | "running" | "succeeded" | "failed" | "killed" | "timed-out";

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
  sparkApplicationId?: string | null; // from the driver as soon as its SparkSession runs (client mode)
  sparkUiUrl?: string; // the driver's Spark UI, when it runs one
  heartbeatAt?: string; // refreshed by the supervising CLI while the run runs (liveness.ts: the `lost` status)
  heartbeatSeconds?: number; // the interval it is refreshed at
  metrics?: Record<string, number>;
  specFile: string;
  specSha256: string;
  profile?: string;
  gitCommit: string | null;
  registeredVersion?: number;
  error?: string; // redacted summary of the failure
  errorCode?: string; // the failure's code (src/error-codes.ts), e.g. E_DATA from the Spark driver
  attempts?: AttemptEntry[]; // each Spark attempt with its classified cause (src/runs/attempts.ts, the spec's retry:)
  supervisor?: { pid: number; host: string }; // the mlship process running the run (`runs kill` signals it there)
  driverLog?: string; // the live driver log on the supervisor's host while the run runs (`runs attach` follows it)
  remote?: RemoteDriver; // cluster deploy mode: the remote driver's identity and last state (src/remote/)
}

import { runKey, runPrefix } from "./run-id.js";
export { newRunId, runKey, runPrefix } from "./run-id.js";

export async function writeRunRecord(store: Store, record: RunRecord): Promise<void> {
  const key = runKey(record.job, record.runId);
  await store.put(key, encodeRecord("run", key, record));
}

// A run record, checked against its schema and its key; null when there is none (a damaged one is a StoreRecordError).
export async function readRunRecord(store: Store, job: string, runId: string): Promise<RunRecord | null> {
  const key = runKey(job, runId);
  const got = await store.get(key);
  return got.ok ? fromStored("run", key, got.body, { job, runId }, store.location) : null;
}

// Run ids as mlship makes them (newRunId), and anything name-like: no '/', no '..', bounded.
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

// Checks a run reference (RUN_ID or JOB/RUN_ID) before it becomes a store key; a usage error when malformed.
export function checkRunRef(ref: string): { job: string | null; runId: string } {
  const slash = ref.indexOf("/");
  const job = slash > 0 ? ref.slice(0, slash) : null;
  const runId = slash > 0 ? ref.slice(slash + 1) : ref;
  const bad = (job === null ? null : nameProblem(job, "job name")) ?? (RUN_ID.test(runId) ? null : `the run id ${shown(runId)} is not 1-128 letters, digits, '_', '.', '-'`);
  if (bad) throw new UserError(`malformed run reference ${shown(ref)}: ${bad}; expected RUN_ID or JOB/RUN_ID`, "E_USAGE");
  return { job, runId };
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
  const { job, runId } = checkRunRef(ref);
  if (job !== null) return (await store.head(runKey(job, runId))).ok ? [{ job, runId }] : [];
  return (await listRuns(store)).filter((r) => r.runId === runId);
}

// The keys of a run's files relative to its folder (run.json, driver.log, eventlog/…, model/…).
export async function runFiles(store: Store, job: string, runId: string): Promise<string[]> {
  const prefix = `${runPrefix(job, runId)}/`;
  return (await store.list(runPrefix(job, runId))).map((k) => k.slice(prefix.length));
}

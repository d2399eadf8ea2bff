// Whether a run's supervisor is still there: the heartbeat it writes into run.json, and the `lost` status read from it.
import { secondsFromEnv } from "../env-seconds.js";
import type { RunStatus } from "./record.js";

export const HEARTBEAT_ENV = "MLSHIP_HEARTBEAT_SECONDS";
export const DEFAULT_HEARTBEAT_SECONDS = 15;
export const STALE_AFTER_BEATS = 3; // missed heartbeats before a run counts as lost
const MAX_HEARTBEAT_SECONDS = 3600;

// A status as shown: the recorded one, or `lost` for a run whose supervisor stopped writing (computed on read).
export type ShownStatus = RunStatus | "lost";
export const SHOWN_STATUSES: readonly ShownStatus[] = ["submitted", "running", "succeeded", "failed", "killed", "timed-out", "lost"];

// The part of a run record the rule reads.
export interface Heartbeat {
  status: RunStatus;
  heartbeatAt?: string | undefined;
  heartbeatSeconds?: number | undefined;
}

// `lost` when the record says submitted or running and its heartbeat is older than STALE_AFTER_BEATS of its own
// intervals by the reader's clock; else the recorded status. A record without a heartbeat (written before mlship
// had one) keeps its status: nothing tells.
export function shownStatus(record: Heartbeat, now: Date): ShownStatus {
  if (record.status !== "running" && record.status !== "submitted") return record.status;
  const age = heartbeatAge(record, now);
  if (age === null) return record.status;
  return age > STALE_AFTER_BEATS * (record.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) ? "lost" : record.status;
}

// Seconds since the last heartbeat; null when there is none (or it is not a date).
export function heartbeatAge(record: Pick<Heartbeat, "heartbeatAt">, now: Date): number | null {
  if (record.heartbeatAt === undefined) return null;
  const at = Date.parse(record.heartbeatAt);
  return Number.isNaN(at) ? null : (now.getTime() - at) / 1000;
}

// The heartbeat interval a run writes at: MLSHIP_HEARTBEAT_SECONDS (0.1 to 3600), else 15.
export function heartbeatSeconds(env: Record<string, string | undefined>): number {
  return secondsFromEnv(env, HEARTBEAT_ENV, { min: 0.1, max: MAX_HEARTBEAT_SECONDS, fallback: DEFAULT_HEARTBEAT_SECONDS });
}

// A record as `runs list` and `runs show` give it: `status` is the shown one; `recordedStatus` keeps what run.json
// says when the two differ (a lost run's record still says running).
export function withShownStatus<R extends Heartbeat>(record: R, now: Date): Omit<R, "status"> & { status: ShownStatus; recordedStatus?: RunStatus } {
  const status = shownStatus(record, now);
  return status === record.status ? { ...record, status } : { ...record, status, recordedStatus: record.status };
}

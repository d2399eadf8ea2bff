// The lock one `mlship setup` holds while it creates a runtime: what a lock file found on disk means now. Pure.

export interface LockRecord {
  pid: number;
  host: string;
  startedAt: string; // ISO time
}

// How long an unreadable lock (its writer died between creating and writing it) is given before it counts as stale.
export const UNREADABLE_GRACE_MS = 60_000;

export type LockState = "held" | "stale";

// A lock held by a live process (or another host's, which cannot be checked) is held; a dead local holder's is stale.
export function lockState(text: string, here: { host: string; alive: (pid: number) => boolean; ageMs: number }): LockState {
  let rec: Partial<LockRecord> | undefined;
  try {
    rec = JSON.parse(text) as Partial<LockRecord>;
  } catch {
    rec = undefined;
  }
  if (!rec || typeof rec.pid !== "number" || typeof rec.host !== "string") return here.ageMs > UNREADABLE_GRACE_MS ? "stale" : "held";
  if (rec.host !== here.host) return "held";
  return here.alive(rec.pid) ? "held" : "stale";
}

// The lock's text for this process.
export const lockText = (pid: number, host: string, now: Date): string => `${JSON.stringify({ pid, host, startedAt: now.toISOString() } satisfies LockRecord)}\n`;

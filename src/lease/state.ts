// What a lease record means now: held by a live run, or free to take (absent, released, expired, holder dead). Pure.
import type { RecordOf } from "../records/index.js";

export type LeaseDoc = RecordOf<"lease">;

// The store key of a job's lease.
export const leaseKey = (job: string) => `locks/${job}.json`;

// This process, as a lease names its holder.
export interface Holder {
  host: string;
  pid: number;
  isAlive: (pid: number) => boolean; // whether a process of this host still runs
}

export type LeaseState =
  | { kind: "free"; why: "released" | "expired" | "dead" }
  | { kind: "live"; doc: LeaseDoc };

// Whether `doc` still holds its job at `now`: released and expired leases are free, and so is one held by a
// process of this host that is gone (its heartbeat would stop anyway; no need to wait for the expiry).
export function leaseState(doc: LeaseDoc, now: Date, self: Holder): LeaseState {
  if (doc.releasedAt !== undefined) return { kind: "free", why: "released" };
  const expires = Date.parse(doc.expiresAt);
  if (!Number.isFinite(expires) || expires <= now.getTime()) return { kind: "free", why: "expired" };
  if (doc.host === self.host && doc.pid !== self.pid && !self.isAlive(doc.pid)) return { kind: "free", why: "dead" };
  return { kind: "live", doc };
}

// A fresh lease for a run, valid for ttlMs from now.
export function newLease(job: string, runId: string, command: string, self: Holder, now: Date, ttlMs: number): LeaseDoc {
  const at = now.toISOString();
  return { job, runId, command, host: self.host, pid: self.pid, acquiredAt: at, heartbeatAt: at, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
}

// The same lease, its heartbeat and expiry moved to now (what the holder writes every heartbeat).
export const refreshed = (doc: LeaseDoc, now: Date, ttlMs: number): LeaseDoc => ({
  ...doc,
  heartbeatAt: now.toISOString(),
  expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
});

// "run R (host H, pid P) since T, last heartbeat T'": the holder as messages name it.
export const describeHolder = (doc: LeaseDoc) =>
  `run ${doc.runId} (\`mlship ${doc.command}\` on host ${doc.host}, pid ${doc.pid}) since ${doc.acquiredAt}, last heartbeat ${doc.heartbeatAt}`;

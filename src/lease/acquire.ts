// Taking a job's lease: create-if-absent, else take over a free one by compare-and-swap, else refuse or ask its holder to stop.
import { decodeRecord, encodeRecord } from "../records/index.js";
import type { Store } from "../store/types.js";
import { leaseKey, leaseState, newLease, type Holder, type LeaseDoc } from "./state.js";

export interface LeaseTiming {
  ttlMs: number; // a lease not refreshed for this long is expired: anyone may take it over
  heartbeatMs: number; // how often the holder refreshes it
  replaceWaitMs: number; // `replace`: how long to wait for the holder to stop before giving up
  pollMs: number; // `replace`: how often to look whether it has
}

// Heartbeat every 10 s, expiry after 60 s: a holder that dies on another host blocks its job for at most a minute.
export const DEFAULT_TIMING: LeaseTiming = { ttlMs: 60_000, heartbeatMs: 10_000, replaceWaitMs: 90_000, pollMs: 1_000 };

// The world a lease needs, passed in so tests can drive the clock and the processes.
export interface LeaseWorld {
  store: Store;
  now: () => Date;
  self: Holder;
  terminate: (pid: number) => void; // SIGTERM to a holder on this host
  sleep: (ms: number) => Promise<void>;
  timing: LeaseTiming;
}

// A lease this process holds: the record as last written and its etag (the condition of the next write).
export interface HeldLease {
  key: string;
  doc: LeaseDoc;
  etag: string;
}

export type AcquireResult =
  | { ok: true; held: HeldLease; tookOver: { doc: LeaseDoc; why: "released" | "expired" | "dead" } | null }
  | { ok: false; holder: LeaseDoc; reason: "held" | "not-stopped" };

export interface AcquireRequest {
  job: string;
  runId: string;
  command: string; // "train" or "update", for the holder's description
  policy: "forbid" | "replace";
}

const RACES = 50; // conditional writes lost to other takers in a row before giving up (each loss means someone else won)

const encode = (key: string, doc: LeaseDoc) => encodeRecord("lease", key, doc);

// Reads the lease record; null when absent. A damaged one is a StoreRecordError naming the key.
export async function readLease(store: Store, key: string): Promise<{ doc: LeaseDoc; etag: string } | null> {
  const got = await store.get(key);
  return got.ok ? { doc: decodeRecord("lease", key, got.body, store.location), etag: got.etag } : null;
}

// Takes the job's lease for a run. `forbid` refuses while a live run holds it; `replace` asks that run to stop
// (SIGTERM on this host; `replaceRequested` in the record, which its heartbeat reads, on any host) and takes the
// lease once it is released or expired, or refuses after timing.replaceWaitMs.
export async function acquireLease(world: LeaseWorld, req: AcquireRequest): Promise<AcquireResult> {
  const { store, timing } = world;
  const key = leaseKey(req.job);
  const started = world.now().getTime();
  let asked = false;
  for (let races = 0; races < RACES; ) {
    const mine = newLease(req.job, req.runId, req.command, world.self, world.now(), timing.ttlMs);
    const created = await store.create(key, encode(key, mine));
    if (created.ok) return { ok: true, held: { key, doc: mine, etag: created.etag }, tookOver: null };

    const current = await readLease(store, key);
    if (!current) {
      races++; // released and removed between our create and our read: try again
      continue;
    }
    const state = leaseState(current.doc, world.now(), world.self);
    if (state.kind === "free") {
      const swapped = await store.swap(key, encode(key, mine), current.etag);
      if (swapped.ok) return { ok: true, held: { key, doc: mine, etag: swapped.etag }, tookOver: { doc: current.doc, why: state.why } };
      races++; // another taker, or the holder's heartbeat, wrote first
      continue;
    }
    if (req.policy === "forbid") return { ok: false, holder: current.doc, reason: "held" };

    // replace: ask once, then wait for the holder to release (or for its lease to expire).
    if (!asked) {
      if (current.doc.replaceRequested === undefined) {
        const request = { runId: req.runId, host: world.self.host, pid: world.self.pid, at: world.now().toISOString() };
        const marked = await store.swap(key, encode(key, { ...current.doc, replaceRequested: request }), current.etag);
        if (!marked.ok) {
          races++; // a heartbeat moved the record: read it again
          continue;
        }
      }
      if (current.doc.host === world.self.host) world.terminate(current.doc.pid);
      asked = true;
    }
    if (world.now().getTime() - started >= timing.replaceWaitMs) return { ok: false, holder: current.doc, reason: "not-stopped" };
    await world.sleep(timing.pollMs);
  }
  const last = await readLease(store, key);
  if (last) return { ok: false, holder: last.doc, reason: "held" };
  throw new Error(`the lease ${key} kept changing under ${RACES} conditional writes`);
}

// Runs of one job sharing one store and one driven clock, each a "process" (host, pid) with fake signals: for the lease tests.
import type { LeaseWorld } from "../../src/lease/index.js";
import type { Store } from "../../src/store/index.js";

export const LEASE_TIMING = { ttlMs: 60_000, heartbeatMs: 10_000, replaceWaitMs: 5_000, pollMs: 1_000 };

export function leaseScene(store: Store) {
  let clock = Date.parse("2026-12-07T10:00:00Z");
  const alive = new Set<string>();
  const terminated: number[] = [];
  // A process on `host`; `onSleep` runs each time it waits (what the other processes do meanwhile).
  const world = (host: string, pid: number, onSleep?: () => Promise<unknown> | void): LeaseWorld => {
    alive.add(`${host}:${pid}`);
    return {
      store,
      now: () => new Date(clock),
      self: { host, pid, isAlive: (p) => alive.has(`${host}:${p}`) },
      terminate: (p) => terminated.push(p),
      sleep: async (ms) => {
        clock += ms;
        await onSleep?.();
      },
      timing: LEASE_TIMING,
    };
  };
  return { store, world, alive, terminated, advance: (ms: number) => (clock += ms) };
}

export const leaseRequest = (runId: string, policy: "forbid" | "replace" = "forbid") => ({ job: "churn", runId, command: "train", policy });

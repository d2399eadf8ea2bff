// A run under its job's lease (the spec's `concurrency:`): refused, or stopped when replaced, or unguarded.
import { hostname } from "node:os";
import { FatalError } from "../errors.js";
import type { Store } from "../store/types.js";
import { acquireLease, DEFAULT_TIMING, type LeaseWorld } from "./acquire.js";
import { holdLease, type StopReason } from "./hold.js";
import { DEFAULT_CONCURRENCY, type ConcurrencyPolicy } from "./policy.js";
import { describeHolder, leaseKey } from "./state.js";

export interface JobLeaseRequest {
  job: string;
  runId: string;
  command: "train" | "update";
  policy: ConcurrencyPolicy | undefined; // the spec's concurrency:, forbid when absent
}

// Why a leased run was told to stop, as the abort reason of its signal.
export class LeaseStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(
      reason.kind === "replaced"
        ? `replaced by run ${reason.by.runId} (host ${reason.by.host}, pid ${reason.by.pid}, concurrency: replace)`
        : `lost the job's lease to ${reason.holder ? `run ${reason.holder.runId} (host ${reason.holder.host}, pid ${reason.holder.pid})` : "another run"}`,
    );
    this.name = "LeaseStopped";
  }
}

// This process, the real clock and real signals: the world of a CLI run.
export function processLeaseWorld(store: Store, now: () => Date): LeaseWorld {
  return {
    store,
    now,
    self: { host: hostname(), pid: process.pid, isAlive },
    terminate: (pid) => {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        /* gone already: its lease frees itself */
      }
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    timing: DEFAULT_TIMING,
  };
}

// Whether a process of this host exists (EPERM: it exists, owned by someone else).
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Runs `run` holding the job's lease, and releases it however `run` ends; `run`'s signal aborts (with a
// LeaseStopped reason) when a newer run replaces this one or the lease was lost. E_RUN_LOCKED when refused.
export async function withJobLease<T>(world: LeaseWorld, req: JobLeaseRequest, progress: (m: string) => void, run: (stop: AbortSignal) => Promise<T>): Promise<T> {
  const policy = req.policy ?? DEFAULT_CONCURRENCY;
  const controller = new AbortController();
  if (policy === "allow") return run(controller.signal);
  const got = await acquireLease(world, { job: req.job, runId: req.runId, command: req.command, policy });
  if (!got.ok) {
    const holder = got.holder;
    const why = got.reason === "held" ? "concurrency: forbid refuses a second run" : `it did not stop within ${Math.round(world.timing.replaceWaitMs / 1000)} s of the replace request`;
    throw new FatalError(`job ${req.job} is held by ${describeHolder(holder)}; ${why}; nothing was started`, "E_RUN_LOCKED", {
      details: [`lease: ${world.store.location}/${leaseKey(req.job)} (expires ${holder.expiresAt} unless refreshed)`, `see: mlship runs show ${req.job}/${holder.runId}`],
    });
  }
  if (got.tookOver) progress(`took over the lease of run ${got.tookOver.doc.runId} (${got.tookOver.why})`);
  const hold = holdLease(world, got.held, (reason) => {
    const stopped = new LeaseStopped(reason);
    progress(`${stopped.message}: stopping`);
    controller.abort(stopped);
  });
  try {
    return await run(controller.signal);
  } finally {
    await hold.release().catch(() => undefined); // an unreleased lease frees itself when it expires
  }
}

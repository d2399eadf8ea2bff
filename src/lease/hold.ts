// Holding a job's lease while the run runs: a heartbeat that refreshes it by compare-and-swap and notices a
// replace request or a lost lease, and a release that gives it back only if it is still ours.
import { encodeRecord } from "../records/index.js";
import { readLease, type HeldLease, type LeaseWorld } from "./acquire.js";
import { refreshed, type LeaseDoc } from "./state.js";

// Why the holder must stop: a newer run asked to replace it, or another run took the lease (ours had expired).
export type StopReason = { kind: "replaced"; by: NonNullable<LeaseDoc["replaceRequested"]> } | { kind: "lost"; holder: LeaseDoc | null };

export interface LeaseHold {
  // One heartbeat now (the timer calls it; tests call it directly). Resolves once written.
  beat(): Promise<void>;
  // Stops the heartbeat and gives the lease back if it is still ours; true when it did.
  release(): Promise<boolean>;
}

// Starts the heartbeat of a lease just taken; `onStop` is called at most once.
export function holdLease(world: LeaseWorld, held: HeldLease, onStop: (reason: StopReason) => void, opts: { timer?: boolean } = {}): LeaseHold {
  const { store, timing } = world;
  let stopped = false;
  let released = false;
  const stop = (reason: StopReason) => {
    if (stopped) return;
    stopped = true;
    onStop(reason);
  };
  let chain: Promise<void> = Promise.resolve(); // heartbeats and the release never overlap

  // Refreshes the lease; on a conflict reads who holds it now and adopts, stops or re-creates accordingly.
  const refresh = async () => {
    if (released) return;
    const next = refreshed(held.doc, world.now(), timing.ttlMs);
    const swapped = await store.swap(held.key, encodeRecord("lease", held.key, next), held.etag);
    if (swapped.ok) {
      held.doc = next;
      held.etag = swapped.etag;
      return;
    }
    const current = await readLease(store, held.key);
    if (current && current.doc.runId === held.doc.runId && current.doc.pid === held.doc.pid && current.doc.releasedAt === undefined) {
      // Still ours, rewritten by someone else: a replace request (kept in every later refresh), or our own
      // earlier write whose answer was lost.
      held.doc = current.doc;
      held.etag = current.etag;
      if (current.doc.replaceRequested) stop({ kind: "replaced", by: current.doc.replaceRequested });
      return;
    }
    if (!current) {
      // Removed under us (see docs/store.md "Leases": the release's race window): create it again if nobody has.
      const created = await store.create(held.key, encodeRecord("lease", held.key, next));
      if (created.ok) {
        held.doc = next;
        held.etag = created.etag;
        return;
      }
    }
    stop({ kind: "lost", holder: current?.doc ?? null });
  };
  // A failed heartbeat (a store hiccup) is tried again at the next tick; the expiry leaves room for several.
  const beat = () => (chain = chain.then(refresh).catch(() => undefined));
  const timer = opts.timer === false ? undefined : setInterval(() => void beat(), timing.heartbeatMs);
  timer?.unref(); // the heartbeat never keeps the CLI alive

  const release = async (): Promise<boolean> => {
    if (timer) clearInterval(timer);
    await chain;
    if (released) return false;
    released = true;
    // Swap to a released record first (only if ours, by its etag), then remove that record if it is still it.
    const tombstone: LeaseDoc = { ...held.doc, releasedAt: world.now().toISOString() };
    const swapped = await store.swap(held.key, encodeRecord("lease", held.key, tombstone), held.etag);
    if (!swapped.ok) {
      const current = await readLease(store, held.key).catch(() => null);
      if (!current || current.doc.runId !== held.doc.runId || current.doc.releasedAt !== undefined) return false;
      // Ours but rewritten (a replace request): release that version.
      const again = await store.swap(held.key, encodeRecord("lease", held.key, { ...current.doc, releasedAt: tombstone.releasedAt }), current.etag);
      if (!again.ok) return false;
      return removeIfStill(again.etag);
    }
    return removeIfStill(swapped.etag);
  };
  // Removes the released record unless another run took it meanwhile (a re-read; the window is documented).
  const removeIfStill = async (etag: string): Promise<boolean> => {
    const current = await store.get(held.key);
    if (current.ok && current.etag === etag) await store.remove(held.key);
    return true;
  };
  return { beat, release };
}

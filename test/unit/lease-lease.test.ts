// The job lease against a real local store, with a driven clock and fake processes: take, refuse, expire,
// dead holder, heartbeat, release only if ours, replace requests (same host and another host).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalStore } from "../../src/store/index.js";
import { acquireLease, holdLease, leaseKey, leaseState, readLease, withJobLease, type StopReason } from "../../src/lease/index.js";
import { FatalError } from "../../src/errors.js";
import { tempDir } from "../helpers/tmp.js";
import { leaseRequest, leaseScene } from "../helpers/lease-scene.js";

const root = tempDir("mlship-lease-");
let n = 0;
const scene = () => leaseScene(new LocalStore(join(root, `s${n++}`)));
const req = leaseRequest;

describe("taking a job's lease", () => {
  it("creates locks/<job>.json holding the run, its host and pid, and times", async () => {
    const { store, world } = scene();
    const got = await acquireLease(world("h1", 100), req("r1"));
    expect(got.ok).toBe(true);
    const stored = await readLease(store, leaseKey("churn"));
    expect(stored?.doc).toMatchObject({
      job: "churn",
      runId: "r1",
      command: "train",
      host: "h1",
      pid: 100,
      acquiredAt: "2026-12-07T10:00:00.000Z",
      heartbeatAt: "2026-12-07T10:00:00.000Z",
      expiresAt: "2026-12-07T10:01:00.000Z",
    });
  });

  it("forbid: a second run is refused while the first is live, and told who holds it", async () => {
    const { world } = scene();
    await acquireLease(world("h1", 100), req("r1"));
    const second = await acquireLease(world("h2", 200), req("r2"));
    expect(second).toMatchObject({ ok: false, reason: "held", holder: { runId: "r1", host: "h1", pid: 100 } });
  });

  it("an expired lease (no heartbeat for the ttl) is taken over by compare-and-swap", async () => {
    const { world, advance } = scene();
    await acquireLease(world("h1", 100), req("r1"));
    advance(59_999);
    expect((await acquireLease(world("h2", 200), req("r2"))).ok).toBe(false);
    advance(1);
    const taken = await acquireLease(world("h2", 200), req("r2"));
    expect(taken).toMatchObject({ ok: true, tookOver: { why: "expired", doc: { runId: "r1" } }, held: { doc: { runId: "r2", host: "h2" } } });
  });

  it("a live-looking lease of a process gone from this host is taken over at once", async () => {
    const { world, alive } = scene();
    await acquireLease(world("h1", 100), req("r1"));
    alive.delete("h1:100"); // SIGKILLed
    expect(await acquireLease(world("h1", 101), req("r2"))).toMatchObject({ ok: true, tookOver: { why: "dead" } });
    // on another host the pid means nothing: only the expiry frees it
    const other = scene();
    await acquireLease(other.world("h1", 100), req("r1"));
    expect((await acquireLease(other.world("h2", 100), req("r2"))).ok).toBe(false);
  });

  it("of racing takers of one expired lease exactly one wins", async () => {
    const { world, advance } = scene();
    await acquireLease(world("h0", 1), req("r0"));
    advance(61_000);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => acquireLease(world(`h${i + 1}`, 10 + i), req(`r${i + 1}`))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("refuses a damaged lease record by its key rather than guessing", async () => {
    const { store, world } = scene();
    await store.put(leaseKey("churn"), "{not json");
    await expect(acquireLease(world("h1", 1), req("r1"))).rejects.toMatchObject({ code: "E_STORE_RECORD" });
  });
});

describe("holding and releasing", () => {
  it("a heartbeat moves the expiry, so the lease stays live past the first ttl", async () => {
    const { store, world, advance } = scene();
    const w = world("h1", 100);
    const got = await acquireLease(w, req("r1"));
    if (!got.ok) throw new Error("not taken");
    const hold = holdLease(w, got.held, () => undefined, { timer: false });
    advance(50_000);
    await hold.beat();
    advance(50_000);
    expect((await acquireLease(world("h2", 200), req("r2"))).ok).toBe(false);
    expect((await readLease(store, leaseKey("churn")))?.doc.expiresAt).toBe("2026-12-07T10:01:50.000Z");
    expect(await hold.release()).toBe(true);
    expect((await store.get(leaseKey("churn"))).ok).toBe(false); // removed
    expect((await acquireLease(world("h2", 200), req("r2"))).ok).toBe(true);
  });

  it("release gives back only a lease that is still ours", async () => {
    const { store, world, advance } = scene();
    const w1 = world("h1", 100);
    const got = await acquireLease(w1, req("r1"));
    if (!got.ok) throw new Error("not taken");
    const stops: StopReason[] = [];
    const hold = holdLease(w1, got.held, (r) => stops.push(r), { timer: false });
    advance(61_000); // r1 froze: its lease expired and r2 took it
    const taken = await acquireLease(world("h2", 200), req("r2"));
    expect(taken.ok).toBe(true);
    await hold.beat(); // r1 wakes: its heartbeat finds r2's lease
    expect(stops).toEqual([{ kind: "lost", holder: expect.objectContaining({ runId: "r2" }) }]);
    expect(await hold.release()).toBe(false);
    expect((await readLease(store, leaseKey("churn")))?.doc).toMatchObject({ runId: "r2" });
  });

  it("a lease removed under its holder is created again at the next heartbeat", async () => {
    const { store, world } = scene();
    const w = world("h1", 100);
    const got = await acquireLease(w, req("r1"));
    if (!got.ok) throw new Error("not taken");
    const stops: StopReason[] = [];
    const hold = holdLease(w, got.held, (r) => stops.push(r), { timer: false });
    await store.remove(leaseKey("churn"));
    await hold.beat();
    expect(stops).toEqual([]);
    expect((await readLease(store, leaseKey("churn")))?.doc).toMatchObject({ runId: "r1" });
    await hold.release();
  });

  it("withJobLease releases however the run ends, and refuses with E_RUN_LOCKED naming the holder", async () => {
    const { store, world } = scene();
    const w = world("h1", 100);
    const inner = await withJobLease(w, { job: "churn", runId: "r1", command: "train", policy: undefined }, () => undefined, async () => {
      const refused = withJobLease(world("h2", 200), { job: "churn", runId: "r2", command: "update", policy: "forbid" }, () => undefined, async () => "ran");
      await expect(refused).rejects.toSatisfy((e: unknown) => e instanceof FatalError && e.code === "E_RUN_LOCKED" && e.exitCode === 4);
      await refused.catch((e: FatalError) => expect(e.message).toMatch(/^job churn is held by run r1 \(`mlship train` on host h1, pid 100\) since 2026-12-07T10:00:00.000Z/));
      return "first";
    });
    expect(inner).toBe("first");
    expect((await store.get(leaseKey("churn"))).ok).toBe(false);
    await expect(withJobLease(w, { job: "churn", runId: "r3", command: "train", policy: "forbid" }, () => undefined, async () => {
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect((await store.get(leaseKey("churn"))).ok).toBe(false);
  });

  it("allow takes no lease", async () => {
    const { store, world } = scene();
    await withJobLease(world("h1", 1), { job: "churn", runId: "r1", command: "train", policy: "allow" }, () => undefined, async () => {
      expect((await store.get(leaseKey("churn"))).ok).toBe(false);
    });
  });
});

describe("replace", () => {
  it("another host: marks replaceRequested; the holder's heartbeat sees it and stops; the new run takes it once released", async () => {
    const { store, world } = scene();
    const w1 = world("h1", 100);
    const got = await acquireLease(w1, req("r1"));
    if (!got.ok) throw new Error("not taken");
    const stops: StopReason[] = [];
    let release: Promise<boolean> | null = null;
    const hold = holdLease(w1, got.held, (r) => stops.push(r), { timer: false });
    // the holder heartbeats while the replacer waits; on its stop it releases
    const w2 = world("h2", 200, async () => {
      await hold.beat();
      if (stops.length && !release) release = hold.release();
      await release;
    });
    const taken = await acquireLease(w2, req("r2", "replace"));
    expect(stops).toEqual([{ kind: "replaced", by: { runId: "r2", host: "h2", pid: 200, at: "2026-12-07T10:00:00.000Z" } }]);
    expect(taken).toMatchObject({ ok: true, tookOver: null }); // released and removed: created afresh
    expect((await readLease(store, leaseKey("churn")))?.doc).toMatchObject({ runId: "r2", host: "h2" });
  });

  it("same host: SIGTERMs the holder's pid as well", async () => {
    const { world, terminated, alive } = scene();
    await acquireLease(world("h1", 100), req("r1"));
    // the holder dies of the SIGTERM without releasing: its pid is gone, so the lease is free at once
    const taken = await acquireLease(world("h1", 101, () => void alive.delete("h1:100")), req("r2", "replace"));
    expect(terminated).toEqual([100]);
    expect(taken).toMatchObject({ ok: true, tookOver: { why: "dead" } });
  });

  it("a holder that does not stop within replaceWaitMs leaves the new run refused", async () => {
    const { world } = scene();
    const w1 = world("h1", 100);
    const got = await acquireLease(w1, req("r1"));
    if (!got.ok) throw new Error("not taken");
    const hold = holdLease(w1, got.held, () => undefined, { timer: false }); // hears the request but never releases
    const refused = await acquireLease(world("h2", 200, () => hold.beat()), req("r2", "replace"));
    expect(refused).toMatchObject({ ok: false, reason: "not-stopped", holder: { runId: "r1", replaceRequested: { runId: "r2" } } });
    await hold.release();
  });
});

describe("leaseState", () => {
  const self = { host: "h", pid: 1, isAlive: () => true };
  const doc = { job: "j", runId: "r", command: "train", host: "h", pid: 2, acquiredAt: "", heartbeatAt: "", expiresAt: "2026-01-01T00:01:00Z" };
  it.each([
    ["live", doc, "2026-01-01T00:00:59Z", "live"],
    ["expired at expiresAt", doc, "2026-01-01T00:01:00Z", "free"],
    ["released", { ...doc, releasedAt: "x" }, "2026-01-01T00:00:00Z", "free"],
    ["an unreadable expiry", { ...doc, expiresAt: "soon" }, "2026-01-01T00:00:00Z", "free"],
  ])("%s", (_, d, now, kind) => {
    expect(leaseState(d, new Date(now), self).kind).toBe(kind);
  });
});

// The job lease on a real S3 server (create by If-None-Match, take-over and heartbeat by If-Match), beside the local store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLease, holdLease, leaseKey, readLease, type StopReason } from "../../src/lease/index.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { storeBackends } from "../helpers/store-backends.js";
import { leaseRequest as req, leaseScene } from "../helpers/lease-scene.js";
import { tempDir } from "../helpers/tmp.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

describe.each(storeBackends(tempDir(), () => server))("%s store", (_name, fresh) => {
  it("takes, refuses while live, and of 6 racing takers of an expired lease lets exactly one win", async () => {
    const { world, advance } = leaseScene(fresh());
    expect((await acquireLease(world("h1", 100), req("r1"))).ok).toBe(true);
    expect(await acquireLease(world("h2", 200), req("r2"))).toMatchObject({ ok: false, reason: "held", holder: { runId: "r1" } });
    advance(60_000);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => acquireLease(world(`h${i + 3}`, 300 + i), req(`r${i + 3}`))));
    expect(results.filter((r) => r.ok), JSON.stringify(results)).toHaveLength(1);
  });

  it("a replace request reaches the holder's heartbeat; release removes the lease only while it is ours", async () => {
    const { store, world, advance } = leaseScene(fresh());
    const w1 = world("h1", 100);
    const got = await acquireLease(w1, req("r1"));
    if (!got.ok) throw new Error("not taken");
    const stops: StopReason[] = [];
    const hold = holdLease(w1, got.held, (r) => stops.push(r), { timer: false });
    const refused = await acquireLease(world("h2", 200, () => hold.beat()), req("r2", "replace"));
    expect(refused).toMatchObject({ ok: false, reason: "not-stopped" });
    expect(stops).toMatchObject([{ kind: "replaced", by: { runId: "r2" } }]);
    expect(await hold.release()).toBe(true);
    expect((await store.get(leaseKey("churn"))).ok).toBe(false);

    // a frozen holder whose lease was taken over does not release the new one
    const again = await acquireLease(w1, req("r3"));
    if (!again.ok) throw new Error("not taken");
    const frozen = holdLease(w1, again.held, () => undefined, { timer: false });
    advance(61_000);
    expect((await acquireLease(world("h4", 400), req("r4"))).ok).toBe(true);
    expect(await frozen.release()).toBe(false);
    expect((await readLease(store, leaseKey("churn")))?.doc.runId).toBe("r4");
  });
});

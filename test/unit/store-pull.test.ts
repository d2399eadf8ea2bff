// The pull planner (ranges, thresholds), the blob cache (hit, miss, damaged entry) and pullArtifacts over a
// local store forced through the download path (ranged reads at offsets), with a counting wrapper.
import { describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalStore, pullArtifacts, resolveCacheDir, type Store } from "../../src/store/index.js";
import { blobPath } from "../../src/store/blob-cache.js";
import { planFetch, planParts } from "../../src/store/pull-plan.js";
import { startSha256Worker } from "../../src/store/sha256-worker.js";
import { tempDir } from "../helpers/tmp.js";
import { cacheContents, countingStore } from "../helpers/counting-store.js";

const root = tempDir("mlship-pull-");
let n = 0;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const tuning = { concurrency: 3, partSize: 1000, threshold: 2500 };

// A store with some random files; returns the store, a fresh cache dir and the manifest-like entries.
async function fixture(files: Record<string, number>) {
  const store = new LocalStore(join(root, `store-${n}`));
  const cacheDir = join(root, `cache-${n++}`);
  const entries = [];
  const bodies: Record<string, Buffer> = {};
  for (const [path, size] of Object.entries(files)) {
    const body = randomBytes(size);
    await store.put(`run/${path}`, body);
    bodies[path] = body;
    entries.push({ path, sha256: sha(body), size });
  }
  return { store, cacheDir, entries, bodies };
}

describe("planParts / planFetch", () => {
  it.each([
    [0, 10, []],
    [10, 10, [[0, 9]]],
    [25, 10, [[0, 9], [10, 19], [20, 24]]],
    [30, 10, [[0, 9], [10, 19], [20, 29]]],
    [1, 8 << 20, [[0, 0]]],
  ])("splits %i bytes into parts of %i", (size, part, ranges) => {
    const parts = planParts(size, part);
    expect(parts.map((p) => [p.start, p.end])).toEqual(ranges);
    expect(parts.map((p) => p.index)).toEqual(ranges.map((_, i) => i));
    expect(parts.reduce((sum, p) => sum + p.end - p.start + 1, 0)).toBe(size);
  });

  it("refuses a part size that is not positive", () => {
    expect(() => planParts(10, 0)).toThrow(/part size must be positive/);
  });

  it("fetches files up to the threshold whole and larger ones in ranges", () => {
    expect(planFetch(2500, tuning)).toEqual({ kind: "whole" });
    expect(planFetch(2501, tuning)).toMatchObject({ kind: "ranged", parts: { length: 3 } });
    expect(planFetch(200 << 20, { concurrency: 8, partSize: 8 << 20, threshold: 16 << 20 })).toMatchObject({ kind: "ranged", parts: { length: 25 } });
    expect(planFetch(5000, { ...tuning, threshold: 0, partSize: 8000 })).toEqual({ kind: "whole" }); // one part: no gain from a range
  });
});

describe("startSha256Worker", () => {
  const sha256Of = (...chunks: Uint8Array[]) => chunks.reduce((h, c) => h.update(c), createHash("sha256")).digest("hex");

  it("hashes owned buffers, pooled Buffers and views into larger buffers, each stream in its own order", async () => {
    const owned = randomBytes(3 << 20);
    const pooled = Buffer.from("a small string from Node's shared pool");
    const big = randomBytes(5000);
    const view = big.subarray(1000, 4000);
    const expected = [sha256Of(owned, pooled, view, new Uint8Array()), sha256Of(view, pooled)];
    const hasher = startSha256Worker();
    const [a, b] = [hasher.stream(), hasher.stream()];
    await Promise.all([a.update(new Uint8Array(owned)), b.update(view), a.update(pooled), b.update(pooled), a.update(view), a.update(new Uint8Array())]);
    expect([await a.digest(), await b.digest()]).toEqual(expected);
    expect(big.subarray(1000, 4000).equals(view)).toBe(true); // a view of a larger buffer is copied, not taken away
    await hasher.close();
  });

  it("takes over a buffer it owns whole instead of copying it, and refuses updates once closed", async () => {
    const chunk = new Uint8Array(randomBytes(1 << 20));
    const hasher = startSha256Worker();
    const hash = hasher.stream();
    const done = hash.update(chunk);
    expect(chunk.byteLength).toBe(0); // moved to the worker
    await done;
    await hasher.close();
    await expect(hash.update(new Uint8Array(10))).rejects.toThrow(/closed/);
  });
});

describe("resolveCacheDir", () => {
  it.each([
    [{ MLSHIP_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" }, "/c"],
    [{ XDG_CACHE_HOME: "/x", HOME: "/h" }, "/x/mlship/blobs"],
    [{ MLSHIP_CACHE_DIR: " ", HOME: "/h" }, "/h/.cache/mlship/blobs"],
  ])("%j -> %s", (env, dir) => expect(resolveCacheDir(env)).toBe(dir));
});

describe("pullArtifacts into a cache", () => {
  it("pulls large files in parallel ranges and small ones whole, each equal to its source", async () => {
    const { store, cacheDir, entries, bodies } = await fixture({ "big.bin": 10_500, "small.json": 700, "empty": 0 });
    const { store: counted, counts } = countingStore(store, { delayMs: 2 });
    const report = await pullArtifacts(counted, "run", entries, { cacheDir, ...tuning });
    expect(report.problems).toEqual([]);
    expect(counts).toMatchObject({ getRange: 11, head: 1, get: 2 });
    expect(counts.maxInFlight).toBe(3);
    expect(report.downloadedBytes).toBe(11_200);
    for (const e of entries) {
      const file = report.files.get(e.path)!;
      expect(file).toMatchObject({ source: "download", file: blobPath(cacheDir, e.sha256) });
      expect(readFileSync(file.file).equals(bodies[e.path]!)).toBe(true);
    }
    expect(cacheContents(cacheDir).temp).toEqual([]);
  });

  it("keeps the hash in order when parts arrive out of order, fetching no part more than concurrency + 4 ahead of it", async () => {
    const { store, cacheDir, entries, bodies } = await fixture({ "big.bin": 20_000 });
    let firstPending = true;
    let furthestWhileFirstPending = -1;
    const slowFirst: Store = Object.assign(Object.create(store) as Store, {
      getRange: async (k: string, s: number, e: number) => {
        if (firstPending) furthestWhileFirstPending = Math.max(furthestWhileFirstPending, s / 1000);
        if (s === 0) await new Promise((r) => setTimeout(r, 100));
        const got = await store.getRange(k, s, e);
        if (s === 0) firstPending = false;
        return got;
      },
    });
    const report = await pullArtifacts(slowFirst, "run", entries, { cacheDir, ...tuning });
    expect(report.problems).toEqual([]);
    expect(furthestWhileFirstPending).toBe(tuning.concurrency + 4 - 1);
    expect(readFileSync(report.files.get("big.bin")!.file).equals(bodies["big.bin"]!)).toBe(true);
  });

  it("hashes several large files pulled at once on one worker, each to its own sha256", async () => {
    const { store, cacheDir, entries, bodies } = await fixture({ "a.bin": 9000, "b.bin": 7001, "c.bin": 12_345 });
    const report = await pullArtifacts(store, "run", entries, { cacheDir, ...tuning });
    expect(report.problems).toEqual([]);
    for (const e of entries) expect(readFileSync(report.files.get(e.path)!.file).equals(bodies[e.path]!)).toBe(true);
  });

  it("answers a second pull from the cache without a single request", async () => {
    const { store, cacheDir, entries } = await fixture({ "big.bin": 6000, "small.json": 10 });
    await pullArtifacts(store, "run", entries, { cacheDir, ...tuning });
    const { store: counted, counts } = countingStore(store, { delayMs: 2 });
    const again = await pullArtifacts(counted, "run", entries, { cacheDir, ...tuning });
    expect(counts).toMatchObject({ get: 0, head: 0, getRange: 0 });
    expect(again.requests).toBe(0);
    expect([...again.files.values()].map((f) => f.source)).toEqual(["cache", "cache"]);
  });

  it("detects a damaged cache entry (same size, other bytes), deletes it and pulls the file again", async () => {
    const { store, cacheDir, entries, bodies } = await fixture({ "big.bin": 6000 });
    await pullArtifacts(store, "run", entries, { cacheDir, ...tuning });
    const blob = blobPath(cacheDir, entries[0]!.sha256);
    writeFileSync(blob, Buffer.alloc(6000, 7));
    const again = await pullArtifacts(store, "run", entries, { cacheDir, ...tuning });
    expect(again.repaired).toEqual(["big.bin"]);
    expect(again.files.get("big.bin")?.source).toBe("download");
    expect(readFileSync(blob).equals(bodies["big.bin"]!)).toBe(true);
  });

  it("refuses a changed file with the expected and actual sha256 and caches nothing of it", async () => {
    const { store, cacheDir, entries } = await fixture({ "big.bin": 6000, "small.json": 10 });
    const changed = randomBytes(6000);
    await store.put("run/big.bin", changed);
    await store.put("run/small.json", "0123456789");
    const report = await pullArtifacts(store, "run", entries, { cacheDir, ...tuning });
    expect(report.problems.sort()).toEqual([
      `big.bin: sha256 does not match MANIFEST.json (the file changed after the run wrote it): expected ${entries[0]!.sha256}, got ${sha(changed)}`,
      `small.json: sha256 does not match MANIFEST.json (the file changed after the run wrote it): expected ${entries[1]!.sha256}, got ${sha(Buffer.from("0123456789"))}`,
    ]);
    expect(report.files.size).toBe(0);
    expect(cacheContents(cacheDir)).toEqual({ blobs: [], temp: [] });
  });

  it("refuses a truncated large file by its size before pulling its bytes, and a missing one", async () => {
    const { store, cacheDir, entries, bodies } = await fixture({ "big.bin": 6000, "gone.bin": 5 });
    await store.put("run/big.bin", bodies["big.bin"]!.subarray(0, 5999));
    await store.remove("run/gone.bin");
    const { store: counted, counts } = countingStore(store, { delayMs: 2 });
    const report = await pullArtifacts(counted, "run", entries, { cacheDir, ...tuning });
    expect(report.problems.sort()).toEqual(["big.bin: size 5999 bytes, MANIFEST.json says 6000", "gone.bin: listed in MANIFEST.json but missing"]);
    expect(counts.getRange).toBe(0);
    expect(report.downloadedBytes).toBe(0);
    expect(cacheContents(cacheDir)).toEqual({ blobs: [], temp: [] });
  });

  it("verifies a local store's files in place by default (no cache)", async () => {
    const { store, entries } = await fixture({ "a.bin": 3000 });
    const report = await pullArtifacts(store, "run", entries, tuning);
    expect(report.files.get("a.bin")).toMatchObject({ source: "in-place", file: store.localPath("run/a.bin") });
    await store.put("run/a.bin", randomBytes(3000));
    expect((await pullArtifacts(store, "run", entries, tuning)).problems).toEqual([expect.stringMatching(/^a\.bin: sha256 does not match MANIFEST\.json .*expected [0-9a-f]{64}, got [0-9a-f]{64}$/)]);
  });
});

// Pulling artifacts from a real S3 server (moto, or MLSHIP_TEST_S3_ENDPOINT): parallel ranged GETs into the
// blob cache, cache hits without requests, checksum refusals, and the server going away mid-pull.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openStore, pullArtifacts, type PullEntry, type Store } from "../../src/store/index.js";
import { verifyManifest } from "../../src/certify/index.js";
import { startS3Server, type S3TestServer } from "../helpers/s3-server.js";
import { s3Location } from "../helpers/store-backends.js";
import { buildRun, writeRun } from "../helpers/s3-artifacts.js";
import { tempDir } from "../helpers/tmp.js";
import { cacheContents, countingStore } from "../helpers/counting-store.js";

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

const root = tempDir("mlship-s3-pull-");
let n = 0;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const MB = 1 << 20;

// A store on a fresh prefix with its own empty cache directory.
function freshStore(): { store: Store; cacheDir: string } {
  const cacheDir = join(root, `cache-${n++}`);
  return { store: openStore(s3Location(server, "pull"), "/", { ...server.env, MLSHIP_CACHE_DIR: cacheDir }), cacheDir };
}

async function putFile(store: Store, path: string, body: Buffer): Promise<PullEntry> {
  await store.put(`run/${path}`, body);
  return { path, sha256: sha(body), size: body.length };
}

describe("pulling artifacts from S3", () => {
  it("pulls a 40 MB object with parallel ranged GETs equal to the source, then answers a second pull from the cache", async () => {
    const { store, cacheDir } = freshStore();
    const big = randomBytes(40 * MB);
    const entries = [await putFile(store, "big.bin", big), await putFile(store, "small.json", Buffer.from('{"a":1}'))];
    const first = countingStore(store);
    const report = await pullArtifacts(first.store, "run", entries);
    expect(report.problems).toEqual([]);
    expect(first.counts).toMatchObject({ head: 1, getRange: 5, get: 1 }); // 8 MB parts
    expect(first.counts.maxInFlight).toBeGreaterThan(1);
    const file = report.files.get("big.bin")!;
    expect(file.file).toBe(join(cacheDir, "sha256", sha(big)));
    expect(sha(readFileSync(file.file))).toBe(sha(big));
    expect(report.downloadedBytes).toBe(40 * MB + 7);

    const second = countingStore(store);
    const again = await pullArtifacts(second.store, "run", entries);
    expect(second.counts).toMatchObject({ head: 0, getRange: 0, get: 0 });
    expect([...again.files.values()].map((f) => f.source)).toEqual(["cache", "cache"]);
    expect(cacheContents(cacheDir).temp).toEqual([]);
  });

  it("refuses a truncated object and corrupted ones (ranged and whole) by checksum, caching nothing", async () => {
    const { store, cacheDir } = freshStore();
    const big = randomBytes(40 * MB);
    const mid = randomBytes(20 * MB);
    const small = randomBytes(1000);
    const entries = [await putFile(store, "big.bin", big), await putFile(store, "mid.bin", mid), await putFile(store, "small.bin", small)];
    await store.put("run/big.bin", big.subarray(0, big.length - 1));
    const flip = (b: Buffer, at: number) => Buffer.concat([b.subarray(0, at), Buffer.from([b[at]! ^ 1]), b.subarray(at + 1)]);
    const midBad = flip(mid, 12 * MB + 5);
    const smallBad = flip(small, 0);
    await store.put("run/mid.bin", midBad);
    await store.put("run/small.bin", smallBad);
    const report = await pullArtifacts(store, "run", entries);
    expect(report.problems.sort()).toEqual([
      `big.bin: size ${40 * MB - 1} bytes, MANIFEST.json says ${40 * MB}`,
      `mid.bin: sha256 does not match MANIFEST.json (the file changed after the run wrote it): expected ${sha(mid)}, got ${sha(midBad)}`,
      `small.bin: sha256 does not match MANIFEST.json (the file changed after the run wrote it): expected ${sha(small)}, got ${sha(smallBad)}`,
    ]);
    expect(report.files.size).toBe(0);
    expect(cacheContents(cacheDir)).toEqual({ blobs: [], temp: [] });
  });

  it("verifies a whole run folder through the cache (verifyManifest over S3)", async () => {
    const { store, cacheDir } = freshStore();
    const run = buildRun("v", 20 * MB);
    await writeRun(store, run);
    const check = await verifyManifest(store, run.prefix);
    expect(check.ok, JSON.stringify(check.ok || check.problems)).toBe(true);
    if (!check.ok) return;
    expect(check.bytes).toBe(Object.values(run.files).reduce((s, b) => s + b.length, 0));
    expect([...check.artifacts.files.values()].every((f) => f.file.startsWith(cacheDir))).toBe(true);
    expect(Buffer.from(await check.artifacts.read("portable/descriptor.json")).equals(run.files["portable/descriptor.json"]!)).toBe(true);
    await store.put(`${run.prefix}/parity.arrow`, Buffer.concat([run.files["parity.arrow"]!, Buffer.from("x")]));
    await store.put(`${run.prefix}/stray.txt`, "?");
    const bad = await verifyManifest(store, run.prefix);
    expect(bad.ok || bad.problems.sort()).toEqual([
      `parity.arrow: size ${run.files["parity.arrow"]!.length + 1} bytes, MANIFEST.json says ${run.files["parity.arrow"]!.length}`,
      "stray.txt: present but not listed in MANIFEST.json",
    ]);
  });
});

describe.skipIf(Boolean(process.env.MLSHIP_TEST_S3_ENDPOINT))("pulling when the S3 server goes away", () => {
  it("fails after retries with an error naming the endpoint and object, leaves nothing in the cache, and works after a restart", async () => {
    const { store, cacheDir } = freshStore();
    const big = randomBytes(40 * MB);
    const entries = [await putFile(store, "big.bin", big)];
    const stopping = countingStore(store, { afterFirstRange: () => server.stop() }); // stopped once the first part has arrived, the others in flight
    const started = Date.now();
    const err = await pullArtifacts(stopping.store, "run", entries).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: "E_STORE_UNREACHABLE",
      message: expect.stringMatching(
        new RegExp(`^S3 endpoint ${server.endpoint.replace(/\./g, "\\.")} is unreachable \\(\\w+ after [2-9]\\d* attempts\\) during GetObject \\(bytes=\\d+-\\d+\\) s3://${server.bucket}/\\S+/run/big\\.bin$`),
      ),
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(cacheContents(cacheDir)).toEqual({ blobs: [], temp: [] });

    await server.start(); // moto starts empty: the object is written again, as a durable store would still hold it
    await store.put("run/big.bin", big);
    const report = await pullArtifacts(store, "run", entries);
    expect(report.problems).toEqual([]);
    expect(sha(readFileSync(report.files.get("big.bin")!.file))).toBe(sha(big));
    expect(cacheContents(cacheDir)).toEqual({ blobs: [sha(big)], temp: [] });
  });
});

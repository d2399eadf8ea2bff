#!/usr/bin/env node
// Pull throughput from a local S3 server (moto, in memory): mlship's pull (parallel ranged GETs into the blob
// cache, sha256 verified, cold cache each round) against a single-stream GetObject written to a file, in the
// same run, interleaved. Target: >= 1.0x. Also measures what moto charges per ranged GET, and mlship's
// client-side ceiling (the same pull code reading from a local directory).
// Usage: node bench/pull.mjs [--mb 200] [--rounds 3] [--serial] [--part-mb 8] [--concurrency 8]
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { median } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const sizeMb = arg("mb", 200);
const rounds = arg("rounds", 3);
const serial = process.argv.includes("--serial");
const tuning = { partSize: arg("part-mb", 8) << 20, concurrency: arg("concurrency", 8) };
const { openStore, LocalStore, pullArtifacts } = await import(join(root, "dist/store/index.js"));
const sdk = await import("@aws-sdk/client-s3");

// moto_server on a free port, threaded by default: this bench measures throughput and needs none of the
// conditional-write atomicity the tests get from a serial server, and threads let parallel requests overlap.
const port = await new Promise((res) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = s.address();
    s.close(() => res(free));
  });
});
const code = ["import sys, moto.server as m", "serve = m.run_simple", `m.run_simple = lambda *a, **k: serve(*a, **{**k, 'threaded': ${serial ? "False" : "True"}})`, "m.main(sys.argv[1:])"].join("; ");
const creds = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1" };
const moto = spawn(join(root, ".venv/bin/python"), ["-c", code, "-H", "127.0.0.1", "-p", String(port)], { detached: true, stdio: "ignore", env: { PATH: process.env.PATH, ...creds } });
const stopMoto = () => {
  try {
    process.kill(-moto.pid, "SIGKILL");
  } catch {
    /* gone */
  }
};
process.on("exit", stopMoto);
const endpoint = `http://127.0.0.1:${port}`;
for (let t = Date.now(); ; ) {
  try {
    await fetch(`${endpoint}/moto-api/`);
    break;
  } catch {
    if (Date.now() - t > 30_000) throw new Error("moto_server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const env = { ...creds, AWS_ENDPOINT_URL_S3: endpoint };
const client = new sdk.S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
const Bucket = "mlship-bench";
await client.send(new sdk.CreateBucketCommand({ Bucket }));
const size = sizeMb << 20;
const body = randomBytes(size);
const entry = { path: "big.bin", sha256: createHash("sha256").update(body).digest("hex"), size };
const Key = "runs/bench/model/big.bin";
await client.send(new sdk.PutObjectCommand({ Bucket, Key, Body: body }));
await client.send(new sdk.PutObjectCommand({ Bucket, Key: "tiny.bin", Body: randomBytes(1024) }));
const local = mkdtempSync(join(tmpdir(), "mlship-bench-pull-"));
const localStore = new LocalStore(join(local, "store"));
await localStore.put(`runs/bench/model/big.bin`, body);
const mbps = (ms) => sizeMb / (ms / 1000);

// (a) mlship's pull, cold cache: ranged GETs, written at offsets, hashed, renamed into the cache.
async function mlshipPull(store = openStore(`s3://${Bucket}`, "/", env)) {
  const cacheDir = mkdtempSync(join(local, "cache-"));
  const t0 = performance.now();
  const report = await pullArtifacts(store, "runs/bench/model", [entry], { ...tuning, cacheDir });
  const ms = performance.now() - t0;
  if (report.problems.length) throw new Error(report.problems.join("; "));
  rmSync(cacheDir, { recursive: true, force: true });
  return ms;
}

// (b) the baseline: one GetObject, its body streamed to a file (no checksum).
async function singleGet() {
  const file = join(local, "single.bin");
  const t0 = performance.now();
  const res = await client.send(new sdk.GetObjectCommand({ Bucket, Key }));
  await pipeline(res.Body, createWriteStream(file));
  const ms = performance.now() - t0;
  rmSync(file);
  return ms;
}

// What moto charges per ranged GET: 1 byte of the large object vs 1 byte of a 1 KB one.
async function rangeLatency(key) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = await client.send(new sdk.GetObjectCommand({ Bucket, Key: key, Range: "bytes=0-0" }));
    await res.Body.transformToByteArray();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const pulls = [];
const singles = [];
await mlshipPull();
await singleGet(); // warm-up (connections, page cache)
for (let i = 0; i < rounds; i++) {
  pulls.push(await mlshipPull());
  singles.push(await singleGet());
}
const ceiling = [];
for (let i = 0; i < rounds; i++) ceiling.push(await mlshipPull(localStore));
const bigRange = await rangeLatency(Key);
const tinyRange = await rangeLatency("tiny.bin");

const a = mbps(median(pulls));
const b = mbps(median(singles));
console.log(`pull of a ${sizeMb} MB object from moto (${serial ? "single-threaded" : "threaded"} werkzeug server, in memory), ${rounds} rounds interleaved, medians:`);
console.log(`  mlship pull (${tuning.partSize >> 20} MB ranged GETs, ${tuning.concurrency} in flight, sha256 verified, cold cache)  ${a.toFixed(1).padStart(7)} MB/s   [${pulls.map(mbps).map((x) => x.toFixed(0)).join(", ")}]`);
console.log(`  single-stream GetObject to a file (no checksum)                          ${b.toFixed(1).padStart(7)} MB/s   [${singles.map(mbps).map((x) => x.toFixed(0)).join(", ")}]`);
console.log(`  ratio mlship / single stream: ${(a / b).toFixed(2)}x (target >= 1.0x)`);
console.log(`  client-side ceiling: the same pull from a local directory (ranged reads, hash, write, rename)  ${mbps(median(ceiling)).toFixed(0)} MB/s`);
console.log(`  moto per ranged GET: 1 byte of the ${sizeMb} MB object ${bigRange.toFixed(0)} ms vs 1 byte of a 1 KB object ${tinyRange.toFixed(1)} ms`);
console.log(`  (moto reads the whole object for every ranged GET, so ${Math.ceil(size / tuning.partSize)} parts cost it ~${Math.ceil(size / tuning.partSize)}x the object)`);
client.destroy();
rmSync(local, { recursive: true, force: true });
stopMoto();
process.exit(0);

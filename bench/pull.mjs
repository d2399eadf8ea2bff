#!/usr/bin/env node
// Pull throughput from S3: mlship's pull (parallel ranged GETs into the blob cache, sha256 verified, cold cache
// each round) against a single-stream GetObject of the same object written to a file, in the same run,
// interleaved, on each server in turn. Target: >= 1.0x. By default on two local servers: moto (Python, whose
// ranged GETs cost O(object size)) and gofakes3 (Go, in memory, ranged GETs cost O(range); built from
// bench/s3-gofakes3 with `go build` on first use); with MLSHIP_TEST_S3_ENDPOINT (+ AWS_* credentials) on that
// endpoint instead (MinIO, AWS). Also prints what each server charges per ranged GET and mlship's client-side
// ceiling (the same pull code reading from a local directory).
// Usage: node bench/pull.mjs [--mb 200] [--rounds 5] [--servers moto,gofakes3,endpoint] [--serial]
//                            [--part-mb N] [--concurrency N]   (default: mlship's own pull tuning)
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { median } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const sizeMb = Number(arg("mb", 200));
const rounds = Number(arg("rounds", 5));
const serial = process.argv.includes("--serial");
const external = process.env.MLSHIP_TEST_S3_ENDPOINT;
const servers = arg("servers", external ? "endpoint" : "moto,gofakes3").split(",").filter(Boolean);
const { openStore, LocalStore, pullArtifacts } = await import(join(root, "dist/store/index.js"));
const { DEFAULT_TUNING } = await import(join(root, "dist/store/pull-plan.js"));
const tuning = {
  partSize: arg("part-mb") ? Number(arg("part-mb")) * 2 ** 20 : DEFAULT_TUNING.partSize,
  concurrency: arg("concurrency") ? Number(arg("concurrency")) : DEFAULT_TUNING.concurrency,
};
const sdk = await import("@aws-sdk/client-s3");

const size = sizeMb * 2 ** 20;
const body = randomBytes(size);
const entry = { path: "big.bin", sha256: createHash("sha256").update(body).digest("hex"), size };
const local = mkdtempSync(join(tmpdir(), "mlship-bench-pull-"));
const mbps = (ms) => sizeMb / (ms / 1000);
const children = new Set();
const killChild = (proc) => {
  try {
    process.kill(-proc.pid, "SIGKILL");
  } catch {
    /* gone */
  }
  children.delete(proc);
};
process.on("exit", () => {
  for (const proc of children) killChild(proc);
  rmSync(local, { recursive: true, force: true });
});

// A TCP port nothing listens on right now.
const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

// Waits until `url` answers HTTP (any status).
async function waitForHttp(url, name, proc) {
  for (const t = Date.now(); ; ) {
    if (proc.exitCode !== null) throw new Error(`${name} exited ${proc.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() - t > 30_000) throw new Error(`${name} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const TEST_CREDS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1" };

// moto_server on a free port, threaded by default: this bench measures throughput and needs none of the
// conditional-write atomicity the tests get from a serial server, and threads let parallel requests overlap.
async function startMoto() {
  const port = await freePort();
  const code = ["import sys, moto.server as m", "serve = m.run_simple", `m.run_simple = lambda *a, **k: serve(*a, **{**k, 'threaded': ${serial ? "False" : "True"}})`, "m.main(sys.argv[1:])"].join("; ");
  const proc = spawn(join(root, ".venv/bin/python"), ["-c", code, "-H", "127.0.0.1", "-p", String(port)], { detached: true, stdio: "ignore", env: { PATH: process.env.PATH, ...TEST_CREDS } });
  children.add(proc);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(`${endpoint}/moto-api/`, "moto_server", proc);
  return {
    name: "moto",
    about: `moto 5 (${serial ? "single-threaded" : "threaded"} werkzeug server, Python, in memory): its ranged GETs cost O(object size), it reads the whole object for each`,
    env: { ...TEST_CREDS, AWS_ENDPOINT_URL_S3: endpoint },
    bucket: "mlship-bench",
    prefix: "bench",
    stop: () => killChild(proc),
  };
}

// The gofakes3 server binary, built from bench/s3-gofakes3 into bench/results/ when missing or older than its source.
function gofakes3Binary() {
  const src = join(root, "bench/s3-gofakes3");
  const bin = join(root, "bench/results/s3-gofakes3");
  const newest = Math.max(...["main.go", "go.mod", "go.sum"].map((f) => statSync(join(src, f)).mtimeMs));
  if (existsSync(bin) && statSync(bin).mtimeMs >= newest) return bin;
  const go = process.env.GO ?? (spawnSync("go", ["version"]).status === 0 ? "go" : "/usr/local/go/bin/go");
  if (spawnSync(go, ["version"]).status !== 0) throw new Error(`no Go toolchain to build bench/s3-gofakes3 (install Go 1.24+ or set GO=/path/to/go)`);
  console.log(`building bench/s3-gofakes3 into bench/results/ (go build; downloads github.com/johannesboyne/gofakes3 v1.2.0 the first time)…`);
  mkdirSync(dirname(bin), { recursive: true });
  const r = spawnSync(go, ["build", "-buildvcs=false", "-o", bin, "."], { cwd: src, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`go build of bench/s3-gofakes3 failed (exit ${r.status})`);
  return bin;
}

// gofakes3 with its in-memory backend on a free loopback port (it prints the address it listens on).
async function startGofakes3() {
  const proc = spawn(gofakes3Binary(), ["-addr", "127.0.0.1:0"], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
  children.add(proc);
  const endpoint = await new Promise((res, rej) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) res(m[1]);
    });
    proc.on("exit", (code) => rej(new Error(`gofakes3 exited ${code}`)));
  });
  return {
    name: "gofakes3",
    about: "gofakes3 v1.2.0 (Go net/http, in-memory backend): its ranged GETs slice the stored bytes, cost O(range)",
    env: { ...TEST_CREDS, AWS_ENDPOINT_URL_S3: endpoint },
    bucket: "mlship-bench",
    prefix: "bench",
    stop: () => killChild(proc),
  };
}

// The endpoint in MLSHIP_TEST_S3_ENDPOINT with the environment's credentials; objects go under a fresh prefix.
async function useEndpoint() {
  if (!external) throw new Error("--servers endpoint needs MLSHIP_TEST_S3_ENDPOINT (and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)");
  const env = { AWS_ENDPOINT_URL_S3: external, AWS_REGION: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1" };
  for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MLSHIP_S3_PATH_STYLE"]) if (process.env[k]) env[k] = process.env[k];
  return { name: "endpoint", about: `${external} (MLSHIP_TEST_S3_ENDPOINT)`, env, bucket: process.env.MLSHIP_TEST_S3_BUCKET ?? "mlship-bench", prefix: `bench-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`, stop: () => undefined };
}

// A bench-side client for the server (setup and the single-stream baseline), configured as mlship's own.
function clientFor(server) {
  const { env } = server;
  const pathStyle = env.MLSHIP_S3_PATH_STYLE ? ["1", "true", "yes", "on"].includes(env.MLSHIP_S3_PATH_STYLE.toLowerCase()) : true;
  const credentials = env.AWS_ACCESS_KEY_ID ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } : undefined;
  return new sdk.S3Client({ endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION, forcePathStyle: pathStyle, ...(credentials ? { credentials } : {}) });
}

// Interleaved rounds of mlship's pull and the single-stream GetObject on one server, plus its ranged-GET cost.
async function measure(server) {
  const client = clientFor(server);
  const Bucket = server.bucket;
  const Key = `${server.prefix}/model/big.bin`;
  const Tiny = `${server.prefix}/tiny.bin`;
  const where = server.env.AWS_REGION === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: server.env.AWS_REGION } };
  await client.send(new sdk.HeadBucketCommand({ Bucket })).catch(() => client.send(new sdk.CreateBucketCommand({ Bucket, ...where })));
  await client.send(new sdk.PutObjectCommand({ Bucket, Key, Body: body }));
  await client.send(new sdk.PutObjectCommand({ Bucket, Key: Tiny, Body: randomBytes(1024) }));

  // (a) mlship's pull, cold cache: ranged GETs, written at offsets, hashed, renamed into the cache. One store
  // for all rounds, as the baseline keeps one client: both measure throughput over warm connections.
  const store = openStore(`s3://${Bucket}`, "/", server.env);
  const mlshipPull = async () => {
    const cacheDir = mkdtempSync(join(local, "cache-"));
    const t0 = performance.now();
    const report = await pullArtifacts(store, `${server.prefix}/model`, [entry], { ...tuning, cacheDir });
    const ms = performance.now() - t0;
    if (report.problems.length) throw new Error(report.problems.join("; "));
    rmSync(cacheDir, { recursive: true, force: true });
    return ms;
  };
  // (b) the baseline: one GetObject, its body streamed to a file (no sha256; the SDK checks the CRC32 the
  // server sends with a whole object, if it sends one, as it would for any user).
  let crcChecked = false;
  const singleGet = async () => {
    const file = join(local, "single.bin");
    const t0 = performance.now();
    const res = await client.send(new sdk.GetObjectCommand({ Bucket, Key }));
    await pipeline(res.Body, createWriteStream(file));
    const ms = performance.now() - t0;
    crcChecked = res.ChecksumCRC32 !== undefined;
    if (statSync(file).size !== size) throw new Error(`single GetObject wrote ${statSync(file).size} bytes, expected ${size}`);
    rmSync(file);
    return ms;
  };
  // What the server charges per ranged GET of one byte.
  const rangeLatency = async (key) => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await client.send(new sdk.GetObjectCommand({ Bucket, Key: key, Range: "bytes=0-0" }));
      await res.Body.transformToByteArray();
      times.push(performance.now() - t0);
    }
    return median(times);
  };

  const pulls = [];
  const singles = [];
  await mlshipPull();
  await singleGet(); // warm-up (connections, page cache)
  for (let i = 0; i < rounds; i++) {
    pulls.push(await mlshipPull());
    singles.push(await singleGet());
  }
  const bigRange = await rangeLatency(Key);
  const tinyRange = await rangeLatency(Tiny);
  if (server.name === "endpoint") for (const k of [Key, Tiny]) await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: k }));
  client.destroy();
  return { pulls, singles, bigRange, tinyRange, crcChecked };
}

// mlship's client-side ceiling: the same pull code, ranged reads from a local directory instead of HTTP.
async function ceiling() {
  const store = new LocalStore(join(local, "store"));
  await store.put("bench/model/big.bin", body);
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const cacheDir = mkdtempSync(join(local, "cache-"));
    const t0 = performance.now();
    const report = await pullArtifacts(store, "bench/model", [entry], { ...tuning, cacheDir });
    times.push(performance.now() - t0);
    if (report.problems.length) throw new Error(report.problems.join("; "));
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return median(times);
}

const starters = { moto: startMoto, gofakes3: startGofakes3, endpoint: useEndpoint };
const parts = Math.ceil(size / tuning.partSize);
console.log(`pull of a ${sizeMb} MB object, ${rounds} rounds interleaved per server, medians; mlship: ${tuning.partSize / 2 ** 20} MB ranged GETs (${parts} parts), ${tuning.concurrency} in flight, sha256 verified, cold cache`);
let failed = false;
for (const name of servers) {
  const start = starters[name];
  if (!start) throw new Error(`unknown server "${name}": use moto, gofakes3 or endpoint`);
  let server;
  try {
    server = await start();
    const m = await measure(server);
    const a = mbps(median(m.pulls));
    const b = mbps(median(m.singles));
    const list = (xs) => xs.map(mbps).map((x) => x.toFixed(0)).join(", ");
    console.log(`\n${server.name}: ${server.about}`);
    console.log(`  mlship pull                                       ${a.toFixed(1).padStart(7)} MB/s   [${list(m.pulls)}]`);
    console.log(`  single-stream GetObject to a file                 ${b.toFixed(1).padStart(7)} MB/s   [${list(m.singles)}]   (no sha256; ${m.crcChecked ? "the SDK checks the CRC32 the server sends" : "the server sends no checksum"})`);
    console.log(`  ratio mlship / single stream: ${(a / b).toFixed(2)}x (target >= 1.0x)`);
    console.log(`  per ranged GET: 1 byte of the ${sizeMb} MB object ${m.bigRange.toFixed(1)} ms, 1 byte of a 1 KB object ${m.tinyRange.toFixed(1)} ms`);
    if (server.name === "moto") console.log(`  (moto reads the whole object for every ranged GET, so ${parts} parts cost it ~${parts}x the object: its ratio measures moto, not mlship)`);
  } catch (err) {
    failed = true;
    console.log(`\n${name}: failed: ${err.message}`);
  } finally {
    server?.stop();
  }
}
console.log(`\nclient-side ceiling: the same pull from a local directory (ranged reads, sha256, write, rename)  ${mbps(await ceiling()).toFixed(0)} MB/s`);
process.exit(failed ? 1 : 0);

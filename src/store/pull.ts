// Pulls artifacts listed with their sha256 and size into the local blob cache (parallel ranged GETs for
// large files), verifying every byte; on a local-directory store, verifies the files where they are.
import { createHash } from "node:crypto";
import { open, unlink, writeFile } from "node:fs/promises";
import { commitBlob, hashFile, lookupBlob, tempBlobPath } from "./blob-cache.js";
import { DEFAULT_TUNING, planFetch, type Part, type PullTuning } from "./pull-plan.js";
import { startSha256Worker, type Sha256Stream, type Sha256Worker } from "./sha256-worker.js";
import type { Store } from "./types.js";

// One file to pull: its path under the prefix and what MANIFEST.json says it holds.
export interface PullEntry {
  path: string;
  sha256: string;
  size: number;
}

// A verified local copy: `file` is a cache blob (or, on a local store, the store's own file).
export interface PulledFile {
  path: string;
  file: string;
  size: number;
  source: "cache" | "download" | "in-place";
}

export interface PullOptions extends Partial<PullTuning> {
  // The blob cache; null verifies a local store's files in place. Default: the store's own (`store.blobCache`).
  cacheDir?: string | null;
}

export interface PullReport {
  files: Map<string, PulledFile>; // only the files that passed
  problems: string[]; // one line per file that is missing or does not match, naming it and what differs
  downloadedBytes: number;
  requests: number; // GETs and HEADs sent to the store
  repaired: string[]; // cache entries found damaged (deleted and pulled again)
}

type Outcome = { ok: true; file: PulledFile } | { ok: false; problem: string };

// Never resolves a file that does not match its entry; store failures (unreachable, denied) are thrown.
export async function pullArtifacts(store: Store, prefix: string, entries: readonly PullEntry[], options: PullOptions = {}): Promise<PullReport> {
  const tuning: PullTuning = {
    concurrency: options.concurrency ?? DEFAULT_TUNING.concurrency,
    partSize: options.partSize ?? DEFAULT_TUNING.partSize,
    threshold: options.threshold ?? DEFAULT_TUNING.threshold,
  };
  const cacheDir = options.cacheDir === undefined ? store.blobCache : options.cacheDir;
  const report: PullReport = { files: new Map(), problems: [], downloadedBytes: 0, requests: 0, repaired: [] };
  const requests = limiter(tuning.concurrency);
  const request = <T>(fn: () => Promise<T>) => requests(() => (report.requests++, fn()));
  const files = limiter(tuning.concurrency);
  const key = (entry: PullEntry) => (prefix ? `${prefix}/${entry.path}` : entry.path);
  let hasher: Sha256Worker | undefined; // one hashing thread for the pull's ranged files, started on the first
  const newHash = () => (hasher ??= startSha256Worker()).stream();

  const pullOne = async (entry: PullEntry): Promise<Outcome> => {
    if (cacheDir === null) return verifyInPlace(store, key(entry), entry);
    const cached = await lookupBlob(cacheDir, entry.sha256, entry.size);
    if (cached.hit) return { ok: true, file: { path: entry.path, file: cached.path, size: entry.size, source: "cache" } };
    if (cached.corrupt) report.repaired.push(entry.path);
    const temp = await tempBlobPath(cacheDir, entry.sha256);
    let committed = false;
    try {
      const plan = planFetch(entry.size, tuning);
      const got = plan.kind === "whole" ? await fetchWhole(store, key(entry), temp, request) : await fetchRanged(store, key(entry), entry.size, plan.parts, temp, request, tuning, newHash);
      if (!got.ok) return { ok: false, problem: `${entry.path}: listed in MANIFEST.json but missing` };
      report.downloadedBytes += got.downloaded;
      const problem = mismatch(entry, got);
      if (problem) return { ok: false, problem };
      const file = await commitBlob(cacheDir, entry.sha256, temp);
      committed = true;
      return { ok: true, file: { path: entry.path, file, size: entry.size, source: "download" } };
    } finally {
      if (!committed) await unlink(temp).catch(() => undefined);
    }
  };

  try {
    const outcomes = await settleAll(entries.map((entry) => files(() => pullOne(entry))));
    outcomes.forEach((o) => (o.ok ? report.files.set(o.file.path, o.file) : report.problems.push(o.problem)));
    return report;
  } finally {
    await hasher?.close();
  }
}

// What differs between a file and its entry, or null when it matches.
export function mismatch(entry: PullEntry, got: { size: number; sha256: string }): string | null {
  if (got.size !== entry.size) return `${entry.path}: size ${got.size} bytes, MANIFEST.json says ${entry.size}`;
  if (got.sha256 !== entry.sha256) {
    return `${entry.path}: sha256 does not match MANIFEST.json (the file changed after the run wrote it): expected ${entry.sha256}, got ${got.sha256}`;
  }
  return null;
}

type Fetched = { ok: true; size: number; sha256: string; downloaded: number } | { ok: false };
type Request = <T>(fn: () => Promise<T>) => Promise<T>;

// A local store's file, hashed where it lies.
async function verifyInPlace(store: Store, key: string, entry: PullEntry): Promise<Outcome> {
  const path = store.localPath(key);
  if (path === undefined) throw new Error(`store ${store.location} is not local: pulling from it needs a cache directory`);
  const got = await hashFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" || err.code === "EISDIR") return null;
    throw err;
  });
  if (!got) return { ok: false, problem: `${entry.path}: listed in MANIFEST.json but missing` };
  const problem = mismatch(entry, got);
  return problem ? { ok: false, problem } : { ok: true, file: { path: entry.path, file: path, size: entry.size, source: "in-place" } };
}

// One GET of the whole object, written to `temp`.
async function fetchWhole(store: Store, key: string, temp: string, request: Request): Promise<Fetched> {
  const got = await request(() => store.get(key));
  if (!got.ok) return { ok: false };
  await writeFile(temp, got.body);
  const size = got.body.byteLength;
  return { ok: true, size, sha256: createHash("sha256").update(got.body).digest("hex"), downloaded: size };
}

// Ranged GETs in parallel, each written at its offset; the hash follows in order on a worker thread, and no
// part is fetched more than a few parts ahead of it, so memory stays bounded while a slow part is awaited.
async function fetchRanged(store: Store, key: string, size: number, parts: Part[], temp: string, request: Request, tuning: PullTuning, newHash: () => Sha256Stream): Promise<Fetched> {
  const head = await request(() => store.head(key));
  if (!head.ok) return { ok: false };
  if (head.size !== size) return { ok: true, size: head.size, sha256: "", downloaded: 0 }; // refused by size, without pulling the bytes
  const handle = await open(temp, "w");
  const hash = newHash();
  const ready = new Map<number, Uint8Array>();
  const window = tuning.concurrency + 4;
  let queued = 0; // parts handed to the hash so far (in order)
  let hashed = 0; // parts hashed so far
  let bytes = 0;
  let next = 0;
  let stop: { error: unknown } | { missing: true } | undefined;
  let wake: () => void = () => undefined;
  let progress = new Promise<void>((r) => (wake = r));
  const signal = () => {
    const w = wake;
    progress = new Promise<void>((r) => (wake = r));
    w();
  };
  const worker = async () => {
    while (!stop && next < parts.length) {
      const part = parts[next++]!;
      while (!stop && part.index >= hashed + window) await progress;
      if (stop) return;
      const got = await request(() => store.getRange(key, part.start, part.end));
      if (!got.ok) {
        stop = { missing: true };
        return signal();
      }
      for (let done = 0; done < got.body.byteLength; ) {
        done += (await handle.write(got.body, done, got.body.byteLength - done, part.start + done)).bytesWritten;
      }
      ready.set(part.index, got.body);
      for (let b = ready.get(queued); b; b = ready.get(queued)) {
        ready.delete(queued++);
        bytes += b.byteLength;
        hash.update(b).then(() => (hashed++, signal()), fail); // b is handed over: not used here again
      }
    }
  };
  const fail = (error: unknown) => {
    stop ??= { error };
    signal();
  };
  await Promise.all(Array.from({ length: Math.min(tuning.concurrency, parts.length) }, () => worker().catch(fail)));
  await handle.close();
  if (stop && "error" in stop) throw stop.error;
  if (stop) return { ok: false };
  return { ok: true, size: bytes, sha256: await hash.digest(), downloaded: bytes };
}

// Runs at most `n` of the given tasks at once (a finishing task hands its slot straight to the next in line).
function limiter(n: number): Request {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < n) active++;
    else await new Promise<void>((r) => queue.push(r));
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

// Waits for every task (so none is still writing when the caller cleans up), then throws the first failure.
async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

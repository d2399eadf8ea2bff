// The artifact half of `mlship store check`: a version's MANIFEST.json (schema, the registered sha256) and every
// file it lists (present, size, sha256), each problem under the key of the object it is about.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readManifest } from "../certify/manifest.js";
import { checkRecord } from "../records/index.js";
import { pullArtifacts, type PullEntry } from "../store/pull.js";
import type { Store } from "../store/types.js";
import type { StoreProblem } from "./report.js";

// Files a version cannot be served without (as `mlship train` requires them before registering).
const REQUIRED = ["portable/descriptor.json", "parity.arrow", "metrics.json"];

// Checks the artifacts under `prefix` against MANIFEST.json and, when given, the manifest sha256 a version registered.
export async function checkArtifacts(store: Store, prefix: string, registeredSha256: string | null): Promise<{ problems: StoreProblem[]; files: number }> {
  const manifestKey = `${prefix}/MANIFEST.json`;
  const problems: StoreProblem[] = [];
  const manifestProblem = (message: string) => problems.push({ key: manifestKey, kind: "manifest", message });
  const read = await readManifest(store, prefix);
  if (!read.ok) {
    read.problems.forEach((p) => manifestProblem(p.replace(/^MANIFEST\.json /, "")));
    return { problems, files: 0 };
  }
  if (registeredSha256 !== null && read.manifestSha256 !== registeredSha256) {
    manifestProblem(`sha256 ${read.manifestSha256} differs from the one the version was registered with (${registeredSha256})`);
  }
  const entries = read.manifest.files;
  const listed = new Set(entries.map((f) => f.path));
  for (const required of REQUIRED) if (!listed.has(required)) manifestProblem(`${required}: required file not listed`);
  const fileProblem = (path: string, message: string) => problems.push({ key: `${prefix}/${path}`, kind: "artifact", message });
  const present = new Map((await store.listWithSizes(prefix)).map((o) => [o.key.slice(prefix.length + 1), o.size]));
  for (const rel of present.keys()) if (rel !== "MANIFEST.json" && !listed.has(rel)) fileProblem(rel, "present but not listed in MANIFEST.json");
  const toPull = entries.filter((entry) => {
    const size = present.get(entry.path);
    if (size === undefined) fileProblem(entry.path, "listed in MANIFEST.json but missing");
    else if (size !== entry.size) fileProblem(entry.path, `size ${size} bytes, MANIFEST.json says ${entry.size}`);
    return size === entry.size;
  });
  // The store's own bytes are hashed, never a cached copy (which answers for a same-size object changed since):
  // in place on a local store, else downloaded into a scratch folder that is removed afterwards.
  const scratch = store.blobCache === null ? null : await mkdtemp(join(tmpdir(), "mlship-check-"));
  try {
    problems.push(...(await hashed(store, prefix, toPull, listed, scratch)));
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
  return { problems, files: entries.length };
}

// Pulls the files (verifying size and sha256) and checks metrics.json's schema; problems under each file's key.
async function hashed(store: Store, prefix: string, entries: PullEntry[], listed: Set<string>, cacheDir: string | null): Promise<StoreProblem[]> {
  const problems: StoreProblem[] = [];
  const fileProblem = (path: string, message: string) => problems.push({ key: `${prefix}/${path}`, kind: "artifact", message });
  const pulled = await pullArtifacts(store, prefix, entries, { cacheDir });
  // Each pull problem starts with the path it is about ("<path>: ..."); the longest listed path that matches owns it.
  const byLength = [...listed].sort((a, b) => b.length - a.length);
  for (const text of pulled.problems) {
    const path = byLength.find((p) => text.startsWith(`${p}: `));
    if (path) fileProblem(path, text.slice(path.length + 2));
    else problems.push({ key: `${prefix}/MANIFEST.json`, kind: "manifest", message: text });
  }
  const metrics = pulled.files.get("metrics.json");
  if (metrics) {
    const checked = checkRecord("metrics", await readFile(metrics.file));
    if (!checked.ok) checked.problems.forEach((message) => fileProblem("metrics.json", message));
  }
  return problems;
}

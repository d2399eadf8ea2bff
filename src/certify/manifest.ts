// Verifies a run's MANIFEST.json: every listed file present with its size and sha256 (pulled into the local
// cache and checked there), nothing unlisted.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { FatalError } from "../errors.js";
import { checkRecord } from "../records/index.js";
import { pullArtifacts, type PullOptions, type PulledFile } from "../store/pull.js";
import type { Store } from "../store/types.js";

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}
export interface Manifest {
  formatVersion: number;
  runId?: string;
  createdAt?: string;
  files: ManifestEntry[];
}

// Reads a run's files after they were checked against MANIFEST.json.
export interface ArtifactReader {
  read(rel: string): Promise<Uint8Array>;
}

// A run's artifacts, all pulled and verified: a local copy of every listed file.
export interface VerifiedArtifacts extends ArtifactReader {
  prefix: string;
  files: ReadonlyMap<string, PulledFile>;
}

export type ManifestCheck =
  | { ok: true; manifest: Manifest; manifestSha256: string; bytes: number; artifacts: VerifiedArtifacts }
  | { ok: false; problems: string[] };

export type ManifestRead = { ok: true; manifest: Manifest; manifestSha256: string } | { ok: false; problems: string[] };

export const sha256Hex = (body: Uint8Array) => createHash("sha256").update(body).digest("hex");

// Fetches and parses MANIFEST.json (small: one GET) and checks it against its schema (src/records), since its
// paths and hashes become store keys and cache file names.
export async function readManifest(store: Store, prefix: string): Promise<ManifestRead> {
  const got = await store.get(`${prefix}/MANIFEST.json`);
  if (!got.ok) return { ok: false, problems: ["MANIFEST.json is missing: the run did not finish writing its artifacts"] };
  const checked = checkRecord("manifest", got.body);
  if (!checked.ok) return { ok: false, problems: checked.problems.map((p) => `MANIFEST.json ${p}`) };
  return { ok: true, manifest: checked.value, manifestSha256: sha256Hex(got.body) };
}

// Reads and checks the manifest under `prefix` (the run's model/ folder), pulling every file it lists.
export async function verifyManifest(store: Store, prefix: string, options: PullOptions = {}): Promise<ManifestCheck> {
  const read = await readManifest(store, prefix);
  if (!read.ok) return read;
  const { manifest } = read;
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const required of ["portable/descriptor.json", "parity.arrow", "metrics.json"]) {
    if (!listed.has(required)) problems.push(`${required}: required file not listed in MANIFEST.json`);
  }
  // One listing checks that every file is in the store with its size (so a cached copy never hides a deleted
  // or truncated one) and that nothing unlisted is there; the bytes are then pulled (or found in the cache) and hashed.
  const present = new Map((await store.listWithSizes(prefix)).map((o) => [o.key.slice(prefix.length + 1), o.size]));
  const toPull = manifest.files.filter((entry) => {
    const size = present.get(entry.path);
    if (size === undefined) problems.push(`${entry.path}: listed in MANIFEST.json but missing`);
    else if (size !== entry.size) problems.push(`${entry.path}: size ${size} bytes, MANIFEST.json says ${entry.size}`);
    return size === entry.size;
  });
  const pulled = await pullArtifacts(store, prefix, toPull, options);
  problems.push(...pulled.problems);
  for (const rel of present.keys()) {
    if (rel !== "MANIFEST.json" && !listed.has(rel)) problems.push(`${rel}: present but not listed in MANIFEST.json`);
  }
  if (problems.length) return { ok: false, problems };
  const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
  return { ok: true, manifest, manifestSha256: read.manifestSha256, bytes, artifacts: verifiedArtifacts(prefix, pulled.files) };
}

// A reader over files already pulled and verified.
export function verifiedArtifacts(prefix: string, files: ReadonlyMap<string, PulledFile>): VerifiedArtifacts {
  return {
    prefix,
    files,
    read: async (rel) => {
      const file = files.get(rel);
      if (!file) throw new FatalError(`${rel} is not listed in ${prefix}/MANIFEST.json`, "E_ARTIFACTS");
      return readFile(file.file);
    },
  };
}

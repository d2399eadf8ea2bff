// Verifies a run's MANIFEST.json: every listed file present with its size and sha256, nothing unlisted.
import { createHash } from "node:crypto";
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

export type ManifestCheck =
  | { ok: true; manifest: Manifest; manifestSha256: string; bytes: number }
  | { ok: false; problems: string[] };

export const sha256Hex = (body: Uint8Array) => createHash("sha256").update(body).digest("hex");

// Reads and checks the manifest under `prefix` (the run's model/ folder) against the store's bytes.
export async function verifyManifest(store: Store, prefix: string): Promise<ManifestCheck> {
  const got = await store.get(`${prefix}/MANIFEST.json`);
  if (!got.ok) return { ok: false, problems: ["MANIFEST.json is missing: the run did not finish writing its artifacts"] };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(Buffer.from(got.body).toString("utf8")) as Manifest;
  } catch {
    return { ok: false, problems: ["MANIFEST.json is not valid JSON"] };
  }
  if (!Array.isArray(manifest.files) || manifest.files.length === 0) return { ok: false, problems: ["MANIFEST.json lists no files"] };
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const required of ["portable/descriptor.json", "parity.arrow", "metrics.json"]) {
    if (!listed.has(required)) problems.push(`${required}: required file not listed in MANIFEST.json`);
  }
  let bytes = 0;
  for (const entry of manifest.files) {
    const file = await store.get(`${prefix}/${entry.path}`);
    if (!file.ok) {
      problems.push(`${entry.path}: listed in MANIFEST.json but missing`);
      continue;
    }
    bytes += file.body.byteLength;
    if (file.body.byteLength !== entry.size) problems.push(`${entry.path}: size ${file.body.byteLength} bytes, MANIFEST.json says ${entry.size}`);
    else if (sha256Hex(file.body) !== entry.sha256) problems.push(`${entry.path}: sha256 does not match MANIFEST.json (the file changed after the run wrote it)`);
  }
  const present = await store.list(prefix);
  for (const key of present) {
    const rel = key.slice(prefix.length + 1);
    if (rel !== "MANIFEST.json" && !listed.has(rel)) problems.push(`${rel}: present but not listed in MANIFEST.json`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, manifest, manifestSha256: sha256Hex(got.body), bytes };
}

// The idempotency key of an update, and the child a retried update already registered.
import { createHash } from "node:crypto";
import { sortedByPath } from "../ledger/index.js";
import type { InputFile } from "../ledger/index.js";

// What makes an update the same update: its parent, the new data and the spec.
export interface KeyInput {
  model: string;
  parentVersion: number;
  files: readonly InputFile[]; // the new files (for a partitioned source, those the listing found above the watermark)
  predicate: { column: string; value: string | number | boolean | null } | null;
  specSha256: string;
}

// sha256 over a canonical JSON of the parent, the sorted new files (path, size, mtime or ETag), the watermark
// predicate and the spec's sha256: a retried run of the same update computes the same key.
export function updateKey(input: KeyInput): string {
  const files = sortedByPath(input.files).map((f) => [f.path, f.size, f.etag !== undefined ? `etag:${f.etag}` : `mtime:${f.mtime ?? ""}`]);
  const canonical = JSON.stringify({
    v: 1,
    parent: `${input.model}@${input.parentVersion}`,
    files,
    predicate: input.predicate ? [input.predicate.column, input.predicate.value] : null,
    spec: input.specSha256,
  });
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

// The version a retried update already registered: a child of the parent whose lineage carries the same key (the
// lowest, should two exist); null when there is none and the update should run.
export function retriedChild(
  versions: readonly { version: number; lineage: { parentVersion?: number | null; updateKey?: string } }[],
  parentVersion: number,
  key: string,
): number | null {
  const hits = versions.filter((v) => v.lineage.updateKey === key && v.lineage.parentVersion === parentVersion).map((v) => v.version);
  return hits.length ? Math.min(...hits) : null;
}

// Where registry records live in the store (same layout on disk and on S3); the only place that knows it.
export const registryPrefix = (model: string) => `registry/${model}`;
export const versionsPrefix = (model: string) => `registry/${model}/versions`;
export const aliasesPrefix = (model: string) => `registry/${model}/aliases`;
export const versionKey = (model: string, version: number) => `registry/${model}/versions/${version}.json`;
export const aliasKey = (model: string, alias: string) => `registry/${model}/aliases/${alias}.json`;
// Mutable metadata of a version (its tags), moved by compare-and-swap; the version record itself never changes.
export const tagsKey = (model: string, version: number) => `registry/${model}/tags/${version}.json`;
// A soft delete: the tombstone's presence hides the version; the record and its artifacts stay.
export const tombstoneKey = (model: string, version: number) => `registry/${model}/deleted/${version}.json`;

// The version number in a version key, or null for other keys.
export function versionFromKey(key: string): number | null {
  const m = /\/versions\/(\d+)\.json$/.exec(key);
  return m ? Number(m[1]) : null;
}

// The version number in a tombstone key, or null for other keys.
export function deletedVersionFromKey(key: string): number | null {
  const m = /\/deleted\/(\d+)\.json$/.exec(key);
  return m ? Number(m[1]) : null;
}

// The model a version key belongs to, or null for other keys.
export function modelFromVersionKey(key: string): string | null {
  const m = /^registry\/([^/]+)\/versions\/\d+\.json$/.exec(key);
  return m ? m[1]! : null;
}

// The alias name in an alias key, or null for other keys.
export function aliasFromKey(key: string): string | null {
  const m = /\/aliases\/([^/]+)\.json$/.exec(key);
  return m ? m[1]! : null;
}

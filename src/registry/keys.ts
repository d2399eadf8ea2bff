// Where registry records live in the store (same layout on disk and on S3).
export const registryPrefix = (model: string) => `registry/${model}`;
export const versionKey = (model: string, version: number) => `registry/${model}/versions/${version}.json`;
export const aliasKey = (model: string, alias: string) => `registry/${model}/aliases/${alias}.json`;

// The version number in a version key, or null for other keys.
export function versionFromKey(key: string): number | null {
  const m = /\/versions\/(\d+)\.json$/.exec(key);
  return m ? Number(m[1]) : null;
}

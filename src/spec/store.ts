// Where the store lives: --store, else MLSHIP_STORE, else the spec's `store`, else ./mlship-store.
import path from "node:path";

export const DEFAULT_STORE = "./mlship-store";

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i; // s3://bucket/prefix, file:///...

// The store location: URLs as given, local paths resolved against cwd. Empty values count as unset.
export function resolveStore(opts: {
  flag?: string;
  env: Record<string, string | undefined>;
  spec?: { store?: string };
  cwd: string;
}): string {
  const chosen = [opts.flag, opts.env.MLSHIP_STORE, opts.spec?.store].find((v) => v !== undefined && v.trim() !== "") ?? DEFAULT_STORE;
  return URL_LIKE.test(chosen) ? chosen : path.resolve(opts.cwd, chosen);
}

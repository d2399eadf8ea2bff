// Where the store lives: --store, else MLSHIP_STORE, else the spec's `store`, else ./mlship-store.
import path from "node:path";

export const DEFAULT_STORE = "./mlship-store";

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i; // s3://bucket/prefix, file:///...

export interface StoreOptions {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  spec?: { store?: string | undefined };
  cwd: string;
}

// The store location: URLs as given, local paths resolved against cwd. Empty values count as unset.
export function resolveStore(opts: StoreOptions): string {
  return chooseStore(opts).location;
}

// The store location and where it came from (a problem in the spec's own `store:` points at that field).
export function chooseStore(opts: StoreOptions): { location: string; from: "flag" | "env" | "spec" | "default" } {
  const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== "";
  const [chosen, from] = set(opts.flag) ? [opts.flag, "flag" as const]
    : set(opts.env.MLSHIP_STORE) ? [opts.env.MLSHIP_STORE, "env" as const]
    : set(opts.spec?.store) ? [opts.spec.store, "spec" as const]
    : [DEFAULT_STORE, "default" as const];
  return { location: URL_LIKE.test(chosen) ? chosen : path.resolve(opts.cwd, chosen), from };
}

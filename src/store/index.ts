// Opens the store a location names: s3://bucket/prefix (or s3a://) on S3, anything else a local directory.
import { isAbsolute, resolve } from "node:path";
import { UserError } from "../errors.js";
import { LocalStore } from "./local.js";
import { S3Store } from "./s3.js";
import type { S3Options } from "./s3-config.js";
import type { Store } from "./types.js";

export type { Store, GetResult, CreateResult, SwapResult, StoredObject, HeadResult, RangeResult } from "./types.js";
export { pullArtifacts, type PullEntry, type PullOptions, type PullReport, type PulledFile } from "./pull.js";
export { resolveCacheDir } from "./blob-cache.js";
export type { S3Options, S3Settings } from "./s3-config.js";
export { LocalStore } from "./local.js";
export { S3Store } from "./s3.js";

// Why a store location names no backend mlship has (a URI scheme other than s3, s3a, file), or undefined.
export function unsupportedStore(location: string): string | undefined {
  if (/^s3a?:\/\//i.test(location)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith("file://")) {
    return `unsupported store "${location}": use s3://bucket/prefix, a local directory or a file:// URI`;
  }
  return undefined;
}

// Synchronous: the S3 client (and the SDK) are only loaded on the store's first request.
export function openStore(location: string, cwd: string, env: Record<string, string | undefined> = process.env, s3: S3Options = {}): Store {
  if (/^s3a?:\/\//i.test(location)) return new S3Store(location, env, s3);
  const unsupported = unsupportedStore(location);
  if (unsupported !== undefined) throw new UserError(unsupported, "E_STORE_UNSUPPORTED");
  const path = location.startsWith("file://") ? new URL(location).pathname : location;
  return new LocalStore(isAbsolute(path) ? path : resolve(cwd, path));
}

// Opens the store a location names: a local directory now; s3:// is the next backend.
import { isAbsolute, resolve } from "node:path";
import { UserError } from "../errors.js";
import { LocalStore } from "./local.js";
import type { Store } from "./types.js";

export type { Store, GetResult, CreateResult, SwapResult, StoredObject } from "./types.js";
export { LocalStore } from "./local.js";

export function openStore(location: string, cwd: string): Store {
  if (/^s3a?:\/\//.test(location)) {
    throw new UserError(`the S3 store (${location}) is not available in this version; use a local directory`, "E_STORE_UNSUPPORTED");
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith("file://")) {
    throw new UserError(`unsupported store "${location}": use a local directory (or file:// URI)`, "E_STORE_UNSUPPORTED");
  }
  const path = location.startsWith("file://") ? new URL(location).pathname : location;
  return new LocalStore(isAbsolute(path) ? path : resolve(cwd, path));
}

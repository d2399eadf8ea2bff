// Parses s3://bucket/prefix (or s3a://) into the bucket and the key prefix every store key lives under.
import { UserError } from "../errors.js";

export interface S3Location {
  bucket: string;
  prefix: string; // "" or "a/b" (no leading or trailing slash)
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/; // S3's bucket naming rules, simplified

export function parseS3Location(location: string): S3Location {
  const m = /^s3a?:\/\/([^/]*)\/*(.*)$/.exec(location);
  if (!m || !BUCKET.test(m[1]!)) {
    throw new UserError(`invalid S3 store "${location}": expected s3://bucket/prefix with a bucket name of 3-63 lowercase letters, digits, dots or dashes`, "E_STORE_LOCATION");
  }
  const prefix = m[2]!.replace(/\/+$/, "");
  if (prefix.split("/").some((part) => part === "." || part === "..") || prefix.includes("//")) {
    throw new UserError(`invalid S3 store "${location}": the prefix may not contain empty, "." or ".." segments`, "E_STORE_LOCATION");
  }
  return { bucket: m[1]!, prefix };
}

// The normalised location: always s3:// (s3a:// is the same store seen by Hadoop).
export const formatS3Location = ({ bucket, prefix }: S3Location): string => `s3://${bucket}${prefix ? `/${prefix}` : ""}`;

// The object key of a store key; refuses keys that would step outside the prefix.
export function objectKey(loc: S3Location, key: string): string {
  if (key.split("/").some((part) => part === ".." || part === "")) throw new Error(`invalid store key "${key}"`);
  return loc.prefix ? `${loc.prefix}/${key}` : key;
}

// The listing prefix for a store prefix ("" lists the whole store): always ends with "/" below the root.
export function listPrefix(loc: S3Location, prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, "");
  if (!trimmed || trimmed === ".") return loc.prefix ? `${loc.prefix}/` : "";
  return `${objectKey(loc, trimmed)}/`;
}

// An ETag as S3 sends it ("…" or W/"…") without its quotes.
export const unquoteEtag = (etag: string | undefined): string => (etag ?? "").replace(/^(W\/)?"|"$/g, "");

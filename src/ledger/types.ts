// What the ledger knows of one input file: its path as mlship names it, its size, and what changes when it is rewritten.

// A local file has an mtime (ISO-8601), an S3 object an ETag (unquoted); size is in bytes.
export interface InputFile {
  path: string; // file:///abs/path (not percent-encoded) or s3://bucket/key
  size: number;
  mtime?: string;
  etag?: string;
}

// Where a spec's data.train points, as the ledger can list it.
export type DataSource =
  | { kind: "local"; base: string; glob: string | null } // base: an absolute directory or file path
  | { kind: "s3"; bucket: string; base: string; glob: string | null } // base: a key prefix without a trailing "/"
  | { kind: "unlisted"; reason: string };

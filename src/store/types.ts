// One store interface with a backend per kind of storage: a local directory or S3 (local.ts, s3.ts).

// An object's bytes and its version tag (ETag on S3, content hash on disk).
export interface StoredObject {
  body: Uint8Array;
  etag: string;
}

export type GetResult = ({ ok: true } & StoredObject) | { ok: false; reason: "missing" };
export type CreateResult = { ok: true; etag: string } | { ok: false; reason: "exists" };
export type SwapResult = { ok: true; etag: string } | { ok: false; reason: "conflict"; current: string | null };
export type HeadResult = { ok: true; size: number } | { ok: false; reason: "missing" };
// A byte range of an object; `body` is shorter than asked when the object ends sooner (empty past its end).
export type RangeResult = { ok: true; body: Uint8Array } | { ok: false; reason: "missing" };

export interface Store {
  // The store's location as the user gave it, normalised (absolute path or s3://bucket/prefix).
  readonly location: string;
  // Where artifacts pulled from this store are cached by sha256; null when its files are local and are verified in place.
  readonly blobCache: string | null;
  // Reads an object; missing is a result, not an error.
  get(key: string): Promise<GetResult>;
  // An object's size, without its bytes.
  head(key: string): Promise<HeadResult>;
  // Bytes `start` to `endInclusive` of an object (S3: GetObject with a Range header; disk: a read at an offset).
  getRange(key: string, start: number, endInclusive: number): Promise<RangeResult>;
  // Writes an object, replacing any previous one; readers see the old or the new bytes, never a mix.
  put(key: string, body: Uint8Array | string): Promise<string>;
  // Creates an object only if no object has that key (conditional put).
  create(key: string, body: Uint8Array | string): Promise<CreateResult>;
  // Replaces an object only if its current etag is `expected` (null: only if absent).
  swap(key: string, body: Uint8Array | string, expected: string | null): Promise<SwapResult>;
  // Keys under a prefix (recursive), sorted.
  list(prefix: string): Promise<string[]>;
  // Keys under a prefix (recursive), sorted, with each object's size (one listing, no per-object request).
  listWithSizes(prefix: string): Promise<{ key: string; size: number }[]>;
  // Removes an object (no error when absent).
  remove(key: string): Promise<void>;
  // A URI Spark and pyarrow can write to for this key (file:///… or s3a://…).
  sparkUri(key: string): string;
  // The local path of a key when the store is a local directory.
  localPath(key: string): string | undefined;
}

// The S3 store: create by PutObject If-None-Match "*", compare-and-swap by PutObject If-Match on the ETag.
import { FatalError } from "../errors.js";
import type { S3Handle } from "./s3-client.js";
import { resolveCacheDir } from "./blob-cache.js";
import { attemptsOf, errorName, isNetworkFailure, s3Failure, statusOf } from "./s3-errors.js";
import { resolveS3Settings, type S3Options, type S3Settings } from "./s3-config.js";
import { formatS3Location, listPrefix, objectKey, parseS3Location, unquoteEtag, type S3Location } from "./s3-location.js";
import type { CreateResult, GetResult, HeadResult, RangeResult, Store, SwapResult } from "./types.js";

const unquote = unquoteEtag;
const bytes = (body: Uint8Array | string) => (typeof body === "string" ? Buffer.from(body, "utf8") : body);
const isMissing = (err: unknown) => errorName(err) === "NoSuchKey" || errorName(err) === "NotFound" || statusOf(err) === 404;
// 412: the condition failed; 409: another conditional write to the key was in flight (AWS asks to retry).
const isConditionFailure = (err: unknown) => statusOf(err) === 412 || statusOf(err) === 409;

export class S3Store implements Store {
  readonly location: string;
  readonly blobCache: string;
  private readonly settings: S3Settings; // holds credentials: never printed
  private readonly loc: S3Location;
  private handle: Promise<S3Handle> | undefined;

  constructor(location: string, env: Record<string, string | undefined> = process.env, options: S3Options = {}) {
    this.loc = parseS3Location(location);
    this.location = formatS3Location(this.loc);
    this.settings = resolveS3Settings(env, options);
    this.blobCache = options.cacheDir ?? resolveCacheDir(env);
  }

  async get(key: string): Promise<GetResult> {
    const got = await this.getObject(key, undefined);
    return got.ok ? { ok: true, body: got.body, etag: got.etag } : got;
  }

  async head(key: string): Promise<HeadResult> {
    const { sdk, client } = await this.s3();
    try {
      const res = await client.send(new sdk.HeadObjectCommand({ Bucket: this.loc.bucket, Key: objectKey(this.loc, key) }));
      return { ok: true, size: res.ContentLength ?? 0 };
    } catch (err) {
      if (statusOf(err) === 404 && errorName(err) !== "NoSuchBucket") return { ok: false, reason: "missing" };
      throw this.fail(err, "HeadObject", key);
    }
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<RangeResult> {
    if (endInclusive < start) return { ok: true, body: new Uint8Array() };
    const got = await this.getObject(key, `bytes=${start}-${endInclusive}`);
    return got.ok ? { ok: true, body: got.body } : got;
  }

  async put(key: string, body: Uint8Array | string): Promise<string> {
    const Key = objectKey(this.loc, key);
    try {
      return await this.putObject(Key, body, {});
    } catch (err) {
      throw this.fail(err, "PutObject", key);
    }
  }

  async create(key: string, body: Uint8Array | string): Promise<CreateResult> {
    const Key = objectKey(this.loc, key);
    const data = bytes(body);
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        return { ok: true, etag: await this.putObject(Key, data, { IfNoneMatch: "*" }) };
      } catch (err) {
        const mine = await this.landedEarlier(err, key, data);
        if (mine !== null) return { ok: true, etag: mine };
        if (statusOf(err) === 412) return { ok: false, reason: "exists" };
        if (statusOf(err) !== 409) throw this.fail(err, "PutObject", key);
        // 409: a racing conditional write; it is decided once it lands, so look again.
        if ((await this.currentEtag(key)) !== null) return { ok: false, reason: "exists" };
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      }
    }
    throw new FatalError(`S3 PutObject ${this.uri(key)}: conditional writes kept conflicting (HTTP 409)`, "E_STORE");
  }

  async swap(key: string, body: Uint8Array | string, expected: string | null): Promise<SwapResult> {
    const Key = objectKey(this.loc, key);
    const data = bytes(body);
    const condition = expected === null ? { IfNoneMatch: "*" } : { IfMatch: `"${expected}"` };
    try {
      return { ok: true, etag: await this.putObject(Key, data, condition) };
    } catch (err) {
      const mine = await this.landedEarlier(err, key, data);
      if (mine !== null) return { ok: true, etag: mine };
      // If-Match on an absent key answers 404 NoSuchKey: the expected object is gone, which is a conflict too.
      if (isConditionFailure(err) || (expected !== null && isMissing(err) && errorName(err) !== "NoSuchBucket")) {
        return { ok: false, reason: "conflict", current: await this.currentEtag(key) };
      }
      throw this.fail(err, "PutObject", key);
    }
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listWithSizes(prefix)).map((o) => o.key);
  }

  async listWithSizes(prefix: string): Promise<{ key: string; size: number }[]> {
    const Prefix = listPrefix(this.loc, prefix);
    const strip = this.loc.prefix ? this.loc.prefix.length + 1 : 0;
    const { sdk, client } = await this.s3();
    const objects: { key: string; size: number }[] = [];
    try {
      for await (const page of sdk.paginateListObjectsV2({ client }, { Bucket: this.loc.bucket, Prefix })) {
        for (const obj of page.Contents ?? []) if (obj.Key && !obj.Key.endsWith("/")) objects.push({ key: obj.Key.slice(strip), size: obj.Size ?? 0 });
      }
    } catch (err) {
      throw this.fail(err, "ListObjectsV2", prefix);
    }
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async remove(key: string): Promise<void> {
    const Key = objectKey(this.loc, key);
    const { sdk, client } = await this.s3();
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.loc.bucket, Key }));
    } catch (err) {
      if (!isMissing(err) || errorName(err) === "NoSuchBucket") throw this.fail(err, "DeleteObject", key);
    }
  }

  sparkUri(key: string): string {
    return `s3a://${this.loc.bucket}/${objectKey(this.loc, key)}`;
  }

  localPath(): undefined {
    return undefined;
  }

  // GetObject (of a range, or whole). The SDK retries requests that get no answer; a body cut off mid-way
  // (the server went away while sending) is retried here, up to the same number of attempts.
  private async getObject(key: string, Range: string | undefined): Promise<GetResult> {
    const Key = objectKey(this.loc, key);
    const { sdk, client } = await this.s3();
    const op = Range ? `GetObject (${Range})` : "GetObject";
    for (let attempt = 1; ; attempt++) {
      let res;
      try {
        res = await client.send(new sdk.GetObjectCommand({ Bucket: this.loc.bucket, Key, ...(Range ? { Range } : {}) }));
      } catch (err) {
        if (isMissing(err) && errorName(err) !== "NoSuchBucket") return { ok: false, reason: "missing" };
        // 416: the range starts past the object's end (it is shorter than expected): no bytes.
        if (Range && statusOf(err) === 416) return { ok: true, body: new Uint8Array(), etag: "" };
        throw this.fail(err, op, key, attempt > 1 ? attempt - 1 + attemptsOf(err) : undefined);
      }
      try {
        const body = res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
        return { ok: true, body, etag: unquote(res.ETag) };
      } catch (err) {
        if (!isNetworkFailure(err) || attempt >= this.settings.maxAttempts) throw this.fail(err, op, key, attempt);
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** (attempt - 1), 2000) * (0.5 + Math.random() / 2)));
      }
    }
  }

  // Writes an object (optionally conditional) and returns its ETag; SDK errors are passed up as they are.
  private async putObject(Key: string, body: Uint8Array | string, condition: { IfNoneMatch?: string; IfMatch?: string }): Promise<string> {
    const { sdk, client } = await this.s3();
    const res = await client.send(new sdk.PutObjectCommand({ Bucket: this.loc.bucket, Key, Body: bytes(body), ...condition }));
    return unquote(res.ETag);
  }

  // A conditional write the SDK retried may have landed on an earlier attempt (its answer lost), and then
  // fail its own condition: if the object now holds exactly our bytes, the write is ours. Its etag, or null.
  private async landedEarlier(err: unknown, key: string, data: Uint8Array): Promise<string | null> {
    if (attemptsOf(err) < 2 || (statusOf(err) !== 412 && statusOf(err) !== 409)) return null;
    const now = await this.get(key);
    return now.ok && Buffer.from(now.body).equals(data) ? now.etag : null;
  }

  // The key's current ETag, or null when it is absent.
  private async currentEtag(key: string): Promise<string | null> {
    const { sdk, client } = await this.s3();
    try {
      const res = await client.send(new sdk.HeadObjectCommand({ Bucket: this.loc.bucket, Key: objectKey(this.loc, key) }));
      return unquote(res.ETag);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw this.fail(err, "HeadObject", key);
    }
  }

  // The client, created on first use: only then is the SDK loaded.
  private s3(): Promise<S3Handle> {
    return (this.handle ??= import("./s3-client.js").then(({ connectS3 }) => connectS3(this.settings)));
  }

  // The object's URI for messages (not validated: it may name a bad key being reported).
  private uri(key: string): string {
    return `s3://${this.loc.bucket}/${[this.loc.prefix, key].filter(Boolean).join("/")}`;
  }

  private fail(err: unknown, op: string, key: string, attempts?: number) {
    return s3Failure(err, op, this.uri(key), this.settings, attempts);
  }
}

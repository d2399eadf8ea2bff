// Lists the S3 objects Spark reads for an s3:// path, folder or glob, with size and ETag, through mlship's S3 client.
import { resolveS3Settings } from "../store/s3-config.js";
import { unquoteEtag } from "../store/s3-location.js";
import { sparkReadsFile } from "./source.js";
import type { InputFile } from "./types.js";

type Env = Record<string, string | undefined>;

// Every object under bucket/base that Spark reads for base/glob (credentials as the S3 store resolves them).
export async function listS3(env: Env, bucket: string, base: string, glob: string | null): Promise<InputFile[]> {
  const { connectS3 } = await import("../store/s3-client.js");
  const { sdk, client } = connectS3(resolveS3Settings(env));
  try {
    const files: InputFile[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: base, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const key = o.Key ?? "";
        if (key.endsWith("/")) continue; // a folder marker, not data
        const rel = key === base ? "" : base === "" ? key : key.startsWith(`${base}/`) ? key.slice(base.length + 1) : null;
        if (rel === null) continue; // base "data/a" also lists "data/ab…"
        if (rel === "" ? glob !== null : !sparkReadsFile(rel, glob)) continue;
        files.push({ path: `s3://${bucket}/${key}`, size: o.Size ?? 0, etag: unquoteEtag(o.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return files;
  } finally {
    client.destroy();
  }
}

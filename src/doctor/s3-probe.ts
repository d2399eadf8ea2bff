// The S3 side of `mlship doctor`: whether the SDK's chain finds credentials (never their values) and whether the
// store's bucket answers a one-key listing. Loads the SDK only when the doctor runs.
import { resolveS3Settings } from "../store/s3-config.js";
import { s3Failure } from "../store/s3-errors.js";
import { parseS3Location } from "../store/s3-location.js";
import type { CredentialFacts } from "./checks.js";

export const S3_PROBE_TIMEOUT_MS = 10_000;

// A promise's value, or a rejection after ms (the SDK's chain can wait on an instance-metadata endpoint).
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// Where the credentials were looked for, in words (no value).
function sourceOf(env: Record<string, string | undefined>, profile: string | undefined, fromEnvKeys: boolean): string {
  if (profile) return `profile ${profile} (--aws-profile)`;
  if (fromEnvKeys) return "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment";
  if (env.AWS_PROFILE) return `profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
  return "the SDK's default chain: environment, shared config and credentials files, SSO, web identity, container or instance role";
}

export interface S3ProbeResult {
  credentials: Omit<CredentialFacts, "needed">;
  listing?: { ok: true; ms: number } | { ok: false; message: string }; // only for an S3 store
}

// Resolves credentials once, then (for an S3 store) lists at most one key under its prefix.
export async function probeS3(x: { env: Record<string, string | undefined>; profile?: string; store?: string; timeoutMs?: number }): Promise<S3ProbeResult> {
  const settings = { ...resolveS3Settings(x.env, { maxAttempts: 2 }) };
  if (x.profile) settings.credentials = undefined; // an explicit profile wins over keys in the environment
  const source = sourceOf(x.env, x.profile, settings.credentials !== undefined);
  const { connectS3 } = await import("../store/s3-client.js");
  const { sdk, client } = connectS3(settings, x.profile);
  const ms = x.timeoutMs ?? S3_PROBE_TIMEOUT_MS;
  try {
    let credentials: S3ProbeResult["credentials"];
    try {
      const c = await within(ms, "the credential chain", client.config.credentials());
      credentials = { found: Boolean(c.accessKeyId), source };
    } catch (err) {
      credentials = { found: false, source, error: ((err as Error).message ?? String(err)).split("\n")[0]?.slice(0, 200) };
    }
    if (x.store === undefined) return { credentials };
    if (!credentials.found) return { credentials, listing: { ok: false, message: "not tried: no credentials" } };
    const loc = parseS3Location(x.store);
    const started = Date.now();
    try {
      await within(ms, "the S3 endpoint", client.send(new sdk.ListObjectsV2Command({ Bucket: loc.bucket, ...(loc.prefix ? { Prefix: `${loc.prefix}/` } : {}), MaxKeys: 1 })));
      return { credentials, listing: { ok: true, ms: Date.now() - started } };
    } catch (err) {
      const message = s3Failure(err, "ListObjectsV2", x.store, settings).message.replace(/^S3 /, "");
      return { credentials, listing: { ok: false, message } };
    }
  } finally {
    client.destroy();
  }
}

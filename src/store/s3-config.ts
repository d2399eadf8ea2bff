// Resolves how to reach S3 (region, endpoint, path style, credentials) from the environment and options.

export interface S3Options {
  endpoint?: string; // used when neither AWS_ENDPOINT_URL_S3 nor AWS_ENDPOINT_URL is set
  region?: string; // used when neither AWS_REGION nor AWS_DEFAULT_REGION is set
  pathStyle?: boolean; // used when MLSHIP_S3_PATH_STYLE is not set
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number; // the SDK's standard retry mode; 5 by default
  cacheDir?: string; // where pulled artifacts are cached; else MLSHIP_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/mlship/blobs
}

export interface S3Settings {
  region: string;
  endpoint: string | undefined; // undefined: AWS's own endpoint for the region
  forcePathStyle: boolean;
  credentials: S3Options["credentials"]; // undefined: the SDK's default credential chain
  maxAttempts: number;
}

type Env = Record<string, string | undefined>;

const set = (v: string | undefined) => (v !== undefined && v.trim() !== "" ? v.trim() : undefined);

// Parses a yes/no environment value; undefined when unset.
function flag(v: string | undefined): boolean | undefined {
  const s = set(v)?.toLowerCase();
  if (s === undefined) return undefined;
  return ["1", "true", "yes", "on"].includes(s);
}

// Environment first (so a run can redirect a spec's settings), then options, then defaults.
export function resolveS3Settings(env: Env, options: S3Options = {}): S3Settings {
  const endpoint = set(env.AWS_ENDPOINT_URL_S3) ?? set(env.AWS_ENDPOINT_URL) ?? set(options.endpoint);
  const id = set(env.AWS_ACCESS_KEY_ID);
  const secret = set(env.AWS_SECRET_ACCESS_KEY);
  const token = set(env.AWS_SESSION_TOKEN);
  return {
    region: set(env.AWS_REGION) ?? set(env.AWS_DEFAULT_REGION) ?? set(options.region) ?? "us-east-1",
    endpoint,
    forcePathStyle: flag(env.MLSHIP_S3_PATH_STYLE) ?? options.pathStyle ?? endpoint !== undefined,
    // Keys in the given env are used as such, so a caller passing its own env is not overridden by the process's.
    credentials: options.credentials ?? (id && secret ? { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } : undefined),
    maxAttempts: options.maxAttempts ?? 5,
  };
}

// The endpoint to name in messages: the custom one, else AWS's for the region.
export const endpointName = (s: S3Settings): string => s.endpoint ?? `https://s3.${s.region}.amazonaws.com`;

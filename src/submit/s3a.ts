// What a Spark job needs to read and write s3:// and s3a:// itself: hadoop-aws, s3a settings, an Ivy cache.
import { join } from "node:path";
import { resolveS3Settings } from "../store/s3-config.js";
import type { JobSpec } from "../jobspec/schema.js";
import type { SparkBuild } from "./types.js";

// Credentials come from the environment (or the machine's role), never from configuration on a command line.
// Environment first, as the CLI's own S3 client resolves them; then Hadoop's usual providers.
export const S3A_CREDENTIAL_PROVIDERS = [
  "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
  "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
  "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
  "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
].join(",");

const HADOOP_AWS = "org.apache.hadoop:hadoop-aws";

// True for a URI served by Hadoop's S3A filesystem (s3:// is mapped onto it).
export const isS3Uri = (uri: string): boolean => /^s3a?:\/\//i.test(uri);

// True when the run reads or writes S3 (its output, or its training data).
export function usesS3(spec: JobSpec, outUri: string): boolean {
  return isS3Uri(outUri) || isS3Uri(spec.data.train);
}

// The Hadoop version a Spark build carries, from the names in its jars/ folder (hadoop-client-api-3.4.2.jar).
export function hadoopVersionOf(jarNames: string[]): string | undefined {
  for (const prefix of ["hadoop-client-api", "hadoop-common", "hadoop-client-runtime"]) {
    const re = new RegExp(`^${prefix}-(\\d+\\.\\d+\\.\\d+[A-Za-z0-9.-]*)\\.jar$`);
    for (const name of jarNames) {
      const m = re.exec(name);
      if (m) return m[1];
    }
  }
  return undefined;
}

// True when hadoop-aws already reaches the job: in spark.packages, spark.jars, or the Spark build itself.
export function hasHadoopAws(spec: JobSpec, build: SparkBuild): boolean {
  const conf = String(spec.spark.conf["spark.jars.packages"] ?? "");
  return (
    spec.spark.packages.some((p) => p.startsWith(`${HADOOP_AWS}:`)) ||
    conf.split(",").some((p) => p.trim().startsWith(`${HADOOP_AWS}:`)) ||
    spec.spark.jars.some((j) => /(^|\/)hadoop-aws-[^/]*\.jar$/.test(j)) ||
    build.jars.some((j) => /^hadoop-aws-.*\.jar$/.test(j))
  );
}

// The persistent Ivy cache for --packages: MLSHIP_IVY_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/mlship/ivy.
export function ivyCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.MLSHIP_IVY_CACHE) return env.MLSHIP_IVY_CACHE;
  const cache = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : undefined);
  return cache ? join(cache, "mlship", "ivy") : undefined;
}

// The s3a settings, resolved as the CLI's S3 client resolves them (region, endpoint, path style). No secrets.
export function s3aConf(env: Record<string, string | undefined>): Record<string, string> {
  const s = resolveS3Settings(env);
  const conf: Record<string, string> = {
    "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem", // s3:// paths in a spec work as s3a://
    "spark.hadoop.fs.s3a.aws.credentials.provider": S3A_CREDENTIAL_PROVIDERS,
    "spark.hadoop.fs.s3a.endpoint.region": s.region,
    "spark.hadoop.fs.s3a.path.style.access": String(s.forcePathStyle),
  };
  if (s.endpoint !== undefined) {
    conf["spark.hadoop.fs.s3a.endpoint"] = s.endpoint;
    if (s.endpoint.toLowerCase().startsWith("http://")) conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] = "false";
  }
  return conf;
}

export interface S3Access {
  packages: string[]; // added to --packages
  conf: Record<string, string>; // added to --conf unless the spec sets the key
  problem?: string; // why hadoop-aws could not be chosen
}

// Everything mlship adds so Spark reaches S3 with the same settings as the CLI.
export function s3Access(spec: JobSpec, build: SparkBuild, env: Record<string, string | undefined>): S3Access {
  const conf = s3aConf(env);
  if (hasHadoopAws(spec, build)) return { packages: [], conf };
  const version = hadoopVersionOf(build.jars);
  if (version === undefined) {
    return {
      packages: [],
      conf,
      problem:
        `cannot tell the Hadoop version of the Spark build (no hadoop-client-api-<V>.jar or hadoop-common-<V>.jar in ${build.jarsDir}); ` +
        `add "${HADOOP_AWS}:<V>" with that Hadoop version to spark.packages`,
    };
  }
  return { packages: [`${HADOOP_AWS}:${version}`], conf };
}

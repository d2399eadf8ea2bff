// What every rule sees: the spec, the cluster manager, the deploy mode, the app, and a place to report.
import type { JobSpec, SparkSpec } from "../jobspec/schema.js";
import type { App } from "./app.js";
import type { ClusterManager } from "./master.js";
import type { Findings } from "./types.js";

export interface RuleContext {
  spec: JobSpec;
  spark: SparkSpec;
  manager: ClusterManager | undefined; // undefined when spark.master is invalid
  cluster: boolean; // deployMode === "cluster"
  app: App | undefined; // undefined when the entrypoint is invalid
  argv: string[]; // the spark-submit options built so far (no application part)
  pyFiles: string[]; // what --py-files carries: spark.pyFiles plus the runtime zip when mlship adds it
  files: string[]; // what --files carries: spark.files plus the job file in cluster mode
  env: Record<string, string | undefined>;
  outUri: string;
  projectRoot: string;
  sparkDefaults: Record<string, string> | undefined; // the installation's spark-defaults (or properties file); undefined: not read
  findings: Findings;
}

export const MANAGER_NAMES: Record<ClusterManager, string> = {
  local: "a local master",
  standalone: "a standalone cluster (spark://)",
  yarn: "YARN",
  kubernetes: "Kubernetes",
};

export function problem(ctx: RuleContext, path: string, message: string): void {
  ctx.findings.problems.push({ path, message });
}

export function warn(ctx: RuleContext, message: string): void {
  ctx.findings.warnings.push(message);
}

// A conf the spec must carry unless a properties file might: an error, or a warning with --properties-file.
export function requireConf(ctx: RuleContext, message: string): void {
  const file = ctx.spark.propertiesFile;
  if (file === undefined) problem(ctx, "spark.conf", message);
  else warn(ctx, `spark.conf: ${message} (unless ${file} sets it)`);
}

// The value of a conf key as spark-submit would see it, or undefined when unset or empty.
export function confValue(spark: SparkSpec, key: string): string | undefined {
  const v = spark.conf[key];
  return v === undefined || String(v) === "" ? undefined : String(v);
}

// True for a path Spark reads from this machine's disk: no URI scheme, or file:.
export function isLocalPath(uri: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "file";
}

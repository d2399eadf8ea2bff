// Settings mlship adds to a run's spark-submit: S3 access (hadoop-aws, s3a), the Ivy cache, the event log.
import type { SparkSpec } from "../jobspec/schema.js";
import { classArchiveBlocked, classArchiveJavaOptions } from "./class-archive.js";
import type { ClusterManager } from "./master.js";
import { ivyCacheDir, s3Access, usesS3 } from "./s3a.js";
import type { Findings, PlanInput } from "./types.js";

// The setting that makes each cluster manager's submitter wait for a cluster-mode driver to end.
export const WAIT_APP_COMPLETION = {
  standalone: "spark.standalone.submit.waitAppCompletion",
  yarn: "spark.yarn.submit.waitAppCompletion",
  kubernetes: "spark.kubernetes.submission.waitAppCompletion",
} as const;

// What a short driver job on a local master gets (PlanInput.shortRun), each key unless the spec or spark-defaults
// sets it: the JIT's fast tier and no whole-stage code generation, whose compiling costs more than it saves in a run
// over small input (docs/updating.md "Costs"; a run over large input is slower with them, so it never gets them).
export const SHORT_RUN_CONF: Readonly<Record<string, string>> = {
  "spark.sql.codegen.wholeStage": "false",
  "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
};

export interface RunConf {
  spark: SparkSpec; // the spec's spark section with mlship's additions merged in
}

// Merges mlship's additions under the spec's spark section: a conf key the spec sets is left as the spec has it.
export function runConf(input: PlanInput, manager: ClusterManager | undefined, findings: Findings): RunConf {
  const { spec, env } = input;
  const spark = spec.spark;
  const conf: Record<string, string> = {};
  let packages: string[] = [];

  if (input.sparkBuild !== undefined && usesS3(spec, input.outUri)) {
    const access = s3Access(spec, input.sparkBuild, env);
    if (access.problem) findings.problems.push({ path: "spark.packages", message: access.problem });
    Object.assign(conf, access.conf);
    packages = access.packages;
    if (manager !== undefined && manager !== "local") {
      findings.warnings.push(
        "AWS credentials in this environment reach spark-submit" + (spec.spark.deployMode === "client" ? " and the driver" : "") +
          " only; executors (and a cluster-mode driver) need their own: an instance role, IRSA, or a 0600 spark.propertiesFile " +
          "with spark.hadoop.fs.s3a.access.key / secret.key (see docs/store.md)",
      );
    }
  }
  // The user's spark.jars.packages would be overridden by --packages: add hadoop-aws to it instead.
  const userPackagesConf = spark.conf["spark.jars.packages"];
  if (packages.length > 0 && userPackagesConf !== undefined && String(userPackagesConf) !== "") {
    conf["spark.jars.packages"] = [String(userPackagesConf), ...packages].join(",");
    packages = [];
  }
  const fetchesPackages = packages.length > 0 || spark.packages.length > 0 || conf["spark.jars.packages"] !== undefined;
  const ivy = ivyCacheDir(env);
  if (input.sparkBuild !== undefined && fetchesPackages && ivy !== undefined) conf["spark.jars.ivy"] = ivy;

  const eventLogSet = spark.conf["spark.eventLog.enabled"] !== undefined || spark.conf["spark.eventLog.dir"] !== undefined;
  if (input.eventLogDir !== undefined && !eventLogSet) {
    conf["spark.eventLog.enabled"] = "true";
    conf["spark.eventLog.dir"] = input.eventLogDir;
    // Plain text, so mlship can redact it before archiving it (Spark 4 compresses with zstd by default).
    conf["spark.eventLog.compress"] = "false";
  }

  // A standalone cluster-mode submitter returns as soon as the master accepts the driver unless told to wait;
  // mlship follows the driver to its end (YARN and Kubernetes submitters wait by default). docs/operations.md.
  if (manager === "standalone" && spark.deployMode === "cluster") conf[WAIT_APP_COMPLETION.standalone] = "true";

  if (input.shortRun && manager === "local") {
    // The spec's own driver Java options (--driver-java-options) replace this conf key: then it is not added.
    const ownJavaOptions = spark.driver.javaOptions !== undefined;
    for (const [key, value] of Object.entries(SHORT_RUN_CONF)) {
      if (input.sparkDefaults?.[key] || (key === "spark.driver.extraJavaOptions" && ownJavaOptions)) continue;
      conf[key] = value;
    }
  }
  // The class-data archive joins mlship's own driver Java options, under the same rule (never the user's).
  if (input.classArchive && classArchiveBlocked(spark, manager, input.sparkDefaults) === null) {
    const key = "spark.driver.extraJavaOptions";
    conf[key] = [conf[key], ...classArchiveJavaOptions(input.classArchive)].filter(Boolean).join(" ");
  }

  // Only spark.jars.packages may replace the spec's value, and only by extending it (above).
  const added = Object.fromEntries(Object.entries(conf).filter(([k]) => spark.conf[k] === undefined || k === "spark.jars.packages"));
  return { spark: { ...spark, conf: { ...spark.conf, ...added }, packages: [...spark.packages, ...packages] } };
}

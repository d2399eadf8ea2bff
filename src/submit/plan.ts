// JobSpec -> spark-submit argv and env, or every reason the chosen cluster manager would refuse it.
import { builtinPaths, resolveApp } from "./app.js";
import type { RuleContext } from "./context.js";
import { basename, dirname } from "node:path";
import { childEnv, withheldEnv } from "./env.js";
import { jobJson } from "./job-json.js";
import { classifyMaster } from "./master.js";
import { submitOptions } from "./options.js";
import { envPlaces, JOB_FILE, jobFile, onJvmCommandLine, propertiesFile, secretWords, splitConf } from "./private.js";
import { checkConf, checkNames, checkPlacement, checkPyFiles } from "./rules-general.js";
import { checkClusterWait } from "./rules-cluster.js";
import { checkKubernetes } from "./rules-kubernetes.js";
import { checkDeployMode, checkKerberos, checkManagerOnly, checkYarnEnv } from "./rules-manager.js";
import { checkPythonEnv, checkRemoteDriverStore, checkYarnJars, shipEnv, shipsEnv } from "./python-env.js";
import { runConf } from "./run-conf.js";
import { newFindings, type PlanFile, type PlanInput, type PlanResult, type SecretPlace } from "./types.js";

// Every rule runs on every plan; each reports into ctx.findings and none stops the others.
const RULES: ((ctx: RuleContext) => void)[] = [
  checkDeployMode,
  checkManagerOnly,
  checkKerberos,
  checkKubernetes,
  checkYarnEnv,
  checkPyFiles,
  checkNames,
  checkConf,
  checkPlacement,
  checkPythonEnv,
  checkRemoteDriverStore,
  checkYarnJars,
  checkClusterWait,
];

const PUBLIC = "the command line is readable by every user of the machine (ps, /proc/<pid>/cmdline)";

// Builds the spark-submit command for one run. Pure: no I/O, the world comes in through `input`.
export function buildPlan(input: PlanInput): PlanResult {
  const { spec, secrets } = input;
  const spark = spec.spark;
  const findings = newFindings();

  const master = classifyMaster(spark.master);
  if (!master.ok) findings.problems.push({ path: "spark.master", message: master.message });
  const cluster = spark.deployMode === "cluster";
  // The job description is a private file: a local path for a local driver; in cluster mode --files ships it
  // into the driver's working directory (YARN and Kubernetes both put it there), so the name is enough.
  const job = jobFile(input.runDir, jobJson(spec, input.update, input.transfer), secrets);
  const app = resolveApp({ ...input, jobFile: cluster ? JOB_FILE : job.file.path }, findings);
  const builtin = app?.kind === "builtin";

  // The built-in trainer imports mlship_runtime; in cluster mode the driver is remote, so ship the zip.
  const runtime = builtin && cluster ? [builtinPaths(input.projectRoot).runtimeZip] : [];
  const pyFiles = [...runtime, ...spark.pyFiles];
  const files = [...spark.files, ...(builtin && cluster ? [job.file.path] : [])];
  const appName = spark.appName ?? `mlship-${spec.name}`;
  // What mlship adds for this run (S3 access, Ivy cache, event log); the spec's own settings win.
  const added = runConf(input, master.ok ? master.manager : undefined, findings);
  // spark.pythonEnv on a cluster: the packed environment goes with --archives, its interpreter into the confs.
  const shipped = shipsEnv(spark, master.ok ? master.manager : undefined) ? shipEnv(spark, input.env) : undefined;
  if (shipped && !shipped.ok) findings.problems.push({ path: shipped.path, message: shipped.message });
  const sparkRun = shipped?.ok
    ? { ...added.spark, conf: { ...added.spark.conf, ...shipped.conf }, archives: [...added.spark.archives, shipped.archive] }
    : added.spark;
  // Secret-bearing conf goes to spark-submit in a private --properties-file instead of --conf.
  const conf = splitConf(sparkRun.conf, secrets);
  const hidden = Object.keys(conf.secret).length > 0;
  const props = hidden ? propertiesFile(input.runDir, conf.secret) : undefined;
  if (hidden && spark.propertiesFile !== undefined) {
    findings.problems.push({
      path: "spark.conf",
      message: `${Object.keys(conf.secret).sort().join(", ")} carry secrets, which mlship passes in its own --properties-file, ` +
        `and spark-submit takes only one: move them into ${spark.propertiesFile}`,
    });
  }
  for (const key of onJvmCommandLine(conf.secret, secrets)) {
    findings.problems.push({ path: `spark.conf.${key}`, message: `carries a secret, and Spark puts this setting on a JVM command line; ${PUBLIC}` });
  }
  const options = submitOptions(
    { ...sparkRun, conf: conf.plain, files, ...(props ? { propertiesFile: props.path } : {}) },
    { appName, app, pyFiles, loadDefaults: props !== undefined },
  );

  const ctx: RuleContext = {
    spec,
    spark,
    manager: master.ok ? master.manager : undefined,
    cluster,
    app,
    argv: options,
    pyFiles,
    files,
    env: input.env,
    outUri: input.outUri,
    projectRoot: input.projectRoot,
    sparkDefaults: input.sparkDefaults,
    findings,
  };
  for (const rule of RULES) rule(ctx);

  if (findings.problems.length > 0 || app === undefined) {
    return { ok: false, problems: findings.problems, warnings: findings.warnings };
  }
  const argv = [input.sparkSubmit, ...options, app.resource, ...app.args];
  // Anything else that would carry a secret on the command line (an option, a user script's argument) is refused.
  const appStart = argv.length - app.args.length;
  for (const { index, flag } of secretWords(argv, secrets)) {
    const path = index >= appStart ? `entrypoint.args.${index - appStart}` : "spark";
    const where = index >= appStart ? "this argument of the entrypoint" : `the value of ${flag || "a spark-submit argument"}`;
    findings.problems.push({ path, message: `${where} carries a secret; ${PUBLIC}: pass it through spark.env or a file instead` });
  }
  if (findings.problems.length > 0) return { ok: false, problems: findings.problems, warnings: findings.warnings };

  // The built-in trainer's driver logs at WARN when it runs here (client mode): mlship prints its own progress;
  // and it watches the CLI that supervises it (a remote driver cannot: docs/operations.md, "Supervision").
  const local = builtin && !cluster;
  const remoteDriver = cluster && app.kind !== "jar";
  const env = childEnv(spark, input.env, local ? builtinPaths(input.projectRoot).log4j : undefined, local ? input.supervisorPid : undefined, remoteDriver);
  const unset = withheldEnv(spark, remoteDriver);
  // pip's spark-submit finds its Spark with the Python PYSPARK_PYTHON names; withheld, it gets SPARK_HOME instead.
  const pipHome = input.sparkBuild && basename(input.sparkBuild.jarsDir) === "jars" && basename(dirname(input.sparkBuild.jarsDir)) === "pyspark";
  if (unset.length > 0 && !input.env.SPARK_HOME && spark.env.SPARK_HOME === undefined && pipHome) env.SPARK_HOME = dirname(input.sparkBuild!.jarsDir);
  const planFiles: PlanFile[] = [...(builtin ? [job.file] : []), ...(props ? [props] : [])];
  const places: SecretPlace[] = [
    ...(builtin ? job.places : []),
    ...Object.keys(conf.secret).sort().map((k) => ({ field: `spark.conf.${k}`, via: props?.path ?? "" })),
    ...envPlaces(spark.env, secrets),
  ];
  return {
    ok: true,
    plan: { argv, env, unset, files: planFiles, secrets: places, warnings: findings.warnings },
  };
}

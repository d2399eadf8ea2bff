// Rules that hold on every cluster manager: names, separators, shadowed confs, where the data lives.
import { isLocalPath, problem, warn, type RuleContext } from "./context.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Conf keys that a dedicated spark-submit option overrides ("--conf ... superseded by other options").
const SHADOWED: Record<string, { flag: string; path: string }> = {
  "spark.master": { flag: "--master", path: "spark.master" },
  "spark.submit.deployMode": { flag: "--deploy-mode", path: "spark.deployMode" },
  "spark.app.name": { flag: "--name", path: "spark.appName" },
  "spark.driver.memory": { flag: "--driver-memory", path: "spark.driver.memory" },
  "spark.driver.cores": { flag: "--driver-cores", path: "spark.driver.cores" },
  "spark.driver.extraJavaOptions": { flag: "--driver-java-options", path: "spark.driver.javaOptions" },
  "spark.driver.extraClassPath": { flag: "--driver-class-path", path: "spark.driver.classPath" },
  "spark.executor.memory": { flag: "--executor-memory", path: "spark.executor.memory" },
  "spark.executor.cores": { flag: "--executor-cores", path: "spark.executor.cores" },
  "spark.executor.instances": { flag: "--num-executors", path: "spark.executor.instances" },
  "spark.cores.max": { flag: "--total-executor-cores", path: "spark.totalExecutorCores" },
  "spark.jars": { flag: "--jars", path: "spark.jars" },
  "spark.jars.packages": { flag: "--packages", path: "spark.packages" },
  "spark.jars.excludes": { flag: "--exclude-packages", path: "spark.excludePackages" },
  "spark.jars.repositories": { flag: "--repositories", path: "spark.repositories" },
  "spark.submit.pyFiles": { flag: "--py-files", path: "spark.pyFiles" },
  "spark.files": { flag: "--files", path: "spark.files" },
  "spark.archives": { flag: "--archives", path: "spark.archives" },
  "spark.yarn.queue": { flag: "--queue", path: "spark.queue" },
  "spark.kerberos.principal": { flag: "--principal", path: "spark.principal" },
  "spark.kerberos.keytab": { flag: "--keytab", path: "spark.keytab" },
};

// Where a cluster-mode driver gets its environment from (standalone has no documented equivalent).
const DRIVER_ENV_CONF: Partial<Record<string, string>> = {
  yarn: "spark.yarn.appMasterEnv.<NAME>",
  kubernetes: "spark.kubernetes.driverEnv.<NAME>",
};

const LISTS = ["jars", "packages", "excludePackages", "repositories", "pyFiles", "files", "archives"] as const;

// Env names the child process can carry, and list entries that a comma would split in two.
export function checkNames(ctx: RuleContext): void {
  for (const key of Object.keys(ctx.spark.env)) {
    if (!ENV_NAME.test(key)) {
      problem(ctx, "spark.env", `"${key}" is not an environment variable name (letters, digits, '_'; not starting with a digit)`);
    }
  }
  for (const list of LISTS) {
    ctx.spark[list].forEach((entry, i) => {
      if (entry.includes(",")) {
        problem(ctx, `spark.${list}.${i}`, `"${entry}" contains a comma, which spark-submit reads as a separator`);
      }
    });
  }
}

// Conf keys Spark ignores or that a dedicated option overrides.
export function checkConf(ctx: RuleContext): void {
  for (const key of Object.keys(ctx.spark.conf).sort()) {
    if (!key.startsWith("spark.")) {
      warn(
        ctx,
        `spark.conf "${key}" is not a Spark property and spark-submit ignores it (Hadoop settings go as "spark.hadoop.${key}")`,
      );
      continue;
    }
    const shadow = SHADOWED[key];
    if (shadow && ctx.argv.includes(shadow.flag)) {
      warn(ctx, `spark.conf "${key}" is overridden by ${shadow.flag} (from ${shadow.path}); set only ${shadow.path}`);
    }
  }
}

// --py-files with a JAR: spark-submit refuses ("--py-files given but primary resource is not a Python script").
export function checkPyFiles(ctx: RuleContext): void {
  if (ctx.app?.kind === "jar" && ctx.spark.pyFiles.length > 0) {
    problem(ctx, "spark.pyFiles", "--py-files is for Python applications; entrypoint.jar is a JAR (use spark.jars)");
  }
}

// Things that work only by luck on a cluster: env that stays behind, data and output on this machine's disk.
export function checkPlacement(ctx: RuleContext): void {
  const m = ctx.manager;
  if (m === undefined || m === "local") return;
  if (ctx.cluster && Object.keys(ctx.spark.env).length > 0) {
    const driver = DRIVER_ENV_CONF[m];
    warn(
      ctx,
      "spark.env reaches spark-submit only; in cluster mode the driver runs elsewhere: use " +
        (driver ? `spark.conf "${driver}" (driver) and ` : "") +
        'spark.conf "spark.executorEnv.<NAME>" (executors)',
    );
  }
  if (ctx.app?.kind !== "builtin") return;
  const remote = "unless it is a shared filesystem mounted at the same path on every node; use s3a:// or hdfs://";
  // With a remote driver a local store is an error (checkRemoteDriverStore); here the executors alone write elsewhere.
  if (isLocalPath(ctx.outUri) && !ctx.cluster) warn(ctx, `the run output ${ctx.outUri} is on this machine's disk; Spark's executors write it on theirs ${remote}`);
  if (isLocalPath(ctx.spec.data.train)) warn(ctx, `data.train "${ctx.spec.data.train}" is a local path; executors read it from their own disks ${remote}`);
}

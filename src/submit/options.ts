// The spark-submit options (everything between argv[0] and the application), in a fixed order.
import type { SparkSpec } from "../jobspec/schema.js";
import type { App } from "./app.js";

// Conf entries as k=v, sorted by key (code-unit order, not locale) so the argv is stable.
export function confArgs(conf: SparkSpec["conf"]): string[] {
  return Object.keys(conf)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap((k) => ["--conf", `${k}=${String(conf[k])}`]);
}

// `loadDefaults`: mlship gave its own --properties-file, which would stop spark-submit reading spark-defaults.conf.
export function submitOptions(spark: SparkSpec, x: { appName: string; app: App | undefined; pyFiles: string[]; loadDefaults?: boolean }): string[] {
  const out: string[] = ["--master", spark.master, "--deploy-mode", spark.deployMode, "--name", x.appName];
  const opt = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) out.push(flag, String(value));
  };
  const list = (flag: string, values: string[]) => {
    if (values.length > 0) out.push(flag, values.join(","));
  };
  if (x.app?.kind === "jar") opt("--class", x.app.mainClass);
  out.push(...confArgs(spark.conf));
  opt("--properties-file", spark.propertiesFile);
  if (x.loadDefaults) out.push("--load-spark-defaults");
  opt("--driver-memory", spark.driver.memory);
  opt("--driver-cores", spark.driver.cores);
  opt("--driver-java-options", spark.driver.javaOptions);
  opt("--driver-class-path", spark.driver.classPath);
  opt("--executor-memory", spark.executor.memory);
  opt("--executor-cores", spark.executor.cores);
  opt("--num-executors", spark.executor.instances);
  opt("--total-executor-cores", spark.totalExecutorCores);
  list("--jars", spark.jars);
  list("--packages", spark.packages);
  list("--exclude-packages", spark.excludePackages);
  list("--repositories", spark.repositories);
  list("--py-files", x.pyFiles);
  list("--files", spark.files);
  list("--archives", spark.archives);
  opt("--queue", spark.queue);
  opt("--principal", spark.principal);
  opt("--keytab", spark.keytab);
  opt("--proxy-user", spark.proxyUser);
  if (spark.verbose) out.push("--verbose");
  return out;
}

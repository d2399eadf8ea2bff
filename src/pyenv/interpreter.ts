// Which Python the local (client-mode) driver runs, found exactly as Spark's PythonRunner finds it. Pure.

export interface DriverPython {
  python: string; // a path or a command name looked up on PATH
  from: string; // where it came from, for messages: "spark.pyspark.python (spark.conf)", "PYSPARK_PYTHON", …
}

// PythonRunner: spark.pyspark.driver.python, spark.pyspark.python, PYSPARK_DRIVER_PYTHON, PYSPARK_PYTHON, else python3.
// `conf` is what spark-submit resolves (--conf over the properties or defaults file); `env` the child's environment.
export function driverPython(conf: Record<string, string>, env: Record<string, string | undefined>): DriverPython {
  for (const key of ["spark.pyspark.driver.python", "spark.pyspark.python"]) {
    const v = conf[key];
    if (v !== undefined && v !== "") return { python: v, from: key };
  }
  // As sys.env.get does: a variable set to "" is set (and Spark would fail to run it; so does the check).
  for (const key of ["PYSPARK_DRIVER_PYTHON", "PYSPARK_PYTHON"]) {
    const v = env[key];
    if (v !== undefined) return { python: v, from: key };
  }
  return { python: "python3", from: "python3 on PATH (no spark.pyspark.python, PYSPARK_PYTHON or PYSPARK_DRIVER_PYTHON is set)" };
}

const FLAGS_WITHOUT_VALUE = new Set(["--verbose", "--load-spark-defaults", "--supervise"]);

// The --conf k=v pairs of a spark-submit argv (argv[0] is spark-submit; the options end at the application), over
// the defaults spark-submit also loads.
export function resolvedConf(argv: string[], defaults: Record<string, string> = {}): Record<string, string> {
  const conf: Record<string, string> = { ...defaults };
  for (let i = 1; i < argv.length && (argv[i] as string).startsWith("--"); i += FLAGS_WITHOUT_VALUE.has(argv[i] as string) ? 1 : 2) {
    if (argv[i] !== "--conf") continue;
    const kv = argv[i + 1] ?? "";
    const eq = kv.indexOf("=");
    if (eq > 0) conf[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return conf;
}

// The environment spark-submit (and so the driver) gets: this process's, the plan's on top, minus what it removes.
export function childEnvironment(base: Record<string, string | undefined>, add: Record<string, string>, unset: string[]): Record<string, string | undefined> {
  const env = { ...base, ...add };
  for (const k of unset) delete env[k];
  return env;
}

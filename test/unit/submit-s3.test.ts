// S3 access in the spark-submit plan: hadoop-aws from the Spark build's Hadoop version, s3a settings from the
// same environment the CLI's S3 client reads, the Ivy cache, the event log, and no secret on the command line.
import { describe, expect, it } from "vitest";
import { hadoopVersionOf, ivyCacheDir, s3aConf, type SparkBuild } from "../../src/submit/index.js";
import { mask, plan, RUN_ID } from "../helpers/submit-fixtures.js";

const BUILD: SparkBuild = {
  jarsDir: "/opt/spark/jars",
  jars: ["commons-io-2.16.1.jar", "hadoop-client-api-3.4.2.jar", "hadoop-client-runtime-3.4.2.jar", "spark-core_2.13-4.1.1.jar"],
};
const S3_OUT = `s3a://ml/team/runs/churn/${RUN_ID}/model`;
const FILE_OUT = `file:///srv/store/runs/churn/${RUN_ID}/model`;
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ENV = {
  HOME: "/home/ml",
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_SESSION_TOKEN: "FwoGZXIvYXdzEXAMPLETOKEN",
  AWS_REGION: "eu-west-1",
  AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9000",
};

function planWith(over: Record<string, unknown>, opts: { env?: Record<string, string | undefined>; outUri?: string; build?: SparkBuild | null; eventLogDir?: string } = {}) {
  const sparkBuild = opts.build === null ? undefined : (opts.build ?? BUILD);
  return plan(over, { env: opts.env ?? ENV, outUri: opts.outUri ?? S3_OUT, ...(sparkBuild ? { sparkBuild } : {}), ...(opts.eventLogDir ? { eventLogDir: opts.eventLogDir } : {}) });
}

function argv(over: Record<string, unknown> = {}, opts: Parameters<typeof planWith>[1] = {}): string[] {
  const r = planWith(over, opts);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan.argv.map(mask);
}

// The --conf values as a map, and the --packages list.
function confOf(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  args.forEach((a, i) => {
    if (a === "--conf") {
      const [k, ...v] = args[i + 1]!.split("=");
      out[k!] = v.join("=");
    }
  });
  return out;
}
const packagesOf = (args: string[]) => (args.includes("--packages") ? args[args.indexOf("--packages") + 1]!.split(",") : []);

describe("hadoopVersionOf", () => {
  it.each([
    [["hadoop-client-api-3.4.2.jar", "hadoop-client-runtime-3.4.2.jar"], "3.4.2"],
    [["hadoop-common-3.3.6.jar", "hadoop-hdfs-3.3.6.jar"], "3.3.6"],
    [["hadoop-client-runtime-3.4.1.jar"], "3.4.1"],
    [["hadoop-client-api-3.5.0-SNAPSHOT.jar"], "3.5.0-SNAPSHOT"],
    [["parquet-hadoop-1.16.0.jar", "dropwizard-metrics-hadoop-metrics2-reporter-0.1.2.jar"], undefined],
    [[], undefined],
  ])("%j -> %s", (jars, version) => {
    expect(hadoopVersionOf(jars)).toBe(version);
  });
});

describe("ivyCacheDir", () => {
  it.each([
    [{ MLSHIP_IVY_CACHE: "/cache/ivy", XDG_CACHE_HOME: "/x", HOME: "/h" }, "/cache/ivy"],
    [{ XDG_CACHE_HOME: "/x", HOME: "/h" }, "/x/mlship/ivy"],
    [{ HOME: "/h" }, "/h/.cache/mlship/ivy"],
    [{}, undefined],
  ])("%j -> %s", (env, dir) => {
    expect(ivyCacheDir(env)).toBe(dir);
  });
});

describe("s3aConf", () => {
  it("follows the CLI's S3 settings: custom http endpoint, region, path style", () => {
    expect(s3aConf(ENV)).toMatchInlineSnapshot(`
      {
        "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "spark.hadoop.fs.s3a.aws.credentials.provider": "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider,org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider,org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider,org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
        "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
        "spark.hadoop.fs.s3a.endpoint": "http://127.0.0.1:9000",
        "spark.hadoop.fs.s3a.endpoint.region": "eu-west-1",
        "spark.hadoop.fs.s3a.path.style.access": "true",
      }
    `);
  });

  it("on AWS: no endpoint, virtual-hosted style, TLS left on", () => {
    const conf = s3aConf({ AWS_DEFAULT_REGION: "us-west-2" });
    expect(conf["spark.hadoop.fs.s3a.endpoint"]).toBeUndefined();
    expect(conf["spark.hadoop.fs.s3a.connection.ssl.enabled"]).toBeUndefined();
    expect(conf["spark.hadoop.fs.s3a.endpoint.region"]).toBe("us-west-2");
    expect(conf["spark.hadoop.fs.s3a.path.style.access"]).toBe("false");
  });

  it("MLSHIP_S3_PATH_STYLE and AWS_ENDPOINT_URL as the CLI reads them", () => {
    const conf = s3aConf({ AWS_ENDPOINT_URL: "https://minio.internal:9000", MLSHIP_S3_PATH_STYLE: "0" });
    expect(conf["spark.hadoop.fs.s3a.endpoint"]).toBe("https://minio.internal:9000");
    expect(conf["spark.hadoop.fs.s3a.path.style.access"]).toBe("false");
    expect(conf["spark.hadoop.fs.s3a.connection.ssl.enabled"]).toBeUndefined();
  });
});

describe("plans that reach S3", () => {
  it("add hadoop-aws of the Spark build's Hadoop version, the s3a settings and the Ivy cache", () => {
    const args = argv({ spark: { master: "local[2]" } });
    expect(packagesOf(args)).toEqual(["org.apache.hadoop:hadoop-aws:3.4.2"]);
    const conf = confOf(args);
    expect(conf["spark.jars.ivy"]).toBe("/home/ml/.cache/mlship/ivy");
    expect(conf["spark.hadoop.fs.s3a.endpoint"]).toBe("http://127.0.0.1:9000");
    expect(conf["spark.hadoop.fs.s3a.endpoint.region"]).toBe("eu-west-1");
  });

  it("never put a credential on the command line, nor in the extra environment", () => {
    const r = planWith({ spark: { master: "local[2]" } });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const text = JSON.stringify(r.plan);
    for (const secret of [SECRET, ENV.AWS_ACCESS_KEY_ID, ENV.AWS_SESSION_TOKEN]) expect(text).not.toContain(secret);
    expect(r.plan.argv.some((a) => /fs\.s3a\.(access|secret)\.key|session\.token/.test(a))).toBe(false);
  });

  it("an S3 data path with a local store is enough", () => {
    const args = argv({ data: { train: "s3://data/churn/" } }, { outUri: FILE_OUT });
    expect(packagesOf(args)).toEqual(["org.apache.hadoop:hadoop-aws:3.4.2"]);
    expect(confOf(args)["spark.hadoop.fs.s3.impl"]).toBe("org.apache.hadoop.fs.s3a.S3AFileSystem");
  });

  it("add nothing when neither data nor output is on S3", () => {
    const args = argv({ data: { train: "file:///srv/data/churn" } }, { outUri: FILE_OUT });
    expect(args).not.toContain("--packages");
    expect(Object.keys(confOf(args)).filter((k) => k.includes("s3") || k === "spark.jars.ivy")).toEqual([]);
  });

  it("leave hadoop-aws to the spec when spark.packages or spark.jars carries it, or the build has it", () => {
    expect(packagesOf(argv({ spark: { packages: ["org.apache.hadoop:hadoop-aws:3.4.1"] } }))).toEqual(["org.apache.hadoop:hadoop-aws:3.4.1"]);
    expect(packagesOf(argv({ spark: { jars: ["/opt/extra/hadoop-aws-3.4.1.jar"] } }))).toEqual([]);
    expect(packagesOf(argv({}, { build: { jarsDir: "/j", jars: [...BUILD.jars, "hadoop-aws-3.4.2.jar"] } }))).toEqual([]);
  });

  it("add hadoop-aws to the spec's own spark.jars.packages rather than override it with --packages", () => {
    const args = argv({ spark: { conf: { "spark.jars.packages": "io.delta:delta-spark_2.13:4.0.0" } } });
    expect(args).not.toContain("--packages");
    expect(confOf(args)["spark.jars.packages"]).toBe("io.delta:delta-spark_2.13:4.0.0,org.apache.hadoop:hadoop-aws:3.4.2");
  });

  it("keep the spec's own s3a settings and Ivy directory", () => {
    const conf = confOf(argv({ spark: { conf: { "spark.hadoop.fs.s3a.endpoint": "https://s3.example.com", "spark.jars.ivy": "/srv/ivy" } } }));
    expect(conf["spark.hadoop.fs.s3a.endpoint"]).toBe("https://s3.example.com");
    expect(conf["spark.jars.ivy"]).toBe("/srv/ivy");
  });

  it("refuse, naming spark.packages, when the Hadoop version cannot be told", () => {
    const r = planWith({}, { build: { jarsDir: "/opt/odd/jars", jars: ["spark-core_2.13-4.1.1.jar"] } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ path: "spark.packages", message: expect.stringMatching(/cannot tell the Hadoop version.*\/opt\/odd\/jars.*hadoop-aws/) }]);
  });

  it("pass credentials in spark.conf by the private properties file, and warn about executors on a cluster", () => {
    const r = planWith(
      { spark: { master: "spark://m:7077", conf: { "spark.hadoop.fs.s3a.secret.key": "${SECRET}", "spark.hadoop.fs.s3a.bucket.ml.access.key": "x" } } },
      {},
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.plan.argv.some((a) => /fs\.s3a\.(bucket\.ml\.access|secret)\.key/.test(a))).toBe(false);
    expect(r.plan.files.map((f) => f.content).join("\n")).toMatch(/fs\.s3a\.bucket\.ml\.access\.key=x/);
    expect(r.plan.warnings.join("\n")).toMatch(/executors .* need their own/);
  });

  it("without the Spark build (callers that do not look) the plan is as before", () => {
    const args = argv({}, { build: null });
    expect(args).not.toContain("--packages");
    expect(Object.keys(confOf(args)).some((k) => k.includes("s3a"))).toBe(false);
  });
});

describe("event log", () => {
  it("is turned on into the run's folder unless the spec configures it", () => {
    const conf = confOf(argv({}, { eventLogDir: "file:///tmp/run/eventlog" }));
    expect(conf["spark.eventLog.enabled"]).toBe("true");
    expect(conf["spark.eventLog.dir"]).toBe("file:///tmp/run/eventlog");
    expect(conf["spark.eventLog.compress"]).toBe("false");
    const own = confOf(argv({ spark: { conf: { "spark.eventLog.enabled": false } } }, { eventLogDir: "file:///tmp/run/eventlog" }));
    expect(own["spark.eventLog.enabled"]).toBe("false");
    expect(own["spark.eventLog.dir"]).toBeUndefined();
  });
});

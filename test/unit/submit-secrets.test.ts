// Secrets never on the spark-submit command line: the plan carries them in private files or the environment,
// and says where each one goes.
import { describe, expect, it } from "vitest";
import { escapeProperty } from "../../src/submit/private.js";
import { plan, RUN_DIR } from "../helpers/submit-fixtures.js";

const PASSWORD = "Pw-7f3a9c1e-secret";
const TOKEN = "tok=9b2:44#x y";
const DB_URL = `jdbc:postgresql://db/churn?password=${PASSWORD}`;
const SECRETS = [PASSWORD, TOKEN];

// A spec with a secret in data options (as !secret or ${VAR} leave it), in spark.conf and in spark.env.
const SPEC = {
  data: { train: "s3a://data/churn/", options: { password: PASSWORD, url: DB_URL, header: true } },
  spark: {
    conf: { "spark.sql.shuffle.partitions": 4, "spark.mlship.db.url": DB_URL, "spark.hadoop.fs.s3a.access.key": "AKIA-plain-in-yaml" },
    env: { DB_TOKEN: TOKEN },
  },
};

function okPlan(over: Record<string, unknown>, secrets = SECRETS) {
  const r = plan(over, { secrets });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}

describe("client mode: the driver reads a local 0600 file", () => {
  const p = okPlan(SPEC);
  const argv = p.argv.join("\u0000");

  it("no secret, and no sensitive conf key, is on the command line", () => {
    for (const s of [PASSWORD, TOKEN, "AKIA-plain-in-yaml"]) expect(argv).not.toContain(s);
    expect(argv).not.toContain("spark.mlship.db.url");
    expect(argv).not.toContain("fs.s3a.access.key");
    expect(argv).toContain("spark.sql.shuffle.partitions=4"); // ordinary conf stays visible
  });

  it("the job description is a file in the run folder; its content is the job JSON with the secrets", () => {
    const job = p.files.find((f) => f.path === `${RUN_DIR}/mlship-job.json`);
    expect(job).toBeDefined();
    expect(p.argv.slice(-6, -4)).toEqual(["--job-file", `${RUN_DIR}/mlship-job.json`]);
    const doc = JSON.parse(job!.content) as { data: { options: Record<string, unknown> } };
    expect(doc.data.options).toEqual({ password: PASSWORD, url: DB_URL, header: true });
  });

  it("secret-bearing conf goes in --properties-file, and spark-defaults.conf is still loaded", () => {
    const props = p.files.find((f) => f.path === `${RUN_DIR}/mlship-secret.properties`);
    expect(props?.content).toContain(`spark.mlship.db.url=${DB_URL}`);
    expect(props?.content).toContain("spark.hadoop.fs.s3a.access.key=AKIA-plain-in-yaml");
    expect(props?.content).not.toContain("shuffle");
    const at = p.argv.indexOf("--properties-file");
    expect(p.argv.slice(at, at + 3)).toEqual(["--properties-file", props!.path, "--load-spark-defaults"]);
  });

  it("the env secret stays in the child's environment", () => {
    expect(p.env.DB_TOKEN).toBe(TOKEN);
  });

  it("says where every secret goes", () => {
    expect(p.secrets).toEqual([
      { field: "data.options.password", via: `${RUN_DIR}/mlship-job.json` },
      { field: "data.options.url", via: `${RUN_DIR}/mlship-job.json` },
      { field: "spark.conf.spark.hadoop.fs.s3a.access.key", via: `${RUN_DIR}/mlship-secret.properties` },
      { field: "spark.conf.spark.mlship.db.url", via: `${RUN_DIR}/mlship-secret.properties` },
      { field: "spark.env.DB_TOKEN", via: "environment" },
    ]);
  });

  it("a plan without secrets still passes the job by file and adds no properties file", () => {
    const plain = okPlan({}, []);
    expect(plain.files.map((f) => f.path)).toEqual([`${RUN_DIR}/mlship-job.json`]);
    expect(plain.argv).not.toContain("--properties-file");
    expect(plain.secrets).toEqual([]);
  });
});

describe("cluster mode: the job file travels with --files and is read by name", () => {
  it("YARN", () => {
    const p = okPlan({ ...SPEC, spark: { ...SPEC.spark, master: "yarn", deployMode: "cluster", env: {} } }, SECRETS);
    const at = p.argv.indexOf("--files");
    expect(p.argv[at + 1]).toBe(`${RUN_DIR}/mlship-job.json`);
    expect(p.argv.slice(-6, -4)).toEqual(["--job-file", "mlship-job.json"]);
    for (const s of SECRETS) expect(p.argv.join(" ")).not.toContain(s);
  });
});

describe("refused when a secret would still reach a command line", () => {
  const problemsOf = (over: Record<string, unknown>) => {
    const r = plan(over, { secrets: SECRETS });
    return r.ok ? [] : r.problems.map((p) => p.path);
  };

  it("a user script's argument", () => {
    expect(problemsOf({ entrypoint: { script: "train.py", args: ["--pw", PASSWORD] } })).toEqual(["entrypoint.args.1"]);
  });

  it("an option spark-submit gets as a flag", () => {
    expect(problemsOf({ spark: { appName: `churn-${PASSWORD}` } })).toEqual(["spark"]);
  });

  it("JVM options, which Spark puts on the java command line", () => {
    expect(problemsOf({ spark: { conf: { "spark.executor.extraJavaOptions": `-Ddb.pw=${PASSWORD}` } } })).toEqual([
      "spark.conf.spark.executor.extraJavaOptions",
    ]);
  });

  it("secret conf with the user's own properties file (spark-submit takes one)", () => {
    expect(problemsOf({ spark: { propertiesFile: "/etc/spark/p.conf", conf: { "spark.mlship.db.url": DB_URL } } })).toEqual(["spark.conf"]);
  });
});

describe("properties file syntax (java.util.Properties.load reads back what was written)", () => {
  it.each([
    ["spark.a", true, "spark.a"],
    ["a b=c:d#e!f", true, "a\\ b\\=c\\:d\\#e\\!f"],
    [" lead", false, "\\ lead"],
    ["x=y:z#w !v", false, "x=y:z#w !v"],
    ["back\\slash", false, "back\\\\slash"],
    ["two\nlines\r\t", false, "two\\nlines\\r\\t"],
    ["é€", false, "\\u00e9\\u20ac"],
  ])("%j (key: %s) -> %j", (text, key, written) => {
    expect(escapeProperty(text, key)).toBe(written);
  });
});

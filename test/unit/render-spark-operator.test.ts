// mlship render --target spark-operator: the manifest fits the operator's published v1beta2 schema, carries no
// secret, maps concurrency, and every reason it cannot be rendered is reported at once, located.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { concurrencyPolicy, cronProblem, k8sName, submitParts } from "../../src/render/index.js";
import type { JobSpec } from "../../src/jobspec/schema.js";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { operatorSchema, schemaProblems } from "../helpers/crd-schema.js";
import { tempDir } from "../helpers/tmp.js";

const S3 = ["--store", "s3://my-bucket/mlship", "--set", "data.train=s3a://my-bucket/churn"];
const IMAGE = ["--image", "registry.example.com/mlship:1.0"];
const base = ["render", "jobs/quickstart.yaml", "--target", "spark-operator", ...S3, ...IMAGE, "--spark-version", "4.1.1"];

async function rendered(extra: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = await cliInProcess([...base, ...extra, "--json"], env, cwd);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { kind: string; manifest: Record<string, any>; notes: string[]; jobSecret: string; envSecret: string };
}

describe("the manifest against the operator's CRD schema (v1beta2)", () => {
  it("a SparkApplication: every field it writes is in the schema, with the right type", async () => {
    const { manifest } = await rendered(["--namespace", "ml", "--service-account", "spark"]);
    expect(manifest.kind).toBe("SparkApplication");
    expect(schemaProblems(manifest, operatorSchema("sparkapplications").openAPIV3Schema)).toEqual([]);
    const spec = manifest.spec;
    expect(spec).toMatchObject({ type: "Python", mode: "cluster", image: "registry.example.com/mlship:1.0", sparkVersion: "4.1.1", restartPolicy: { type: "Never" } });
    expect(spec.mainApplicationFile).toBe("local:///opt/mlship/spark-scripts/mlship_train.py");
    expect(spec.arguments.slice(0, 3)).toEqual(["--job-file", "/etc/mlship/job/mlship-job.json", "--out"]);
    expect(spec.arguments[3]).toMatch(/^s3a:\/\/my-bucket\/mlship\/runs\/churn\/20261127T080000Z-[0-9a-f]{6}\/model$/);
    expect(spec.driver).toMatchObject({ memory: "1g", serviceAccount: "spark", secrets: [{ name: "mlship-churn-job", path: "/etc/mlship/job", secretType: "Generic" }] });
    // The spec's conf and mlship's additions (the S3 settings) as the plan has them; nothing of this machine.
    expect(spec.sparkConf["spark.sql.shuffle.partitions"]).toBe("4");
    expect(spec.sparkConf["spark.hadoop.fs.s3a.aws.credentials.provider"]).toBeDefined();
    expect(Object.keys(spec.sparkConf).filter((k) => /ivy|upload|container\.image/.test(k))).toEqual([]);
    expect(spec.deps.pyFiles).toEqual(["local:///opt/mlship/spark-scripts/build/mlship_runtime.zip"]);
    expect(spec.deps.packages[0]).toMatch(/^org\.apache\.hadoop:hadoop-aws:/);
    expect(manifest.metadata).toEqual({ name: "mlship-churn", namespace: "ml", labels: { "app.kubernetes.io/managed-by": "mlship", "mlship.dev/job": "churn" } });
  });

  it("a ScheduledSparkApplication: schedule, concurrencyPolicy Forbid by default, the same spec as its template", async () => {
    const once = (await rendered([])).manifest;
    const { manifest } = await rendered(["--schedule", "0 2 * * *", "--set", "spark.executor.instances=3", "--set", "spark.executor.cores=2", "--set", "spark.driver.cores=1"]);
    expect(manifest.kind).toBe("ScheduledSparkApplication");
    expect(schemaProblems(manifest, operatorSchema("scheduledsparkapplications").openAPIV3Schema)).toEqual([]);
    expect(manifest.spec.schedule).toBe("0 2 * * *");
    expect(manifest.spec.concurrencyPolicy).toBe("Forbid");
    expect(manifest.spec.template.executor).toMatchObject({ instances: 3, cores: 2 });
    expect(manifest.spec.template.driver.cores).toBe(1);
    expect(Object.keys(manifest.spec.template).sort()).toEqual(Object.keys(once.spec).sort());
  });

  it("the walk is not vacuous: an unknown field, a wrong type and a value outside an enum are caught", () => {
    const schema = operatorSchema("sparkapplications").openAPIV3Schema;
    const bad = { apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication", metadata: { name: "x" }, spec: { type: "Perl", mode: "cluster", sparkVersion: "4", mainApplicationFile: "f", driver: { cores: "2", colour: "red" }, executor: {} } };
    expect(schemaProblems(bad, schema)).toEqual([
      'spec.type: "Perl" is not one of ["Java","Python","Scala","R"]',
      "spec.driver.cores: expected integer, got string",
      "spec.driver.colour: not a field of the schema",
    ]);
  });
});

describe("secrets", () => {
  it("no secret value reaches the manifest: spark.env from a Secret by secretKeyRef, the job description from a Secret file", async () => {
    const dir = tempDir();
    // The quickstart with a !secret in the job description, a secret-named ${VAR} in spark.env and in spark.conf.
    const spec = readFileSync("jobs/quickstart.yaml", "utf8")
      .replace("  format: parquet\n", "  format: parquet\n  options: { password: !secret pa55-word-in-yaml }\n")
      .replace("    spark.ui.enabled: false\n", '    spark.ui.enabled: false\n    spark.hadoop.fs.s3a.secret.key: "${AWS_SECRET_ACCESS_KEY}"\n')
      .replace("  driver: { memory: 1g }\n", '  driver: { memory: 1g }\n  env: { DB_TOKEN: "${DB_TOKEN}", REGION: eu-west-1 }\n');
    writeFileSync(join(dir, "job.yaml"), spec);
    const env = { DB_TOKEN: "tok-3141592653", AWS_SECRET_ACCESS_KEY: "aws-secret-2718281828" };
    const args = ["render", join(dir, "job.yaml"), "--target", "spark-operator", ...S3, ...IMAGE, "--spark-version", "4.1.1", "--schedule", "@daily"];
    const text = await cliInProcess([...args, "--out", join(dir, "app.yaml"), "--job-out", join(dir, "job.json")], env, dir);
    expect(text.code).toBe(0);
    const json = await cliInProcess([...args, "--json"], env, dir);
    for (const out of [readFileSync(join(dir, "app.yaml"), "utf8"), text.stdout, text.stderr, json.stdout]) {
      for (const secret of ["pa55-word-in-yaml", ...Object.values(env)]) expect(out).not.toContain(secret);
    }
    const manifest = parse(readFileSync(join(dir, "app.yaml"), "utf8"));
    expect(schemaProblems(manifest, operatorSchema("scheduledsparkapplications").openAPIV3Schema)).toEqual([]);
    const driver = manifest.spec.template.driver;
    expect(driver.env).toEqual([
      { name: "DB_TOKEN", valueFrom: { secretKeyRef: { name: "mlship-churn-env", key: "DB_TOKEN" } } },
      { name: "REGION", value: "eu-west-1" },
    ]);
    expect(manifest.spec.template.sparkConf["spark.hadoop.fs.s3a.secret.key"]).toBeUndefined();
    expect(text.stderr).toContain("spark.conf.spark.hadoop.fs.s3a.secret.key carries a secret and is not in the manifest");
    expect(text.stderr).toContain("data.options.password is a secret: it travels inside the job description, in Secret mlship-churn-job");
    // The job description, for `kubectl create secret`, holds the secret: it is written 0600.
    expect(readFileSync(join(dir, "job.json"), "utf8")).toContain("pa55-word-in-yaml");
    expect(statSync(join(dir, "job.json")).mode & 0o777).toBe(0o600);
  });
});

describe("what cannot be rendered, every problem at once", () => {
  it.each([
    ["a local store", ["--store", "/tmp/store", "--set", "data.train=s3a://my-bucket/churn", ...IMAGE], /store: the pods cannot write a store on this machine/],
    ["local data", ["--store", "s3://my-bucket/mlship", ...IMAGE], /data\.train: the pods cannot read data on this machine/],
    ["no image", S3, /Kubernetes needs a container image/],
    ["a bad schedule", [...S3, ...IMAGE, "--schedule", "every night"], /--schedule: expected five cron fields/],
    ["a local jar", [...S3, ...IMAGE, "--set", "spark.jars=[/opt/x.jar]"], /spark\.jars: \/opt\/x\.jar is a file on this machine/],
  ])("%s: exit 2, E_PLAN", async (_name, extra, message) => {
    const r = await cliInProcess(["render", "jobs/quickstart.yaml", "--target", "spark-operator", "--spark-version", "4.1.1", ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("the plan's problems and render's own come together", async () => {
    const r = await cliInProcess(["render", "jobs/quickstart.yaml", "--target", "spark-operator", "--spark-version", "4.1.1", "--store", "s3://my-bucket/mlship", "--schedule", "nightly", "--json"]);
    expect(r.code).toBe(2);
    const paths = JSON.parse(r.stdout).error.problems.map((p: { path: string }) => p.path).sort();
    expect(paths).toEqual(["--schedule", "data.train", "spark.conf"]);
  });

  it("an unknown target is a usage error", async () => {
    const r = await cliInProcess([...base.slice(0, 3), "airflow", ...S3]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--target: expected one of spark-operator, got "airflow"');
  });
});

describe("pure parts", () => {
  it.each([
    [undefined, "Forbid"],
    ["forbid", "Forbid"],
    ["replace", "Replace"],
    ["allow", "Allow"],
  ])("concurrency %s → concurrencyPolicy %s", (concurrency, policy) => {
    expect(concurrencyPolicy({ concurrency } as unknown as JobSpec)).toBe(policy);
  });

  it.each(["0 2 * * *", "*/15 * * * MON-FRI", "@daily", "@every 6h", "CRON_TZ=Europe/Paris 0 3 * * *"])("cron %s is accepted", (s) => expect(cronProblem(s)).toBeUndefined());
  it.each(["0 2 * *", "0 0 2 * * *", "nightly", "@every tomorrow"])("cron %s is refused", (s) => expect(cronProblem(s)).toBeDefined());

  it("names fit Kubernetes: lowercase DNS labels, room for the operator's run suffix", () => {
    expect(k8sName("Churn_v2.daily")).toBe("mlship-churn-v2-daily");
    expect(k8sName("a".repeat(64)).length).toBeLessThanOrEqual(40);
  });

  it("reads a plan's argv back: conf, lists, flags, the application and its arguments", () => {
    const parts = submitParts(["spark-submit", "--master", "k8s://x", "--conf", "a=b=c", "--verbose", "--packages", "g:a:1,g:b:2", "app.py", "--out", "s3a://b/o"]);
    expect(parts).toEqual({ conf: { a: "b=c" }, lists: { "--packages": ["g:a:1", "g:b:2"] }, flags: { "--master": "k8s://x" }, app: { resource: "app.py", args: ["--out", "s3a://b/o"] } });
  });
});

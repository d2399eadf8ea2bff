// The whole CLI in process: output, exit codes and redaction, with the world passed in.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { tempDir } from "../helpers/tmp.js";

const root = join(import.meta.dirname, "..", "..");
const work = tempDir("mlship-cli-");

const cli = (args: string[], env: Record<string, string> = {}, cwd = root) => cliInProcess(args, env, cwd);

describe("mlship CLI", () => {
  it("prints help and exits 0", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/train \[options\] <spec>/);
  });

  it("exits 2 on an unknown command or flag", async () => {
    expect((await cli(["trian"])).code).toBe(2);
    expect((await cli(["plan", "jobs/quickstart.yaml", "--nope"])).code).toBe(2);
  });

  it("validates the example jobs", async () => {
    const r = await cli(["validate", "jobs/quickstart.yaml"]);
    expect(r).toMatchObject({ code: 0, stdout: "jobs/quickstart.yaml: ok (job churn, logistic_regression)\n" });
    expect((await cli(["validate", "jobs/house-prices.yaml", "--json"])).stdout).toContain('"ok": true');
  });

  it("reports every spec problem at once with file:line:col and exits 2, without a stack trace", async () => {
    const file = join(work, "bad.yaml");
    writeFileSync(file, ["name: churn", "model:", "  algorithm: logistic_regresion", "  label: y", "  features: { numeric: [a] }", "data:", "  train: d", "spark:", "  executor: { memory: lots }", ""].join("\n"));
    const r = await cli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3:3 model.algorithm:`);
    expect(r.stderr).toContain(`${file}:9:15 spark.executor.memory:`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const json = await cli(["validate", file, "--json"]);
    expect(json.code).toBe(2);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.error.problems.map((p: { path: string }) => p.path)).toEqual(["model.algorithm", "spark.executor.memory"]);
  });

  it("plans the quickstart job as a shell command and as JSON argv", async () => {
    const text = await cli(["plan", "jobs/quickstart.yaml", "--store", join(work, "s")]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/spark-submit --master 'local\[2\]' --deploy-mode client --name mlship-churn/);
    const json = await cli(["plan", "jobs/quickstart.yaml", "--json", "--set", "spark.master=local[1]"]);
    const plan = JSON.parse(json.stdout);
    expect(plan.argv.slice(1, 3)).toEqual(["--master", "local[1]"]);
    expect(plan.argv).toContain(join(root, "spark-scripts", "mlship_train.py"));
  });

  it("never shows a secret from the environment in plan output", async () => {
    mkdirSync(join(work, "jobs"), { recursive: true });
    const spec = join(work, "jobs", "secret.yaml");
    writeFileSync(
      spec,
      ["name: s", "model: { algorithm: linear_regression, label: y, features: { numeric: [a] } }", "data: { train: d }", "spark:", "  conf:", "    spark.hadoop.fs.s3a.secret.key: ${AWS_SECRET_ACCESS_KEY}", "    spark.mlship.note: 'token=${MY_API_TOKEN};'", "  env: { PASSWORD_FILE_CONTENT: plain }", ""].join("\n"),
    );
    const env = { AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI-K7MDENG", MY_API_TOKEN: "tok-123456789" };
    for (const args of [["plan", spec], ["plan", spec, "--json"]]) {
      const r = await cli(args, env, work);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(env.AWS_SECRET_ACCESS_KEY);
      expect(r.stdout + r.stderr).not.toContain(env.MY_API_TOKEN);
      expect(r.stdout).toContain("spark.conf.spark.mlship.note"); // named as a secret that goes by file
    }
  });

  it("names the S3 endpoint and launches no Spark when the S3 store is unreachable, with exit 1", async () => {
    const env = { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "yyyy", AWS_MAX_ATTEMPTS: "1" };
    const r = await cli(["train", "jobs/quickstart.yaml", "--store", "s3://bucket/prefix"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/http:\/\/127\.0\.0\.1:9.*unreachable|unreachable.*http:\/\/127\.0\.0\.1:9/);
    expect(r.stderr).not.toMatch(/spark-submit on/);
  });

  it("lists an empty store and refuses an unknown model with exit 2", async () => {
    const store = join(work, "empty");
    expect((await cli(["models", "list", "--store", store])).stdout).toMatch(/no models registered/);
    expect(JSON.parse((await cli(["models", "list", "--store", store, "--json"])).stdout)).toEqual({ store, models: [] });
    const r = await cli(["models", "show", "nope@1", "--store", store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no model version matches "nope@1"/);
  });
});

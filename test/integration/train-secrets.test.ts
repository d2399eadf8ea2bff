// Secrets never reach a command line: during a real local Spark run with a !secret and a ${VAR} secret in data
// options and spark.conf, no process's /proc/<pid>/cmdline holds one; the plan, driver.log, run.json and the event
// log show none; the job description reaches the driver in a 0600 file that is gone when the run ends.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mlship, projectRoot } from "../helpers/cli.js";
import { watchCommandLines, type ProcessLine } from "../helpers/processes.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-train-secrets-");
const store = join(work, "store");
// Distinctive values, so a leak cannot hide among ordinary words.
const TAGGED = `tagged-${randomBytes(10).toString("hex")}`;
const FROM_ENV = `envtok-${randomBytes(10).toString("hex")}`;
const SECRETS = [TAGGED, FROM_ENV];
const env = { DB_TOKEN: FROM_ENV, PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? work };

// The spec: Spark's parquet reader ignores options it does not know, so password/token do no harm; the conf key is
// no Spark setting either, but Spark keeps it (and writes it to the event log), which shows it read the file.
const spec = join(work, "secrets.yaml");
writeFileSync(
  spec,
  `name: churn-secrets
model:
  algorithm: logistic_regression
  params: { maxIter: 20, regParam: 0.01 }
  label: churned
  features:
    numeric: [tenure_months, monthly_charges, total_charges, support_calls]
    categorical: [contract, payment_method, region]
data:
  train: ${join(projectRoot, "data", "churn")}
  format: parquet
  options:
    password: !secret ${TAGGED}
    token: "\${DB_TOKEN}"
  validation: { fraction: 0.2, seed: 7 }
spark:
  master: local[2]
  conf:
    spark.sql.shuffle.partitions: 4
    spark.ui.enabled: false
    spark.ui.showConsoleProgress: false
    spark.mlship.test.note: "note-\${DB_TOKEN}"
  driver: { memory: 1g }
store: ${store}
parity: { rows: 200 }
`,
);

const joined = (p: ProcessLine) => p.argv.join(" ");
const valueAfter = (p: ProcessLine, flag: string) => p.argv[p.argv.indexOf(flag) + 1];

// Every file under a folder, recursively.
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

describe("secrets stay off command lines", () => {
  it("plan says where each secret goes and shows none", async () => {
    const text = await mlship(["plan", spec], { env, cwd: work });
    const json = await mlship(["plan", spec, "--json"], { env, cwd: work });
    for (const r of [text, json]) {
      expect(r.exitCode, r.stderr).toBe(0);
      for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
    }
    expect(text.stdout).toMatch(/mlship-job\.json: the job description .*secrets: data\.options\.password, data\.options\.token/);
    expect(text.stdout).toMatch(/mlship-secret\.properties: .*secrets: spark\.conf\.spark\.mlship\.test\.note/);
    const doc = JSON.parse(json.stdout) as { argv: string[]; files: { path: string; mode: string }[]; secrets: { field: string }[] };
    expect(doc.argv).toContain("--job-file");
    expect(doc.files.map((f) => f.mode)).toEqual(["0600", "0600"]);
    expect(doc.secrets.map((s) => s.field)).toEqual(["data.options.password", "data.options.token", "spark.conf.spark.mlship.test.note"]);
  });

  it("a real training run: no secret in any command line, log or record; the 0600 files are gone afterwards", async () => {
    // Watch every command line every 100 ms; note the private files' modes while they exist.
    const modes = new Map<string, number>();
    const watcher = watchCommandLines(100, (lines) => {
      for (const p of lines) {
        for (const flag of ["--job-file", "--properties-file"]) {
          const path = p.argv.includes(flag) ? valueAfter(p, flag) : undefined;
          if (path === undefined || !path.includes("mlship-run-")) continue;
          try {
            modes.set(path, statSync(path).mode & 0o777);
          } catch {
            /* already removed */
          }
        }
      }
    });
    const r = await mlship(["train", spec, "--json", "--quiet"], { env, cwd: work });
    const seen = await watcher.stop();
    expect(r.exitCode, r.stderr).toBe(0);

    // The run's own processes were seen: spark-submit (script or JVM) and the Python driver.
    const submit = seen.filter((p) => /spark-submit|SparkSubmit/.test(joined(p)) && joined(p).includes("churn-secrets"));
    const driver = seen.filter((p) => joined(p).includes("mlship_train.py") && joined(p).includes("churn-secrets"));
    expect(submit.length, "a spark-submit process").toBeGreaterThan(0);
    expect(driver.length, "the Python driver").toBeGreaterThan(0);
    for (const p of seen) for (const s of SECRETS) expect(joined(p), `pid ${p.pid}`).not.toContain(s);

    // The private files existed with mode 0600 and are gone now.
    const files = [...new Set([...driver, ...submit].flatMap((p) => ["--job-file", "--properties-file"].filter((f) => p.argv.includes(f)).map((f) => valueAfter(p, f)!)))];
    expect(files.some((f) => f.endsWith("mlship-job.json")), files.join("\n")).toBe(true);
    expect(files.some((f) => f.endsWith("mlship-secret.properties")), files.join("\n")).toBe(true);
    for (const f of files) {
      expect(existsSync(f), f).toBe(false);
      expect(modes.get(f), `${f} seen while the run was on`).toBe(0o600);
    }

    // Nothing the run left behind holds a secret; Spark did read the properties file (the note is in its event log).
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    const runDir = join(store, "runs", "churn-secrets", runId);
    const records = filesUnder(runDir).filter((f) => !f.includes("/model/"));
    expect(records.map((f) => f.slice(runDir.length + 1))).toEqual(expect.arrayContaining(["run.json", "driver.log"]));
    for (const f of [...records, ...filesUnder(join(store, "registry"))]) {
      const text = readFileSync(f, "latin1");
      for (const s of SECRETS) expect(text.includes(s), f).toBe(false);
    }
    const eventLog = records.filter((f) => f.includes("/eventlog/")).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(eventLog).toMatch(/"spark\.mlship\.test\.note":"note-\*\*\*"/);
  });
});

// docs/scheduling.md's cron recipe, run for real: the wrapper script and the crontab line as the page gives them,
// against a trained quickstart (real local Spark, once): nothing new twice (exit 0, silent, one JSON line per run),
// a bad reference (exit 2, a line for cron to mail), and flock refusing an overlapping run (exit 75).
import { execa } from "execa";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bin, mlship, projectRoot } from "../helpers/cli.js";
import { docFiles } from "../helpers/doc-blocks.js";
import { quickstartStore } from "../helpers/quickstart-store.js";
import { tempDir } from "../helpers/tmp.js";

const work = tempDir("mlship-schedule-");
const store = join(work, "store");
const logDir = join(work, "log");
const wrapper = join(work, "mlship-nightly");
const envFile = join(work, "churn.env");
const lock = join(work, "mlship-churn.lock");
const SECRET = "db-pa55-0123456789";
const recipes = docFiles("docs/scheduling.md");

// What cron gives a job: a bare environment; the wrapper's settings as a crontab line would export them.
const cronEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? "/tmp",
  MLSHIP: bin,
  SPEC: join(projectRoot, "jobs", "quickstart.yaml"),
  FROM: "churn@production",
  LOG_DIR: logDir,
  MLSHIP_STORE: store,
  ...extra,
});
const runWrapper = (extra: Record<string, string> = {}) => execa("sh", [wrapper], { cwd: projectRoot, env: cronEnv(extra), extendEnv: false, reject: false, stdin: "ignore" });
const jsonLines = () => readFileSync(join(logDir, "quickstart.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));

// The command of the page's first crontab line (after the five schedule fields and the user), with this test's paths.
function cronCommand(): string {
  const line = (recipes.get("/etc/cron.d/mlship-churn") ?? "").split("\n").find((l) => /^\d/.test(l)) ?? "";
  return line
    .split(/\s+/)
    .slice(6)
    .join(" ")
    .replace("/etc/mlship/churn.env", envFile)
    .replace("/run/lock/mlship-churn.lock", lock)
    .replace("/usr/local/bin/mlship-nightly", wrapper);
}

describe("the cron recipe of docs/scheduling.md, run for real", () => {
  beforeAll(async () => {
    await quickstartStore(store);
    const alias = await mlship(["alias", "set", "churn@production", "1", "--store", store]);
    expect(alias.exitCode, alias.stderr).toBe(0);
    writeFileSync(wrapper, recipes.get("/usr/local/bin/mlship-nightly") ?? "");
    chmodSync(wrapper, 0o755);
    writeFileSync(envFile, `DB_PASSWORD=${SECRET}\n`, { mode: 0o600 });
  }, 600_000);

  it("nothing new, twice: exit 0 and silent (cron mails nothing), one JSON line per run; no Spark, no new version", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await runWrapper();
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("");
    }
    expect(jsonLines()).toEqual([
      expect.objectContaining({ ok: true, updated: false, reason: "nothing-new", parent: { model: "churn", version: 1 } }),
      expect.objectContaining({ ok: true, updated: false, reason: "nothing-new" }),
    ]);
    const versions = JSON.parse((await mlship(["models", "versions", "churn", "--store", store, "--json"])).stdout);
    expect(versions.versions ?? versions).toHaveLength(1);
  });

  it("a reference that needs a person: exit 2, one line on stderr for cron to mail, the JSON error logged", async () => {
    const r = await runWrapper({ FROM: "churn@nope" });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^mlship-nightly quickstart: needs a person \(exit 2; not retried\): \{/);
    const last = jsonLines().at(-1);
    expect(last).toMatchObject({ ok: false, error: { code: "E_NOT_FOUND" } });
  });

  it("the crontab line: secrets from the 0600 file, never logged; a run still holding the lock makes the next exit 75", async () => {
    const command = cronCommand();
    expect(command).toContain("flock -n -E 75");
    const ok = await execa("sh", ["-c", command], { cwd: projectRoot, env: cronEnv(), extendEnv: false, reject: false });
    expect(ok.exitCode, ok.stderr).toBe(0);
    // A run that holds the lock for 3 s (what a long night's run does for hours).
    const holder = execa("flock", [lock, "sleep", "3"], { reject: false });
    await new Promise((r) => setTimeout(r, 500));
    const refused = await execa("sh", ["-c", command], { cwd: projectRoot, env: cronEnv(), extendEnv: false, reject: false });
    await holder;
    expect(refused.exitCode).toBe(75);
    expect(refused.stdout + refused.stderr).toBe("");
    for (const f of ["quickstart.jsonl", "quickstart.log"]) expect(readFileSync(join(logDir, f), "utf8")).not.toContain(SECRET);
  });
});

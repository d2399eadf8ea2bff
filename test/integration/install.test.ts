// Installs mlship as a user would: `npm pack`, `npm install <tarball>` into an empty project, `mlship setup` with a fresh
// MLSHIP_HOME (a real pip install), a training of a spec in that project's folder, `mlship serve` and one HTTP prediction;
// then `npm install git+file://` of a clone of HEAD (which runs `prepare`) and `mlship --version`. Each step's time is
// printed, for CI's budget.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";

const root = join(import.meta.dirname, "..", "..");
const work = tempDir("mlship-install-");
const app = join(work, "app");
const home = join(work, "mlship-home");
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
const timings: Record<string, number> = {};

// The environment of a user with Node, Java and python3 but no Spark: no SPARK_HOME, no venv, no spark-submit on PATH.
function userEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(SPARK_HOME|PYSPARK_|VIRTUAL_ENV|MLSHIP_|npm_)/.test(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? "").split(delimiter).filter((d) => d && !existsSync(join(d, "spark-submit"))).join(delimiter);
  env.MLSHIP_HOME = home;
  env.MLSHIP_CLASS_ARCHIVE = "off"; // a fresh runtime trains once: writing its class-data archive would cost that run half again
  return env;
}
const env = userEnv();

// Runs a command to its end and times it; throws with its output when it fails.
function timed(label: string, file: string, args: string[], cwd: string): string {
  const t0 = Date.now();
  try {
    return execFileSync(file, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } finally {
    timings[label] = Math.round((Date.now() - t0) / 100) / 10;
  }
}
const mlshipIn = (dir: string) => join(dir, "node_modules", ".bin", "mlship");

// A small separable problem: two numbers and a colour.
function writeProject(): void {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = ["x1,x2,color,label"];
  for (let i = 0; i < 200; i++) {
    const [x1, x2, color] = [rand() * 4 - 2, rand() * 4 - 2, ["red", "green", "blue"][i % 3]!];
    rows.push(`${x1.toFixed(4)},${x2.toFixed(4)},${color},${x1 + 0.5 * x2 + (color === "red" ? 0.5 : 0) + (rand() - 0.5) > 0 ? 1 : 0}`);
  }
  writeFileSync(join(app, "train.csv"), `${rows.join("\n")}\n`);
  writeFileSync(
    join(app, "job.yaml"),
    [
      "name: tiny",
      "model:",
      "  algorithm: logistic_regression",
      "  label: label",
      "  features: { numeric: [x1, x2], categorical: [color] }",
      "data: { train: train.csv, format: csv, validation: { fraction: 0.2, seed: 7 } }",
      "spark:",
      "  master: local[1]",
      "  conf: { spark.sql.shuffle.partitions: 1, spark.ui.enabled: false, spark.ui.showConsoleProgress: false }",
      "  driver: { memory: 512m }",
      "store: ./store",
      "",
    ].join("\n"),
  );
}

let server: ChildProcess | undefined;

beforeAll(() => {
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "app", private: true })}\n`);
  timed("npm pack", "npm", ["pack", "--pack-destination", work, "--loglevel=error"], root);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"))!;
  timed("npm install tarball", "npm", ["install", join(work, tarball), ...NPM_FLAGS], app);
  writeProject();
}, 600_000);

afterAll(() => {
  server?.kill("SIGTERM");
  console.log(`install test timings (s): ${JSON.stringify(timings)}`);
});

describe("installed from the npm tarball", () => {
  it("has no runtime until `mlship setup`, and says to run it (not `npm run setup`)", () => {
    let err: { status: number; stdout: string } | undefined;
    try {
      timed("plan without runtime", mlshipIn(app), ["plan", "job.yaml", "--json"], app);
    } catch (e) {
      err = e as { status: number; stdout: string };
    }
    expect(err?.status).toBe(2);
    const out = JSON.parse(err!.stdout) as { error: { code: string; message: string } };
    expect(out.error.code).toBe("E_NO_RUNTIME");
    expect(out.error.message).toContain("run `mlship setup`");
    expect(out.error.message).not.toContain("npm run setup");
  });

  it("`mlship setup` creates the runtime under MLSHIP_HOME; a second run is fast and says so", () => {
    const first = JSON.parse(timed("mlship setup", mlshipIn(app), ["setup", "--json", "--quiet"], app)) as { status: string; dir: string; sparkSubmit: string };
    expect(first).toMatchObject({ status: "created" });
    expect(first.dir.startsWith(join(home, "python"))).toBe(true);
    expect(existsSync(first.sparkSubmit)).toBe(true);
    expect(readdirSync(join(home, "python")).filter((n) => n.startsWith(".tmp-"))).toEqual([]);
    const again = timed("mlship setup again", mlshipIn(app), ["setup"], app);
    expect(again).toContain("already set up");
    expect(timings["mlship setup again"]).toBeLessThan(20); // no pip: only Java's version is asked (generous under load)
  }, 600_000);

  it("trains a spec in the project's folder with that runtime, then serves it over HTTP", async () => {
    const trained = JSON.parse(timed("mlship train", mlshipIn(app), ["train", "job.yaml", "--json", "--quiet"], app)) as { ok: boolean; version: number; store: string };
    expect(trained).toMatchObject({ ok: true, version: 1 });
    expect(trained.store).toBe(join(app, "store"));

    const port = await freePort();
    const t0 = Date.now();
    server = spawn(mlshipIn(app), ["serve", "--model", "tiny@1", "--store", "./store", "--port", String(port)], { cwd: app, env, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 300 && !ready && server.exitCode === null; i++) {
      ready = await fetch(`${base}/v2/health/ready`).then((r) => r.ok, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready, log).toBe(true);
    const res = await fetch(`${base}/v1/models/tiny/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ records: [{ x1: 1.5, x2: 1, color: "red" }, { x1: -1.5, x2: -1, color: "blue" }] }),
    });
    const body = (await res.json()) as { version: number; predictions: { prediction: number }[] };
    timings["serve and predict"] = Math.round((Date.now() - t0) / 100) / 10;
    expect(res.status).toBe(200);
    expect(body.version).toBe(1);
    expect(body.predictions.map((p) => p.prediction)).toEqual([1, 0]);
  }, 900_000);
});

describe("installed from git", () => {
  it("`npm install git+file://` of a clone builds dist/ (prepare), and the CLI starts", () => {
    const clone = join(work, "clone");
    execFileSync("git", ["clone", "-q", root, clone], { env });
    const gitApp = join(work, "git-app");
    execFileSync("mkdir", ["-p", gitApp]);
    writeFileSync(join(gitApp, "package.json"), `${JSON.stringify({ name: "git-app", private: true })}\n`);
    timed("npm install git", "npm", ["install", `git+file://${clone}`, ...NPM_FLAGS], gitApp);
    const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string;
    expect(timed("mlship --version", mlshipIn(gitApp), ["--version"], gitApp).trim()).toBe(version);
    expect(existsSync(join(gitApp, "node_modules", "mlship", "dist", "mlship.cjs.map"))).toBe(false);
  }, 600_000);
});

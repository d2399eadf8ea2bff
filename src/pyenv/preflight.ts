// The pre-flight check of a client-mode run: the driver's Python, run once before spark-submit (the one process here).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import type { JobSpec } from "../jobspec/schema.js";
import type { Plan, SparkBuild } from "../submit/index.js";
import { childEnvironment, driverPython, resolvedConf, type DriverPython } from "./interpreter.js";
import { parseProbe, probeCommand, sparkHomeZips, verdict, type ProbeOutcome, type Verdict } from "./probe.js";
import { sparkVersionFrom, type SparkVersion } from "./spark-version.js";

export const PREFLIGHT_TIMEOUT_MS = 30_000; // Python, numpy, pyarrow and pyspark import in 1–3 s on an idle machine
export const PREFLIGHT_ENV = "MLSHIP_PYTHON_CHECK"; // "off" skips the check (an unusual PYSPARK_DRIVER_PYTHON, e.g. a wrapper)

export interface PreflightInput {
  spec: JobSpec;
  plan: Pick<Plan, "argv" | "env" | "unset">;
  env: Record<string, string | undefined>; // the environment mlship runs in (spark-submit inherits it)
  defaults: Record<string, string> | undefined; // the conf spark-submit loads from a file
  build: SparkBuild | undefined;
  projectRoot: string;
  runtimePython?: string | undefined; // the Python of the runtime `mlship setup` made, when that is the Spark that runs
  timeoutMs?: number;
}

// The driver runs here only in client mode; a JAR has no Python driver. Pure.
export function preflightApplies(spec: JobSpec, env: Record<string, string | undefined>): boolean {
  return spec.spark.deployMode === "client" && spec.entrypoint?.jar === undefined && env[PREFLIGHT_ENV] !== "off";
}

// A text file's content, or undefined when it cannot be read.
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

// The Spark version that runs: its spark-core jar, else SPARK_HOME's RELEASE file (no JVM starts).
export function sparkVersion(build: SparkBuild | undefined, sparkHome: string | undefined): SparkVersion | undefined {
  const releaseFile = sparkHome ? join(sparkHome, "RELEASE") : undefined;
  return sparkVersionFrom({ jarsDir: build?.jarsDir, jars: build?.jars ?? [], releaseFile, release: releaseFile === undefined ? undefined : readText(releaseFile) });
}

// The pyspark the project pins (spark-scripts/requirements-runtime.txt, which the package ships), when it can be read.
export function pinnedPyspark(projectRoot: string): string | undefined {
  const text = readText(join(projectRoot, "spark-scripts", "requirements-runtime.txt")) ?? readText(join(projectRoot, "spark-scripts", "requirements.txt"));
  return /^pyspark==(\S+)/m.exec(text ?? "")?.[1];
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

// Runs the probe with a deadline and a bounded output.
async function runProbe(file: string, args: string[], env: Record<string, string | undefined>, cwd: string, timeoutMs: number): Promise<ProbeOutcome> {
  if (file.trim() === "") return { ok: false, reason: "not-found", detail: "the value is empty" };
  const r = await execa(file, args, { env, extendEnv: false, cwd, timeout: timeoutMs, reject: false, stdin: "ignore", maxBuffer: 64 * 1024, encoding: "utf8" });
  if (r.timedOut) return { ok: false, reason: "timeout", detail: `${Math.round(timeoutMs / 1000)} s` };
  if ((r as { code?: string }).code === "ENOENT") return { ok: false, reason: "not-found", detail: "no such file or command" };
  const facts = r.exitCode === 0 ? parseProbe(String(r.stdout)) : undefined;
  if (facts) return { ok: true, facts };
  const tail = String(r.stderr ?? "").trim().split("\n").slice(-3).join(" / ").slice(0, 500);
  return { ok: false, reason: r.exitCode === 127 ? "not-found" : "failed", detail: tail || `${r.shortMessage ?? "no answer"}` };
}

export interface DriverCheckInput {
  env: Record<string, string | undefined>; // the environment spark-submit (and so the driver) gets
  conf: Record<string, string>; // the conf spark-submit resolves
  build: SparkBuild | undefined;
  projectRoot: string;
  runtimePython?: string | undefined; // the Python of the runtime `mlship setup` made, when that is the Spark that runs
  needs: ("numpy" | "pyarrow")[];
  timeoutMs?: number;
}

// Finds the driver's Python as PythonRunner will, probes it once and judges it against the Spark that runs.
export async function checkDriverPython(x: DriverCheckInput, cwd: string): Promise<{ driver: DriverPython; verdict: Verdict }> {
  const { env } = x;
  const driver = driverPython(x.conf, env);
  const cmd = probeCommand(driver.python, env, sparkHomeZips(env.SPARK_HOME, env.SPARK_HOME ? listDir(join(env.SPARK_HOME, "python", "lib")) : []));
  const outcome = await runProbe(cmd.file, cmd.args, cmd.env, cwd, x.timeoutMs ?? PREFLIGHT_TIMEOUT_MS);
  const venvPython = x.runtimePython ?? join(x.projectRoot, ".venv", "bin", "python");
  const spark = sparkVersion(x.build, env.SPARK_HOME);
  const verdictOf = verdict({
    driver,
    outcome,
    sparkVersion: spark?.version,
    sparkFrom: spark?.from,
    pinnedPyspark: pinnedPyspark(x.projectRoot),
    needs: x.needs,
    suggestion: existsSync(venvPython) && driver.python !== venvPython ? venvPython : undefined,
  });
  return { driver, verdict: verdictOf };
}

// Checks the driver's Python before Spark starts; undefined when the check does not apply to this run.
export async function preflight(input: PreflightInput, cwd: string): Promise<Verdict | undefined> {
  if (!preflightApplies(input.spec, input.env)) return undefined;
  const env = childEnvironment(input.env, input.plan.env, input.plan.unset);
  const needs: ("numpy" | "pyarrow")[] = input.spec.entrypoint === undefined ? ["numpy", "pyarrow"] : [];
  const conf = resolvedConf(input.plan.argv, input.defaults);
  return (await checkDriverPython({ env, conf, build: input.build, projectRoot: input.projectRoot, runtimePython: input.runtimePython, needs, timeoutMs: input.timeoutMs }, cwd)).verdict;
}

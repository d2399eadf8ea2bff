// The application spark-submit runs (built-in trainer, user script or user JAR) and its arguments.
import { join } from "node:path";
import type { JobSpec } from "../jobspec/schema.js";
import type { Findings } from "./types.js";

export type App =
  | { kind: "builtin"; resource: string; args: string[] }
  | { kind: "script"; resource: string; args: string[] }
  | { kind: "jar"; resource: string; mainClass: string; args: string[] };

// Spark decides "Python application" by the primary resource ending in .py; so do we.
export const isPythonApp = (app: App): boolean => app.kind !== "jar";

// Where the built-in trainer and the runtime zip (built by the launcher) live.
export function builtinPaths(projectRoot: string): { script: string; runtimeZip: string; log4j: string } {
  return {
    script: join(projectRoot, "spark-scripts", "mlship_train.py"),
    log4j: join(projectRoot, "spark-scripts", "conf", "log4j2.properties"),
    runtimeZip: join(projectRoot, "spark-scripts", "build", "mlship_runtime.zip"),
  };
}

// Replaces {out} and {runId} in a user entrypoint argument.
export function substitute(arg: string, vars: { out: string; runId: string }): string {
  return arg.replaceAll("{out}", vars.out).replaceAll("{runId}", vars.runId);
}

// Resolves the application; records entrypoint problems and returns undefined when there are any.
export function resolveApp(
  input: { spec: JobSpec; runId: string; outUri: string; projectRoot: string; jobFile: string },
  findings: Findings,
): App | undefined {
  const ep = input.spec.entrypoint;
  if (!ep) {
    // The job description goes by file (see private.ts): it may hold secrets, and a command line is world-readable.
    const args = ["--job-file", input.jobFile, "--out", input.outUri, "--run-id", input.runId];
    return { kind: "builtin", resource: builtinPaths(input.projectRoot).script, args };
  }
  const problem = (path: string, message: string) => findings.problems.push({ path, message });
  const { script, jar, mainClass } = ep;
  const args = ep.args.map((a) => substitute(a, { out: input.outUri, runId: input.runId }));
  if (script !== undefined && jar !== undefined) {
    problem("entrypoint", "give either script or jar, not both");
    return undefined;
  }
  if (script !== undefined) {
    const before = findings.problems.length;
    if (!script.endsWith(".py")) {
      problem("entrypoint.script", `expected a Python file ending in .py, got "${script}" (use entrypoint.jar for a JAR)`);
    }
    if (mainClass !== undefined) {
      problem("entrypoint.mainClass", "mainClass applies only to entrypoint.jar; a Python script has none");
    }
    return findings.problems.length === before ? { kind: "script", resource: script, args } : undefined;
  }
  if (jar !== undefined) {
    if (mainClass !== undefined) return { kind: "jar", resource: jar, mainClass, args };
    problem("entrypoint.mainClass", "entrypoint.jar needs mainClass, the fully qualified class to run (e.g. com.example.Train)");
    return undefined;
  }
  problem("entrypoint", "give script (a .py file) or jar (with mainClass); leave out entrypoint to use the built-in trainer");
  return undefined;
}

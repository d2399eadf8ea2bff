// JobSpec -> spark-submit argv and env, or every reason the chosen cluster manager would refuse it.
import { builtinPaths, resolveApp } from "./app.js";
import type { RuleContext } from "./context.js";
import { childEnv } from "./env.js";
import { classifyMaster } from "./master.js";
import { submitOptions } from "./options.js";
import { checkConf, checkNames, checkPlacement, checkPyFiles } from "./rules-general.js";
import { checkKubernetes } from "./rules-kubernetes.js";
import { checkDeployMode, checkKerberos, checkManagerOnly, checkYarnEnv } from "./rules-manager.js";
import { runConf } from "./run-conf.js";
import { newFindings, type PlanInput, type PlanResult } from "./types.js";

// Every rule runs on every plan; each reports into ctx.findings and none stops the others.
const RULES: ((ctx: RuleContext) => void)[] = [
  checkDeployMode,
  checkManagerOnly,
  checkKerberos,
  checkKubernetes,
  checkYarnEnv,
  checkPyFiles,
  checkNames,
  checkConf,
  checkPlacement,
];

// Builds the spark-submit command for one run. Pure: no I/O, the world comes in through `input`.
export function buildPlan(input: PlanInput): PlanResult {
  const { spec } = input;
  const spark = spec.spark;
  const findings = newFindings();

  const master = classifyMaster(spark.master);
  if (!master.ok) findings.problems.push({ path: "spark.master", message: master.message });
  const app = resolveApp(input, findings);
  const cluster = spark.deployMode === "cluster";

  // The built-in trainer imports mlship_runtime; in cluster mode the driver is remote, so ship the zip.
  const runtime = app?.kind === "builtin" && cluster ? [builtinPaths(input.projectRoot).runtimeZip] : [];
  const pyFiles = [...runtime, ...spark.pyFiles];
  const appName = spark.appName ?? `mlship-${spec.name}`;
  // What mlship adds for this run (S3 access, Ivy cache, event log); the spec's own settings win.
  const added = runConf(input, master.ok ? master.manager : undefined, findings);
  const options = submitOptions(added.spark, { appName, app, pyFiles });

  const ctx: RuleContext = {
    spec,
    spark,
    manager: master.ok ? master.manager : undefined,
    cluster,
    app,
    argv: options,
    pyFiles,
    env: input.env,
    outUri: input.outUri,
    findings,
  };
  for (const rule of RULES) rule(ctx);

  if (findings.problems.length > 0 || app === undefined) {
    return { ok: false, problems: findings.problems, warnings: findings.warnings };
  }
  return {
    ok: true,
    plan: {
      argv: [input.sparkSubmit, ...options, app.resource, ...app.args],
      // The built-in trainer's driver logs at WARN when it runs here (client mode): mlship prints its own progress.
      env: childEnv(spark, input.env, app.kind === "builtin" && !cluster ? builtinPaths(input.projectRoot).log4j : undefined),
      warnings: findings.warnings,
    },
  };
}

// The run plan `validate` and `plan` show (and `train` refuses by): planRun, with a stand-in for train's private folder.
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "./context.js";
import { runStoreFor } from "./store.js";
import { FatalError } from "../errors.js";
import { secretEnvValues } from "../jobspec/secrets.js";
import { locateSpark, noSparkError } from "../setup/locate.js";
import { sparkInstallOf } from "../runs/spark-install.js";
import { RUN_DIR_PREFIX } from "../runs/paths.js";
import { planRun, type LoadedJob, type RunPlan, type SparkInstall } from "../runs/plan-run.js";
import { newRunId } from "../runs/run-id.js";
import { inspectClassArchive } from "../runs/class-archive.js";
import { classifyMaster } from "../submit/index.js";

// Where `train` puts the run's private files: a fresh mkdtemp folder; XXXXXX stands for its random part.
export const RUN_DIR_STAND_IN = join(tmpdir(), `${RUN_DIR_PREFIX}XXXXXX`);

// Without a Spark installation `validate` still checks everything else; `plan` and `train` need one.
const STAND_IN_SPARK: SparkInstall = { path: "spark-submit", env: {} };

// Plans a run as `train` would, with a new run id and the stand-in private folder. The spec's problems come
// first; then, when Spark is required and not installed, E_NO_RUNTIME (or E_NO_SPARK for a wrong SPARK_HOME).
// `shortRun`: the run's input is small (src/update/short-run.ts), as train decides from its listing; `plan`
// (classArchive: true) also shows the driver's class-data archive as `train` would use or write it.
export function planFor(ctx: Context, job: LoadedJob, opts: { store?: string | undefined; sparkRequired: boolean; shortRun?: boolean; classArchive?: boolean }): RunPlan {
  const store = runStoreFor(ctx, opts.store, job.spec.store);
  const located = locateSpark(ctx.env, ctx.projectRoot);
  const spark = located.ok ? sparkInstallOf(located, { env: ctx.env, cwd: ctx.cwd, propertiesFile: job.spec.spark.propertiesFile }) : STAND_IN_SPARK;
  const runId = newRunId(ctx.now());
  const master = classifyMaster(job.spec.spark.master);
  const archive = opts.classArchive && located.ok
    ? inspectClassArchive({ env: { ...ctx.env, ...spark.env }, spark: job.spec.spark, manager: master.ok ? master.manager : undefined, build: spark.build, defaults: spark.defaults }, runId)
    : undefined;
  const planned = planRun({
    job,
    cwd: ctx.cwd,
    env: ctx.env,
    projectRoot: ctx.projectRoot,
    store,
    spark,
    secretEnv: secretEnvValues(ctx.env),
    runId,
    runDir: RUN_DIR_STAND_IN,
    ...(opts.shortRun ? { shortRun: true } : {}),
    ...(archive && archive.action !== "skip" ? { classArchive: archive } : {}),
  });
  if (planned.ok && !located.ok && opts.sparkRequired) throw noSparkError(located.message, ctx.env);
  return planned;
}

// One run's spark-submit plan: the single path `validate`, `plan` and `train` share. Pure: the world comes in.
import type { SpecProblem } from "../errors.js";
import { sortProblems } from "../jobspec/load.js";
import type { JobSpec } from "../jobspec/schema.js";
import type { Loc } from "../jobspec/tree.js";
import type { Store } from "../store/types.js";
import { buildPlan, redactor, type Plan, type SparkBuild } from "../submit/index.js";
import type { ClassArchive } from "../submit/class-archive.js";
import type { TransferBlock, UpdateBlock } from "../submit/types.js";
import { eventLogPlace, type EventLogPlace } from "./eventlog.js";
import { absoluteDataPath } from "./paths.js";
import { runPrefix } from "./run-id.js";

// A loaded job spec: the typed spec, its secrets, and where each field was written.
export interface LoadedJob {
  spec: JobSpec;
  file: string;
  sha256: string;
  secrets: string[];
  profile?: string;
  sets?: string[]; // the --set overrides applied
  locate: (path: string) => Loc;
}

// The spark-submit to plan for: the located one with its extra environment and its Spark build.
export interface SparkInstall {
  path: string;
  env: Record<string, string>; // e.g. PYSPARK_PYTHON for the venv's pyspark
  build?: SparkBuild | undefined; // undefined: hadoop-aws for S3 runs is not chosen (validate without a Spark installation)
  defaults?: Record<string, string> | undefined; // spark-defaults.conf (or the spec's properties file); undefined: not read
}

// Where the run's files go, or why the chosen store cannot hold them.
export type StorePlace = Pick<Store, "location" | "sparkUri" | "localPath">;
export type StoreChoice = { ok: true; store: StorePlace } | { ok: false; location: string; message: string };

export interface RunPlanInput {
  job: LoadedJob;
  cwd: string; // relative local data paths resolve against it
  env: Record<string, string | undefined>; // the environment mlship runs in
  projectRoot: string;
  store: StoreChoice;
  spark: SparkInstall;
  secretEnv: string[]; // secret values of the environment, masked in problems and warnings
  runId: string; // run-specific: a fresh id per run
  runDir: string; // run-specific: train's fresh private folder; plan and validate show a stand-in
  update?: UpdateBlock; // `mlship update`'s run: the parent, the new rows and the mode
  transfer?: TransferBlock; // model.basedOn: the source version, pinned, and the method
  shortRun?: boolean; // a short run: a train or update over small input (src/update/short-run.ts): Spark conf for a short driver job on a local master
  classArchive?: ClassArchive; // train and update: the driver JVM's class-data archive (src/runs/class-archive.ts)
  supervisorPid?: number; // train and update: the CLI's pid, which a local driver watches (plan and validate: none)
}

export type RunPlan =
  | { ok: true; spec: JobSpec; plan: Plan; prefix: string; modelPrefix: string; eventLog: EventLogPlace; warnings: string[] }
  | { ok: false; problems: SpecProblem[]; warnings: string[] };

// Plans one run: data paths made absolute, output and event log placed in the store, then every rule of
// buildPlan; problems come back located (file:line:col and the dotted path) and redacted.
export function planRun(input: RunPlanInput): RunPlan {
  const { job, store } = input;
  const spec: JobSpec = { ...job.spec, data: { ...job.spec.data, train: absoluteDataPath(job.spec.data.train, input.cwd) } };
  const redact = redactor([...job.secrets, ...input.secretEnv]);
  const prefix = runPrefix(spec.name, input.runId);
  const modelPrefix = `${prefix}/model`;
  // An unsupported store still gets a stand-in place, so every other rule runs and reports too.
  const place: StorePlace = store.ok ? store.store : { location: store.location, sparkUri: (k) => `${store.location}/${k}`, localPath: () => undefined };
  const eventLog = eventLogPlace(spec, place, prefix, input.runDir);
  const env = { ...input.env, ...input.spark.env };
  const result = buildPlan({
    spec,
    runId: input.runId,
    outUri: place.sparkUri(modelPrefix),
    projectRoot: input.projectRoot,
    sparkSubmit: input.spark.path,
    env,
    ...(input.spark.build ? { sparkBuild: input.spark.build } : {}),
    ...(input.spark.defaults ? { sparkDefaults: input.spark.defaults } : {}),
    ...(eventLog.uri ? { eventLogDir: eventLog.uri } : {}),
    runDir: input.runDir,
    secrets: job.secrets,
    ...(input.update ? { update: input.update } : {}),
    ...(input.transfer ? { transfer: input.transfer } : {}),
    ...(input.shortRun ? { shortRun: true } : {}),
    ...(input.classArchive ? { classArchive: input.classArchive } : {}),
    ...(input.supervisorPid !== undefined ? { supervisorPid: input.supervisorPid } : {}),
  });
  const problems = result.ok ? [] : result.problems.map((p) => ({ path: p.path, message: p.message }));
  if (!store.ok) problems.unshift({ path: "store", message: store.message });
  const warnings = (result.ok ? result.plan.warnings : result.warnings).map(redact);
  if (problems.length > 0 || !result.ok) {
    const located = problems.map((p) => ({ ...job.locate(p.path), path: p.path, message: redact(p.message) }));
    return { ok: false, problems: sortProblems(located), warnings };
  }
  return { ok: true, spec, plan: result.plan, prefix, modelPrefix, eventLog, warnings };
}

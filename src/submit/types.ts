// Shapes shared by the submit modules: what buildPlan takes and what it returns.
import type { JobSpec } from "../jobspec/schema.js";
import type { ClassArchive } from "./class-archive.js";

export interface PlanInput {
  spec: JobSpec;
  runId: string;
  outUri: string; // the run's model/ folder as a URI (file:///… or s3a://…)
  projectRoot: string; // where spark-scripts/ lives
  sparkSubmit: string; // resolved path of spark-submit (see locate.ts)
  env: Record<string, string | undefined>; // the environment mlship runs in
  // The Spark installation spark-submit belongs to (see spark-build.ts). When given, a run that reads or
  // writes S3 gets hadoop-aws matching its Hadoop version, the s3a settings and the Ivy cache.
  sparkBuild?: SparkBuild;
  eventLogDir?: string; // where Spark writes its event log for this run (a URI); none when undefined
  runDir: string; // a private (0700) local folder of this run, where launch writes the plan's files
  secrets: string[]; // the spec's secret values (!secret, secret-named ${VAR}s): never on the command line
  update?: UpdateBlock; // `mlship update`: the parent, the new rows and the mode, for the built-in trainer
  transfer?: TransferBlock; // model.basedOn: the source version and the method (docs/transfer.md)
  shortRun?: boolean; // a short run: a train or update over small input (src/update/short-run.ts): a local master gets SHORT_RUN_CONF (run-conf.ts)
  classArchive?: ClassArchive; // the driver JVM's class-data archive to use or write (src/submit/class-archive.ts)
  supervisorPid?: number; // the CLI that supervises the run (`train`, `update`); a local driver exits when it is gone
  // The conf spark-submit reads besides --conf: spark-defaults.conf of the installation, or spec.spark.propertiesFile
  // (see spark-defaults.ts). Undefined when not read (`validate` without a Spark installation).
  sparkDefaults?: Record<string, string>;
}

// The rows of one side of an update: explicit files (ledger paths), or data.train where `column op value`.
export interface UpdateRows {
  files: string[];
  where?: { column: string; op: ">" | "<="; value: string | number | boolean | null };
}

// The --job JSON's `update` block (spark-scripts/mlship_runtime/update/run.py reads it).
export interface UpdateBlock {
  mode: string;
  parent: { ref: string; uri: string };
  new: UpdateRows;
  history: UpdateRows;
  options: { decay?: number; newTrees?: number; maxIter?: number };
}

// The --job JSON's `transfer` block (spark-scripts/mlship_runtime/transfer/run.py reads it).
export interface TransferBlock {
  method: string;
  freezeStages: boolean;
  source: { ref: string; uri: string; manifestSha256: string };
  use?: string; // feature: the source output the target reads, resolved (docs/transfer.md)
  family?: string; // offset: the target GLM's family
}

// A Spark installation: its jars/ folder and the file names in it.
export interface SparkBuild {
  jarsDir: string;
  jars: string[];
}

// One thing wrong with the spec for this cluster manager, at a dotted spec path.
export interface PlanProblem {
  path: string;
  message: string;
}

export interface Plan {
  argv: string[]; // argv[0] is spark-submit; launch with execa's array form; never holds a secret
  env: Record<string, string>; // extra environment for the child (spark.env + PYSPARK_* passed through)
  unset: string[]; // variables removed from the inherited environment (a local interpreter never reaches a remote driver)
  files: PlanFile[]; // written by launch (mode 0600) before spark-submit starts, removed after the run
  secrets: SecretPlace[]; // where each secret-bearing field goes instead of the command line
  warnings: string[]; // harmless oddities worth telling the user
}

// A file the run needs on this machine; its content may hold secrets, so it is never shown.
export interface PlanFile {
  path: string; // under PlanInput.runDir
  content: string;
  holds: string; // what it is, for `plan` ("the job description (--job-file)")
}

// One secret-bearing field and how it reaches Spark: a plan file (its path) or the environment.
export interface SecretPlace {
  field: string; // a dotted spec path: data.options.password, spark.conf.<key>, spark.env.<NAME>
  via: string; // a PlanFile path, or "environment"
}

export type PlanResult =
  | { ok: true; plan: Plan }
  | { ok: false; problems: PlanProblem[]; warnings: string[] };

// Collects problems and warnings so every rule runs and the user sees all of them at once.
export interface Findings {
  problems: PlanProblem[];
  warnings: string[];
}

export const newFindings = (): Findings => ({ problems: [], warnings: [] });

// A job spec's run plan as a Kubeflow Spark Operator SparkApplication (or ScheduledSparkApplication). Pure.
import type { JobSpec } from "../jobspec/schema.js";
import { isLocalPath } from "../submit/context.js";
import type { PlanProblem, SecretPlace } from "../submit/types.js";
import { cronProblem } from "./cron.js";
import { UPLOAD_STAND_IN } from "./operator-job.js";
import { argAfter, type SubmitParts } from "./plan-argv.js";

export const API_VERSION = "sparkoperator.k8s.io/v1beta2";
// Where the image keeps mlship (docs/scheduling.md "The image"): spark-scripts/ as in the repository, with build/.
export const IMAGE_HOME = "/opt/mlship";
// Where the driver pod mounts the Secret holding the job description.
export const JOB_MOUNT = "/etc/mlship/job";
export const JOB_FILE_NAME = "mlship-job.json";
const IMAGE_KEY = "spark.kubernetes.container.image";

export interface OperatorInput {
  spec: JobSpec; // as planned (data paths absolute)
  parts: SubmitParts; // the plan's spark-submit argv, read back
  secrets: SecretPlace[]; // where the plan sends each secret-bearing field
  runId: string;
  local: { runtimeZip: string; jobFile: string }; // mlship's own files in the plan: the image's runtime zip, the job Secret
  image?: string | undefined; // --image, when spark.conf has no container image
  sparkVersion?: string | undefined;
  schedule?: string | undefined;
  namespace?: string | undefined;
  serviceAccount?: string | undefined;
  jobSecret?: string | undefined; // the Kubernetes Secret holding mlship-job.json (default mlship-NAME-job)
  envSecret?: string | undefined; // the Kubernetes Secret holding secret spark.env values (default mlship-NAME-env)
}

export type Manifest = Record<string, unknown>;
export type OperatorResult =
  | { ok: true; manifest: Manifest; notes: string[]; jobSecret: string; envSecret: string }
  | { ok: false; problems: PlanProblem[] };

// The spec's `concurrency` (forbid | replace | allow, default forbid) as the operator's concurrencyPolicy.
export function concurrencyPolicy(spec: JobSpec): "Forbid" | "Replace" | "Allow" {
  const value = (spec as { concurrency?: unknown }).concurrency;
  return value === "replace" ? "Replace" : value === "allow" ? "Allow" : "Forbid";
}

// A DNS-1123 name from the job's name; short enough for the operator's "-<unix nanos>" run suffix and "-driver".
export function k8sName(job: string): string {
  const name = `mlship-${job.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.slice(0, 40);
  return name.replace(/-+$/, "");
}

const DEPS: Record<string, string> = {
  "--jars": "jars",
  "--packages": "packages",
  "--exclude-packages": "excludePackages",
  "--repositories": "repositories",
  "--py-files": "pyFiles",
  "--files": "files",
  "--archives": "archives",
};
// spark-submit options a pod-based run has no use for, and why they are left out.
const DROPPED: Record<string, string> = {
  "--queue": "spark.queue is YARN's",
  "--principal": "spark.principal/keytab are read on the submitting machine",
  "--keytab": "spark.principal/keytab are read on the submitting machine",
  "--total-executor-cores": "spark.totalExecutorCores is a standalone setting (use spark.executor.instances)",
  "--properties-file": "spark.propertiesFile is a file on this machine (put its settings in spark.conf)",
};
// Conf entries that describe this machine, not the pods.
const LOCAL_CONF = new Set(["spark.jars.ivy"]);

// What the operator cannot run, known from the spec and the flags alone (reported with planRun's problems too).
export function specProblems(spec: JobSpec, input: Pick<OperatorInput, "sparkVersion" | "schedule">): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (spec.entrypoint) problems.push({ path: "entrypoint", message: "render writes manifests for the built-in trainer only; leave out entrypoint" });
  if (input.sparkVersion === undefined) problems.push({ path: "spark", message: "the Spark version of the image is unknown (no local Spark to read it from): pass --spark-version" });
  if (input.schedule !== undefined) {
    const bad = cronProblem(input.schedule);
    if (bad) problems.push({ path: "--schedule", message: bad });
  }
  if (isLocalPath(spec.data.train)) problems.push({ path: "data.train", message: `the pods cannot read data on this machine (${spec.data.train}): use an s3a:// (or other cluster) URI` });
  return problems;
}

// Builds the manifest; every reason the operator could not run it comes back at once.
export function renderSparkOperator(input: OperatorInput): OperatorResult {
  const { spec, parts } = input;
  const notes: string[] = [];
  const name = k8sName(spec.name);
  const jobSecret = input.jobSecret ?? `${name}-job`;
  const envSecret = input.envSecret ?? `${name}-env`;

  const problems: PlanProblem[] = specProblems(spec, input);
  const image = parts.conf[IMAGE_KEY] ?? input.image;
  if (image === undefined) problems.push({ path: `spark.conf.${IMAGE_KEY}`, message: "the pods need an image with Spark, Python and mlship's spark-scripts: set it in spark.conf or pass --image" });
  const out = argAfter(parts.app.args, "--out") ?? "";
  if (isLocalPath(out)) problems.push({ path: "store", message: `the pods cannot write a store on this machine (${out}): use --store s3://bucket/prefix` });

  const deps: Record<string, string[]> = {};
  for (const [flag, values] of Object.entries(parts.lists)) {
    const field = DEPS[flag];
    if (field === undefined) continue;
    const kept: string[] = [];
    for (const v of values) {
      if (v === input.local.jobFile) continue; // mounted from the job Secret instead
      if (v === input.local.runtimeZip) kept.push(`local://${IMAGE_HOME}/spark-scripts/build/mlship_runtime.zip`);
      else if (field !== "packages" && field !== "excludePackages" && field !== "repositories" && isLocalPath(v)) {
        problems.push({ path: `spark.${field}`, message: `${v} is a file on this machine: use a local:// path inside the image or a URI the pods reach` });
      } else kept.push(v);
    }
    if (kept.length > 0) deps[field] = kept;
  }
  for (const [flag, why] of Object.entries(DROPPED)) if (parts.flags[flag] !== undefined) notes.push(`not rendered: ${why}`);

  const sparkConf = Object.fromEntries(Object.entries(parts.conf).filter(([k, v]) => k !== IMAGE_KEY && !LOCAL_CONF.has(k) && v !== UPLOAD_STAND_IN));
  if (parts.flags["--driver-class-path"] !== undefined) sparkConf["spark.driver.extraClassPath"] = parts.flags["--driver-class-path"];
  for (const place of input.secrets) {
    if (place.field.startsWith("spark.conf.")) {
      notes.push(`${place.field} carries a secret and is not in the manifest: give it to the pods from a Kubernetes Secret (docs/scheduling.md)`);
    } else if (place.via === input.local.jobFile) {
      notes.push(`${place.field} is a secret: it travels inside the job description, in Secret ${jobSecret}`);
    }
  }
  const secretEnv = new Set(input.secrets.filter((p) => p.via === "environment").map((p) => p.field.replace(/^spark\.env\./, "")));
  const env = Object.keys(spec.spark.env)
    .sort()
    .map((k) => (secretEnv.has(k) ? { name: k, valueFrom: { secretKeyRef: { name: envSecret, key: k } } } : { name: k, value: spec.spark.env[k] }));
  if (secretEnv.size > 0) notes.push(`secret spark.env values come from Secret ${envSecret} (keys: ${[...secretEnv].sort().join(", ")})`);

  if (problems.length > 0) return { ok: false, problems };
  const labels = { "app.kubernetes.io/managed-by": "mlship", "mlship.dev/job": k8sName(spec.name).slice("mlship-".length) };
  const { driver, executor } = spec.spark;
  const optional = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const appSpec = optional({
    type: "Python",
    pythonVersion: "3",
    mode: "cluster",
    image,
    sparkVersion: input.sparkVersion,
    mainApplicationFile: `local://${IMAGE_HOME}/spark-scripts/mlship_train.py`,
    arguments: ["--job-file", `${JOB_MOUNT}/${JOB_FILE_NAME}`, "--out", out, "--run-id", input.runId],
    sparkConf: Object.keys(sparkConf).length > 0 ? sparkConf : undefined,
    deps: Object.keys(deps).length > 0 ? deps : undefined,
    proxyUser: spec.spark.proxyUser,
    // mlship retries by cause (a data error never); the operator would retry every failure alike.
    restartPolicy: { type: "Never" },
    driver: optional({
      cores: driver.cores,
      memory: driver.memory,
      javaOptions: driver.javaOptions,
      serviceAccount: input.serviceAccount,
      labels,
      secrets: [{ name: jobSecret, path: JOB_MOUNT, secretType: "Generic" }],
      env: env.length > 0 ? env : undefined,
    }),
    executor: optional({ cores: executor.cores, memory: executor.memory, instances: executor.instances, labels, env: env.length > 0 ? env : undefined }),
  });
  const metadata = optional({ name, namespace: input.namespace, labels });
  const manifest: Manifest =
    input.schedule === undefined
      ? { apiVersion: API_VERSION, kind: "SparkApplication", metadata, spec: appSpec }
      : { apiVersion: API_VERSION, kind: "ScheduledSparkApplication", metadata, spec: { schedule: input.schedule, concurrencyPolicy: concurrencyPolicy(spec), template: appSpec } };
  return { ok: true, manifest, notes, jobSecret, envSecret };
}

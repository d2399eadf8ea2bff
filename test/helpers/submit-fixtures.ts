// Shared fixtures for the submit tests: a valid spec with defaults applied, and a plan runner.
import { jobSpecSchema, type JobSpec } from "../../src/jobspec/schema.js";
import { buildPlan, type PlanResult, type SparkBuild } from "../../src/submit/index.js";

export const ROOT = "/opt/mlship-checkout";
export const SPARK_SUBMIT = "/opt/spark/bin/spark-submit";
export const RUN_ID = "20261127-080000-ab12";
export const OUT = "s3a://ml-artifacts/mlship/runs/churn/20261127-080000-ab12/model";
export const RUN_DIR = "/tmp/mlship-run-AbCdEf";

// A spec object before parsing; tests spread their own fields over it.
export const BASE = {
  name: "churn",
  model: {
    algorithm: "logistic_regression",
    params: { maxIter: 50 },
    label: "churned",
    features: { numeric: ["tenure"], categorical: ["contract"] },
  },
  data: { train: "s3a://data/churn/" },
};

// Parses through the real schema so defaults apply exactly as for a user's spec.
export function makeSpec(over: Record<string, unknown> = {}): JobSpec {
  return jobSpecSchema.parse({ ...BASE, ...over });
}

export function plan(
  over: Record<string, unknown> = {},
  opts: { env?: Record<string, string | undefined>; outUri?: string; secrets?: string[]; sparkBuild?: SparkBuild; eventLogDir?: string; supervisorPid?: number } = {},
): PlanResult {
  return buildPlan({
    spec: makeSpec(over),
    runId: RUN_ID,
    outUri: opts.outUri ?? OUT,
    projectRoot: ROOT,
    sparkSubmit: SPARK_SUBMIT,
    env: opts.env ?? {},
    runDir: RUN_DIR,
    secrets: opts.secrets ?? [],
    ...(opts.sparkBuild ? { sparkBuild: opts.sparkBuild } : {}),
    ...(opts.eventLogDir ? { eventLogDir: opts.eventLogDir } : {}),
    ...(opts.supervisorPid !== undefined ? { supervisorPid: opts.supervisorPid } : {}),
  });
}

// Replaces the checkout path so snapshots do not depend on where the test runs.
export const mask = (s: string): string => s.replaceAll(ROOT, "<root>");

// The plan's argv (masked), failing the test with the problems when there are any.
export function argvOf(over: Record<string, unknown> = {}, opts: Parameters<typeof plan>[1] = {}): string[] {
  const r = plan(over, opts);
  if (!r.ok) throw new Error(`unexpected problems: ${JSON.stringify(r.problems, null, 2)}`);
  return r.plan.argv.map(mask);
}

export function warningsOf(over: Record<string, unknown> = {}, opts: Parameters<typeof plan>[1] = {}): string[] {
  const r = plan(over, opts);
  if (!r.ok) throw new Error(`unexpected problems: ${JSON.stringify(r.problems, null, 2)}`);
  return r.plan.warnings.map(mask);
}

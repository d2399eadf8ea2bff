// Rules across the fields of one schema object, shared by the zod schema and the precompiled check (shape-parse.ts).
import { METRIC_DIRECTIONS, metricDirection } from "../registry/metrics.js";
import { DURATION_EXPECTED, parseDuration } from "../retry/duration.js";

export interface RefineIssue {
  path: string[];
  message: string;
}

// promote.when: notWorseThanCurrentBy needs a metric whose better direction is known (registry/metrics.ts).
export function promoteWhenIssue(when: { metric: string; notWorseThanCurrentBy?: number | undefined }): RefineIssue | undefined {
  if (when.notWorseThanCurrentBy === undefined || metricDirection(when.metric)) return undefined;
  const known = Object.keys(METRIC_DIRECTIONS).join(", ");
  return { path: ["metric"], message: `notWorseThanCurrentBy needs a metric whose better direction mlship knows: ${known}` };
}

// The refinements by the name shape descriptions give them.
export const REFINEMENTS: Record<string, (value: never) => RefineIssue | undefined> = {
  "promote.when": promoteWhenIssue,
  timeout: (obj: Record<string, unknown>) => durationIssues(obj, TIMEOUT_DURATIONS)[0],
  retry: (obj: Record<string, unknown>) => durationIssues(obj, RETRY_DURATIONS)[0],
};

// Which refined zod schema carries which refinement (filled where the schema is defined, read by shape-describe.ts).
export const REFINED_BY = new WeakMap<object, string>();

// Duration fields (timeout.run, timeout.noExecutor, retry.backoff): each one a duration src/retry/duration.ts reads.
export function durationIssues(obj: Record<string, unknown>, fields: readonly string[]): RefineIssue[] {
  return fields
    .filter((f) => obj[f] !== undefined && parseDuration(obj[f]) === null)
    .map((f) => ({ path: [f], message: `expected ${DURATION_EXPECTED} (more than 0, at most a week)` }));
}

export const TIMEOUT_DURATIONS = ["run", "noExecutor"] as const;
export const RETRY_DURATIONS = ["backoff"] as const;

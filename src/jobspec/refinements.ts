// Rules across the fields of one schema object, shared by the zod schema and the precompiled check (shape-parse.ts).
import { METRIC_DIRECTIONS, metricDirection } from "../registry/metrics.js";

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
};

// Which refined zod schema carries which refinement (filled where the schema is defined, read by shape-describe.ts).
export const REFINED_BY = new WeakMap<object, string>();

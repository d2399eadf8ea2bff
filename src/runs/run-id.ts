// Run ids and where a run's files live in the store: cheap to import (no record schemas), so `plan` can name a run.
import { randomBytes } from "node:crypto";

export const runPrefix = (job: string, runId: string) => `runs/${job}/${runId}`;
export const runKey = (job: string, runId: string) => `${runPrefix(job, runId)}/run.json`;

// A sortable, unique run id: UTC time to the second plus 6 random hex digits.
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

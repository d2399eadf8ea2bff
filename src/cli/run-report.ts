// The report train and update write into the run folder: rendered after registration, a failure only warned about.
import type { Context } from "./context.js";
import { info } from "./output.js";
import type { VersionRecord } from "../registry/records.js";
import { runPrefix } from "../runs/record.js";
import type { Store } from "../store/types.js";

// Writes runs/<job>/<run-id>/report.html; its path or URI, or null (with a warning on stderr) when it could not be drawn.
export async function writeReportOfRun(ctx: Context, store: Store, version: VersionRecord): Promise<string | null> {
  const { writeRunReport } = await import("../report/run-report.js");
  const written = await writeRunReport(store, version, runPrefix(version.lineage.job, version.lineage.runId));
  if (written.ok) return written.location;
  info(ctx, `mlship: warning: the version is registered, but its report could not be written: ${written.reason} (try: mlship report ${version.model}@${version.version})`);
  return null;
}

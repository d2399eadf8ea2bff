// The report `train` and `update` leave in the run folder (runs/<job>/<run-id>/report.html, beside run.json).
import type { VersionRecord } from "../registry/records.js";
import type { Store } from "../store/types.js";
import { reportData } from "./data.js";
import { renderReport } from "./page.js";

export const RUN_REPORT = "report.html";

// Renders the version's report into its run folder; the path (local store) or URI (S3) of the file, or why not:
// a report that cannot be drawn never fails the run that registered the version.
export async function writeRunReport(store: Store, record: VersionRecord, runPrefix: string): Promise<{ ok: true; location: string } | { ok: false; reason: string }> {
  try {
    const key = `${runPrefix}/${RUN_REPORT}`;
    await store.put(key, renderReport(await reportData(store, record)));
    return { ok: true, location: store.localPath(key) ?? `${store.location.replace(/\/+$/, "")}/${key}` };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

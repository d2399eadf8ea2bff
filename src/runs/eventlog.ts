// Where a run's Spark event log goes, and archiving it into the store under runs/<job>/<run-id>/eventlog/.
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { JobSpec } from "../jobspec/schema.js";
import type { Store } from "../store/types.js";

export interface EventLogPlace {
  uri?: string; // spark.eventLog.dir for this run; undefined: mlship does not turn the event log on
  local?: string; // a local folder to copy into the store after the run
}

// Event logs Spark compressed (spark.eventLog.compression.codec): stored as they are, not redacted as text.
const COMPRESSED = /\.(lz4|lzf|snappy|zstd)(\.inprogress)?$/;

// Client mode: a local scratch folder, copied afterwards. Cluster mode: straight into an S3 store through s3a;
// a cluster-mode driver cannot write this machine's disk, so a local store gets none. The spec's own
// spark.eventLog settings win: mlship then leaves the event log alone.
export function eventLogPlace(spec: JobSpec, store: Pick<Store, "sparkUri" | "localPath">, runPrefix: string, scratch: string): EventLogPlace {
  const conf = spec.spark.conf;
  if (conf["spark.eventLog.enabled"] !== undefined || conf["spark.eventLog.dir"] !== undefined) return {};
  if (spec.spark.deployMode === "client") {
    const local = join(scratch, "eventlog");
    return { uri: pathToFileURL(local).href, local };
  }
  return store.localPath(runPrefix) === undefined ? { uri: store.sparkUri(`${runPrefix}/eventlog`) } : {};
}

// Copies every file of the local event log folder into the store (text logs redacted); missing is a result.
export async function archiveEventLog(
  store: Store,
  keyPrefix: string,
  dir: string,
  redact: (s: string) => string,
): Promise<{ ok: true; files: string[] } | { ok: false; reason: string }> {
  let names: string[];
  try {
    // Spark 4 rolls event logs by default: a folder eventlog_v2_<app-id>/ holding events_<n>_<app-id>[.zstd] files.
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    names = entries.filter((d) => d.isFile()).map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join("/")).sort();
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (names.length === 0) return { ok: false, reason: "Spark wrote no event log" };
  try {
    for (const name of names) {
      const body = await readFile(join(dir, name));
      await store.put(`${keyPrefix}/${name}`, COMPRESSED.test(name) ? body : redact(body.toString("utf8")));
    }
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  return { ok: true, files: names };
}

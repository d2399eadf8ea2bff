// mlship runs logs RUN_ID [--event-log]: print a run's archived driver log, or its Spark event log.
import type { Context } from "../context.js";
import { printJson } from "../output.js";
import { openStoreFor } from "../store.js";
import { FatalError } from "../../errors.js";
import { runFiles, runPrefix } from "../../runs/record.js";
import { locateRun } from "./runs-show.js";

// Spark writes compressed event logs with the codec as the file extension.
const COMPRESSED = /\.(lz4|lzf|snappy|zstd|zst)$/;

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean; eventLog?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const { job, runId } = await locateRun(store, ref);
  const prefix = runPrefix(job, runId);
  const names = opts.eventLog ? (await runFiles(store, job, runId)).filter((f) => f.startsWith("eventlog/")) : ["driver.log"];
  const files = [];
  for (const name of names) {
    const got = await store.get(`${prefix}/${name}`);
    if (!got.ok) continue;
    const compressed = COMPRESSED.test(name);
    files.push({ key: `${prefix}/${name}`, bytes: got.body.length, compressed, text: compressed ? null : Buffer.from(got.body).toString("utf8") });
  }
  if (files.length === 0) {
    const what = opts.eventLog ? "no Spark event log (runs/<job>/<run>/eventlog/)" : "no driver.log";
    throw new FatalError(`run ${job}/${runId} has ${what} in ${store.location}`, "E_NO_LOG");
  }
  if (opts.json) {
    printJson(ctx, { runId, job, kind: opts.eventLog ? "event-log" : "driver-log", files });
    return 0;
  }
  for (const f of files) {
    if (f.text === null) ctx.stderr.write(`mlship: ${f.key} is compressed (${f.bytes} bytes); read it with Spark's history server or: ${store.sparkUri(f.key)}\n`);
    else ctx.stdout.write(f.text.endsWith("\n") || f.text === "" ? f.text : `${f.text}\n`);
  }
  return 0;
}

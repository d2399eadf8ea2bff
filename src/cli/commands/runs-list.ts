// mlship runs list [--job J] [--status S] [--limit N]: recent runs, newest first.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { listRuns, readRunRecord, type RunRecord } from "../../runs/record.js";
import { SHOWN_STATUSES, withShownStatus } from "../../runs/liveness.js";
import { checkedName } from "../../registry/index.js";
import { contained, printDamage, printTable, type Damage } from "./registry-shared.js";

const STATUSES: readonly string[] = SHOWN_STATUSES; // `lost` is computed on read (src/runs/liveness.ts)

export async function run(ctx: Context, opts: { store?: string; json?: boolean; job?: string; status?: string; limit?: string }): Promise<number> {
  if (opts.status !== undefined && !STATUSES.includes(opts.status)) throw new UserError(`--status: expected one of ${STATUSES.join(", ")}, got "${opts.status}"`, "E_USAGE");
  const limit = opts.limit === undefined ? 20 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit: expected a whole number >= 1, got "${opts.limit}"`, "E_USAGE");
  if (opts.job !== undefined) checkedName(opts.job, "job name");
  const store = openStoreFor(ctx, opts.store);
  const runs: ReturnType<typeof withShownStatus<RunRecord>>[] = [];
  const now = ctx.now();
  // A damaged run.json is listed apart (and counts towards --limit); the other runs as usual.
  const damaged: Damage[] = [];
  for (const { job, runId } of await listRuns(store, opts.job)) {
    if (runs.length + damaged.length >= limit) break;
    const stored = await contained(damaged, () => readRunRecord(store, job, runId));
    const record = stored && withShownStatus(stored, now);
    if (record && (opts.status === undefined || record.status === opts.status)) runs.push(record);
  }
  if (opts.json) {
    printJson(ctx, { store: store.location, runs, damaged });
    return 0;
  }
  if (runs.length === 0 && damaged.length === 0) {
    println(ctx, `no runs${opts.job ? ` of job ${opts.job}` : ""}${opts.status ? ` with status ${opts.status}` : ""} in ${store.location}`);
    return 0;
  }
  const table = [["RUN", "JOB", "STATUS", "SUBMITTED", "DURATION", "VERSION", "SPARK APP"]];
  for (const r of runs) {
    table.push([
      r.runId,
      r.job,
      r.status,
      r.submittedAt.replace(/\.\d+Z$/, "Z"),
      r.durationSeconds === undefined ? "-" : `${r.durationSeconds.toFixed(1)}s`,
      r.registeredVersion === undefined ? "-" : String(r.registeredVersion),
      r.sparkApplicationId ?? "-",
    ]);
  }
  if (runs.length) printTable(ctx, table);
  printDamage(ctx, damaged);
  return 0;
}

// mlship runs show RUN_ID: one run record, with the logs and artifacts it left.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { findRun, readRunRecord, runFiles, runPrefix } from "../../runs/record.js";
import { heartbeatAge, withShownStatus } from "../../runs/liveness.js";
import { remoteId } from "../../remote/driver.js";

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const { job, runId } = await locateRun(store, ref);
  const now = ctx.now();
  const record = withShownStatus((await readRunRecord(store, job, runId))!, now);
  const files = await runFiles(store, job, runId);
  const eventLog = files.filter((f) => f.startsWith("eventlog/"));
  const artifacts = files.filter((f) => f.startsWith("model/"));
  const where = { prefix: runPrefix(job, runId), driverLog: files.includes("driver.log") ? "driver.log" : null, eventLog, artifacts: artifacts.length };
  if (opts.json) {
    printJson(ctx, { ...record, files: where });
    return 0;
  }
  const age = heartbeatAge(record, now);
  const lost = record.recordedStatus ? ` (run.json says ${record.recordedStatus}, but its mlship stopped writing a heartbeat ${age!.toFixed(0)}s ago)` : "";
  println(ctx, `run ${record.runId} (job ${record.job}): ${record.status}${lost}`);
  const line = (label: string, value: string | undefined | null) => value !== undefined && value !== null && println(ctx, `  ${label.padEnd(11)} ${value}`);
  line("submitted", record.submittedAt);
  line("started", record.startedAt);
  line("ended", record.endedAt);
  line("duration", record.durationSeconds === undefined ? undefined : `${record.durationSeconds.toFixed(1)}s`);
  line("exit", record.exitCode === undefined && record.signal == null ? undefined : `${record.exitCode ?? "-"}${record.signal ? ` (signal ${record.signal})` : ""}`);
  line("spark app", record.sparkApplicationId);
  line("spark ui", record.sparkUiUrl);
  line("mlship", record.supervisor ? `pid ${record.supervisor.pid} on ${record.supervisor.host}` : undefined);
  line("remote", record.remote ? `${record.remote.manager} driver ${remoteId(record.remote) ?? "(id not known)"}${record.remote.state ? ` ${record.remote.state}` : ""}` : undefined);
  line("heartbeat", record.heartbeatAt === undefined ? undefined : `${record.heartbeatAt} (every ${record.heartbeatSeconds ?? "?"}s)`);
  line("spec", `${record.specFile} sha256:${record.specSha256.slice(0, 12)}${record.profile ? ` profile ${record.profile}` : ""}`);
  line("git", record.gitCommit ?? "-");
  line("metrics", record.metrics && Object.keys(record.metrics).length ? Object.entries(record.metrics).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join("  ") : undefined);
  line("registered", record.registeredVersion === undefined ? undefined : `${record.job}@${record.registeredVersion}`);
  line("error", record.error === undefined ? undefined : `${record.error.split("\n")[0]}${record.errorCode ? ` (${record.errorCode})` : ""}`);
  // Each Spark attempt (the spec's retry:) with its classified cause; shown when there was more than one.
  const attempts = record.attempts ?? [];
  if (attempts.length > 1) {
    for (const a of attempts) line(`attempt ${a.attempt}`, `${a.cause ?? "ok"}${a.code ? ` ${a.code}` : ""} exit ${a.exitCode ?? a.signal ?? "-"}${a.message ? `: ${a.message}` : ""}${a.log ? ` (${a.log})` : ""}`);
  }
  line("argv", record.argv.join(" "));
  line("logs", `${where.driverLog ? "driver.log" : "no driver.log"}${eventLog.length ? `, event log (${eventLog.length} file${eventLog.length === 1 ? "" : "s"})` : ""}`);
  line("artifacts", artifacts.length ? `${store.location}/${where.prefix}/model (${artifacts.length} files)` : "none");
  return 0;
}

// The one run a reference names (RUN_ID or JOB/RUN_ID); a usage error when none or several match.
export async function locateRun(store: Store, ref: string): Promise<{ job: string; runId: string }> {
  const found = await findRun(store, ref);
  if (found.length === 0) throw new UserError(`no run "${ref}" in ${store.location} (see: mlship runs list)`, "E_NOT_FOUND");
  if (found.length > 1) throw new UserError(`run id ${ref} exists under several jobs (${found.map((r) => r.job).join(", ")}); name it as JOB/RUN_ID`, "E_USAGE");
  return found[0]!;
}

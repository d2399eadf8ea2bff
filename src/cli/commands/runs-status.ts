// mlship runs status RUN_ID: the run's status (with `lost`), its identities, its supervisor, and a cluster-mode
// driver's state asked of the cluster while the run has not ended.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { readRunRecord } from "../../runs/record.js";
import { withShownStatus } from "../../runs/liveness.js";
import { locateSupervisor, processProbe } from "../../runs/supervisor.js";
import { remoteTools } from "../../runs/remote-tools.js";
import { parseStatus, remoteId, runRemoteCommand, statusCommand, type RemoteDriver } from "../../remote/index.js";
import { locateRun } from "./runs-show.js";

const ENDED = ["succeeded", "failed", "killed"];

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const { job, runId } = await locateRun(store, ref);
  const record = withShownStatus((await readRunRecord(store, job, runId))!, ctx.now());
  const supervisor = locateSupervisor(record.supervisor, processProbe());
  const live = record.remote && !ENDED.includes(record.status) ? await askCluster(ctx, record.remote) : null;
  if (opts.json) {
    printJson(ctx, {
      runId, job, status: record.status,
      ...(record.recordedStatus ? { recordedStatus: record.recordedStatus } : {}),
      heartbeatAt: record.heartbeatAt ?? null,
      sparkApplicationId: record.sparkApplicationId ?? null,
      sparkUiUrl: record.sparkUiUrl ?? null,
      supervisor: { ...(record.supervisor ?? {}), ...supervisor },
      driverLog: record.driverLog ?? null,
      remote: record.remote ? { ...record.remote, id: remoteId(record.remote), live } : null,
      ...(record.errorCode ? { errorCode: record.errorCode } : {}),
      ...(record.error ? { error: record.error } : {}),
    });
    return 0;
  }
  println(ctx, `run ${runId} (job ${job}): ${record.status}${record.recordedStatus ? ` (run.json says ${record.recordedStatus}; its mlship stopped writing a heartbeat)` : ""}`);
  const line = (label: string, value: string | null | undefined) => value && println(ctx, `  ${label.padEnd(11)} ${value}`);
  line("spark app", record.sparkApplicationId);
  line("spark ui", record.sparkUiUrl);
  line("mlship", record.supervisor ? `pid ${record.supervisor.pid} on ${record.supervisor.host}${supervisor.where === "here" ? (supervisor.alive ? " (alive, this host)" : " (gone)") : supervisor.where === "elsewhere" ? " (another host)" : ""}` : undefined);
  line("heartbeat", record.heartbeatAt);
  line("driver log", ENDED.includes(record.status) ? undefined : record.driverLog);
  if (record.remote) {
    const r = record.remote;
    line("remote", `${r.manager} ${r.master} driver ${remoteId(r) ?? "(not known yet)"}`);
    line("recorded", r.state ? `${r.state} at ${r.stateAt ?? "?"}` : undefined);
    line("live", live ? ("state" in live ? live.state : `not asked: ${live.unavailable}`) : undefined);
    line("killed", r.killed ? `${r.killed.ok ? "yes" : "no"} at ${r.killed.at}: ${r.killed.message}` : undefined);
  }
  line("error", record.error ? `${record.error.split("\n")[0]}${record.errorCode ? ` (${record.errorCode})` : ""}` : undefined);
  return 0;
}

// The remote driver's state as the cluster says it now, or why it could not be asked.
async function askCluster(ctx: Context, remote: RemoteDriver): Promise<{ state: string } | { unavailable: string }> {
  const { tools, env } = remoteTools(ctx.env, ctx.projectRoot);
  if (!tools) return { unavailable: "no spark-submit on this machine" };
  const asked = await runRemoteCommand(statusCommand(remote, tools), { env, timeoutMs: 60_000 });
  if (!asked.ok) return { unavailable: asked.message };
  const state = parseStatus(remote, asked.output);
  return state ? { state } : { unavailable: "the cluster's answer names no state" };
}

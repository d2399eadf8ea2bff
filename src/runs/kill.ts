// `mlship runs kill`: stops a run from another shell. Its supervisor on this host gets SIGTERM (it stops Spark,
// kills a cluster-mode driver and records `killed`); a cluster-mode driver whose supervisor is not here is killed
// through the cluster; a run whose supervisor is gone is recorded `killed`.
import { FatalError } from "../errors.js";
import type { Store } from "../store/types.js";
import { killCommand, remoteId, type CommandResult, type RemoteCommand, type Tools } from "../remote/index.js";
import { readRunRecord, writeRunRecord, type RunRecord } from "./record.js";
import { shownStatus } from "./liveness.js";
import { locateSupervisor, type Probe } from "./supervisor.js";

export interface KillWorld {
  store: Store;
  now: () => Date;
  probe: Probe;
  signal: (pid: number) => void; // SIGTERM to the supervisor
  tools: Tools | null; // null: no spark-submit here
  run: (command: RemoteCommand) => Promise<CommandResult>;
  sleep: (ms: number) => Promise<void>;
  progress: (message: string) => void;
  waitSeconds: number; // how long the supervisor gets to record the end
}

export interface KillOutcome {
  runId: string;
  job: string;
  status: string; // the record's status afterwards
  how: string[]; // what was done, one line each
}

const ENDED = new Set(["succeeded", "failed", "killed"]);

// Stops the run; throws E_RUN_ENDED for a run that had ended, E_KILL_FAILED when it cannot be stopped from here.
export async function killRun(world: KillWorld, job: string, runId: string): Promise<KillOutcome> {
  const record = (await readRunRecord(world.store, job, runId))!;
  if (ENDED.has(record.status)) {
    throw new FatalError(`run ${runId} already ended (${record.status}${record.endedAt ? ` at ${record.endedAt}` : ""}); nothing to stop`, "E_RUN_ENDED");
  }
  const how: string[] = [];
  const lost = shownStatus(record, world.now()) === "lost";
  const supervisor = locateSupervisor(record.supervisor, world.probe);

  if (supervisor.where === "here" && supervisor.alive) {
    world.signal(supervisor.pid);
    how.push(`sent SIGTERM to its mlship (pid ${supervisor.pid}), which stops Spark${record.remote ? " and the remote driver" : ""}`);
    world.progress(how[0]!);
    const ended = await waitForEnd(world, job, runId);
    if (ended) return { runId, job, status: ended.status, how };
    if (!record.remote) throw new FatalError(`run ${runId}: its mlship (pid ${supervisor.pid}) did not record the end within ${world.waitSeconds}s`, "E_KILL_FAILED");
    how.push(`its mlship did not record the end within ${world.waitSeconds}s`);
  }

  const supervisorGone = lost || (supervisor.where === "here" && !supervisor.alive);
  if (record.remote) {
    const latest = (await readRunRecord(world.store, job, runId)) ?? record;
    const remote = latest.remote ?? record.remote;
    if (!world.tools) throw new FatalError(`run ${runId}: no spark-submit on this machine to kill the remote driver ${remoteId(remote) ?? ""}`, "E_KILL_FAILED");
    const command = killCommand(remote, world.tools);
    const done = await world.run(command);
    if (!done.ok) throw new FatalError(`run ${runId}: the remote driver was not killed: ${done.message}`, "E_KILL_FAILED");
    how.push(`killed the remote driver ${remoteId(remote)} (${command.ok ? command.argv.slice(1).join(" ") : ""})`);
    if (!supervisorGone && supervisor.where !== "here") {
      // Its mlship, on another host, sees the driver end and records it.
      const ended = await waitForEnd(world, job, runId);
      return { runId, job, status: ended?.status ?? latest.status, how };
    }
    remote.killed = { at: world.now().toISOString(), ok: true, message: how.at(-1)! };
    return { runId, job, status: await markKilled(world, latest, { ...latest, remote }, how), how };
  }

  if (supervisorGone) {
    how.push("its mlship is gone (the driver, supervised by its watchdog, ended with it)");
    return { runId, job, status: await markKilled(world, record, record, how), how };
  }
  const where = supervisor.where === "elsewhere" ? `pid ${supervisor.pid} on ${supervisor.host}` : "an unknown process (a record without a supervisor)";
  throw new FatalError(`run ${runId} runs in client mode under mlship ${where}; stop it there: mlship runs kill ${runId}`, "E_KILL_FAILED");
}

// Waits until run.json says the run ended; the record then, or null after waitSeconds.
async function waitForEnd(world: KillWorld, job: string, runId: string): Promise<RunRecord | null> {
  const deadline = Date.now() + world.waitSeconds * 1000;
  while (Date.now() < deadline) {
    const now = await readRunRecord(world.store, job, runId).catch(() => null);
    if (now && ENDED.has(now.status)) return now;
    await world.sleep(500);
  }
  return null;
}

// Records a run whose supervisor cannot any more as killed.
async function markKilled(world: KillWorld, before: RunRecord, record: RunRecord, how: string[]): Promise<string> {
  const endedAt = world.now().toISOString();
  await writeRunRecord(world.store, {
    ...record,
    status: "killed",
    endedAt,
    errorCode: "E_KILLED",
    error: `killed by mlship runs kill: ${how.join("; ")}`,
    ...(before.startedAt ? { durationSeconds: (Date.parse(endedAt) - Date.parse(before.startedAt)) / 1000 } : {}),
  });
  return "killed";
}

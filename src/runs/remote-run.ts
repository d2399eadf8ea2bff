// A cluster-mode run's remote driver, seen from the supervising `train`/`update`: its identity and states from
// spark-submit's output into run.json as they appear, its kill on interrupt, and its state polled to the end when
// the submitter returned early (its wait turned off). docs/operations.md, "Cluster deploy mode".
import { parseSubmitLine } from "../launch/submit-output.js";
import { killCommand, mergeFacts, remoteId, remoteOutcome, runRemoteCommand, statusCommand, parseStatus, type RemoteDriver, type Tools } from "../remote/index.js";
import type { RunRecord } from "./record.js";
import type { LiveRecord } from "./live-record.js";

const KILL_TIMEOUT_MS = 180_000;

export interface RemoteWorld {
  env: Record<string, string | undefined>;
  now: () => Date;
  progress: (message: string) => void;
  tools: Tools;
  pollMs?: number; // between status queries (default 5 s)
  idWaitMs?: number; // on interrupt, how long to wait for spark-submit to name the driver (default 30 s)
  sleep?: (ms: number, stop: AbortSignal) => Promise<void>;
}

export interface RemoteTracker {
  onLine(line: string): void; // each line of spark-submit's output
  kill(): Promise<void>; // kills the remote driver (once), recording how it went
  follow(stop: AbortSignal): Promise<string | null>; // after spark-submit ended: polls until the driver ends; null, or why it could not
}

// Tracks `record.remote` (already set to the manager and master) and keeps run.json current.
export function remoteTracker(world: RemoteWorld, record: RunRecord & { remote: RemoteDriver }, live: LiveRecord): RemoteTracker {
  const remote = record.remote;
  let killing: Promise<void> | null = null;
  const save = () => void live.write().catch((err: unknown) => world.progress(`warning: run.json not updated: ${err instanceof Error ? err.message : String(err)}`));
  return {
    onLine(line) {
      const facts = parseSubmitLine(line);
      if (!facts) return;
      const hadId = remoteId(remote) !== null;
      if (!mergeFacts(remote, facts, world.now())) return;
      const id = remoteId(remote);
      if (!hadId && id !== null) world.progress(`${remote.manager} driver ${id} submitted (mlship runs kill ${record.runId} stops it)`);
      save();
    },
    kill() {
      killing ??= (async () => {
        // Interrupted between the submit and the id: spark-submit still runs and will print it shortly.
        const deadline = Date.now() + (world.idWaitMs ?? 30_000);
        while (remoteId(remote) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
        const id = remoteId(remote);
        world.progress(id ? `killing the remote driver ${id}…` : "the remote driver's id is not known yet; it cannot be killed by name");
        // Generous: Spark's client is a JVM, slow to start on a loaded machine, and an unkilled driver outlives the run.
        const done = await runRemoteCommand(killCommand(remote, world.tools), { env: world.env, timeoutMs: KILL_TIMEOUT_MS });
        remote.killed = { at: world.now().toISOString(), ok: done.ok, message: done.ok ? `killed ${id}` : done.message };
        world.progress(done.ok ? `remote driver ${id} killed` : `warning: the remote driver was not killed: ${done.message}`);
        await live.write().catch(() => undefined);
      })();
      return killing;
    },
    async follow(stop) {
      if (remoteOutcome(remote.manager, remote.state) !== null) return null;
      const command = statusCommand(remote, world.tools);
      if (!command.ok) return `spark-submit returned while the driver was ${remote.state ?? "in an unknown state"}, and its state cannot be asked: ${command.reason}`;
      world.progress(`spark-submit returned; following the remote driver ${remoteId(remote)} (${remote.state ?? "state unknown"})`);
      const sleep = world.sleep ?? abortableSleep;
      let failures = 0;
      while (!stop.aborted) {
        const asked = await runRemoteCommand(command, { env: world.env });
        const state = asked.ok ? parseStatus(remote, asked.output) : null;
        if (state === null) {
          if (++failures >= 3) return `the remote driver's state could not be asked three times in a row: ${asked.ok ? "no state in the answer" : asked.message}`;
        } else {
          failures = 0;
          if (mergeFacts(remote, { state }, world.now())) save();
          if (remoteOutcome(remote.manager, state) !== null) return null;
        }
        await sleep(world.pollMs ?? 5000, stop);
      }
      return null; // stopped: the caller kills the driver
    },
  };
}

// Resolves after `ms`, or at once when `stop` is aborted.
function abortableSleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop.removeEventListener("abort", done);
      resolve();
    }
    stop.addEventListener("abort", done, { once: true });
  });
}

// How a cluster-mode run's remote driver ended, as a failure to record; null when it finished well.
export function remoteEnding(remote: RemoteDriver, followProblem: string | null): { status: "failed" | "killed"; code: "E_RUN_FAILED" | "E_KILLED"; message: string } | null {
  const id = remoteId(remote) ?? "(id unknown)";
  const outcome = remoteOutcome(remote.manager, remote.state);
  if (outcome === "succeeded") return null;
  if (outcome === "killed") return { status: "killed", code: "E_KILLED", message: `the remote driver ${id} was killed (state ${remote.state}); nothing registered` };
  if (outcome === "failed") return { status: "failed", code: "E_RUN_FAILED", message: `the remote driver ${id} ended ${remote.state}; nothing registered` };
  const kill = killCommand(remote, { sparkSubmit: "spark-submit", yarn: "yarn" });
  const hint = kill.ok ? `; if it still runs, stop it with: ${kill.argv.join(" ")}` : "";
  return { status: "failed", code: "E_RUN_FAILED", message: `the remote driver ${id} was not followed to its end (${followProblem ?? `last state ${remote.state ?? "unknown"}`})${hint}` };
}

// An AbortSignal for the time after spark-submit ended: aborted by SIGINT/SIGTERM or by the run's own stop.
export function interruptWatch(stop?: AbortSignal): { signal: AbortSignal; by: () => "SIGINT" | "SIGTERM" | null; dispose: () => void } {
  const controller = new AbortController();
  let by: "SIGINT" | "SIGTERM" | null = null;
  const on = (sig: "SIGINT" | "SIGTERM") => () => {
    by ??= sig;
    controller.abort();
  };
  const sigint = on("SIGINT");
  const sigterm = on("SIGTERM");
  process.on("SIGINT", sigint);
  process.on("SIGTERM", sigterm);
  stop?.addEventListener("abort", sigterm, { once: true });
  if (stop?.aborted) sigterm();
  return {
    signal: controller.signal,
    by: () => by,
    dispose: () => {
      process.off("SIGINT", sigint);
      process.off("SIGTERM", sigterm);
      stop?.removeEventListener("abort", sigterm);
    },
  };
}

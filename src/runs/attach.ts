// `mlship runs attach`: follows a run from another shell: the new lines of its live driver log (on the supervisor's
// host), its status changes, and, once it ends, the rest of the log from the store; returns how it ended.
import { isEventLine } from "../launch/driver-event.js";
import type { Store } from "../store/types.js";
import { readRunRecord, runPrefix, type RunRecord } from "./record.js";
import { shownStatus, type ShownStatus } from "./liveness.js";
import { linesAfter, logTail, type LogTail } from "./follow-log.js";
import type { Probe } from "./supervisor.js";

export interface AttachWorld {
  store: Store;
  now: () => Date;
  probe: Probe;
  sleep: (ms: number) => Promise<void>;
  line: (text: string) => void; // a line of the driver log
  note: (text: string) => void; // a status change
  pollMs?: number; // default 1 s
}

const ENDED: ShownStatus[] = ["succeeded", "failed", "killed", "lost"];

// Follows until the run ends (or is lost); the last record and its shown status.
export async function attachRun(world: AttachWorld, job: string, runId: string): Promise<{ record: RunRecord; status: ShownStatus }> {
  let tail: LogTail | null = null;
  let tailPath: string | undefined;
  let shown: ShownStatus | null = null;
  let record = (await readRunRecord(world.store, job, runId))!;
  for (;;) {
    const status = shownStatus(record, world.now());
    if (status !== shown) {
      world.note(`run ${runId}: ${status}${status === "running" && record.supervisor ? ` (mlship pid ${record.supervisor.pid} on ${record.supervisor.host})` : ""}`);
      shown = status;
      if (status === "running" && (!record.driverLog || record.supervisor?.host !== world.probe.host)) {
        world.note("its driver log is on another host: following run.json's status only");
      }
    }
    const here = record.driverLog !== undefined && record.supervisor?.host === world.probe.host;
    if (here && record.driverLog !== tailPath) {
      tailPath = record.driverLog;
      tail = logTail(record.driverLog!);
    }
    if (tail) for (const l of (await tail.read()).lines) if (!isEventLine(l)) world.line(l);
    if (ENDED.includes(status)) {
      if (tail && status !== "lost") await archivedRest(world, job, runId, tail.offset);
      return { record, status };
    }
    await world.sleep(world.pollMs ?? 1000);
    record = (await readRunRecord(world.store, job, runId).catch(() => null)) ?? record;
  }
}

// The lines the live log had not shown yet, from the driver.log the run archived (the same bytes, redacted alike).
async function archivedRest(world: AttachWorld, job: string, runId: string, offset: number): Promise<void> {
  // The run writes driver.log to the store before its final run.json, so it is there once the status says ended.
  const got = await world.store.get(`${runPrefix(job, runId)}/driver.log`);
  if (!got.ok) return;
  for (const l of linesAfter(Buffer.from(got.body), offset)) if (!isEventLine(l)) world.line(l);
}

// run.json while a run runs: every write goes through one queue (so none overtakes another), and a heartbeat
// refreshes `heartbeatAt` every few seconds so that readers can tell a run whose supervisor vanished (liveness.ts).
import type { Store } from "../store/types.js";
import { writeRunRecord, type RunRecord } from "./record.js";

export interface LiveRecord {
  write(): Promise<void>; // writes the record as it is now, after every earlier write; rejects when this write fails
  startHeartbeat(): void; // from now on, a write every interval (a failed heartbeat is reported, never thrown)
  stop(): Promise<void>; // no more heartbeats; resolves when every queued write has ended
}

export interface LiveRecordOptions {
  now: () => Date;
  everySeconds: number;
  onHeartbeatError?: (err: unknown) => void;
}

// Keeps `record` (mutated by the caller) written to the store, in order, with a heartbeat.
export function liveRecord(store: Store, record: RunRecord, opts: LiveRecordOptions): LiveRecord {
  let queue: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    const next = queue.then(() => {
      record.heartbeatAt = opts.now().toISOString();
      record.heartbeatSeconds = opts.everySeconds;
      return writeRunRecord(store, record);
    });
    queue = next.catch(() => undefined); // one failed write does not stop the later ones
    return next;
  };
  return {
    write,
    startHeartbeat() {
      if (timer) return;
      timer = setInterval(() => void write().catch((err: unknown) => opts.onHeartbeatError?.(err)), opts.everySeconds * 1000);
      timer.unref(); // the heartbeat never keeps the CLI alive on its own
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await queue;
    },
  };
}

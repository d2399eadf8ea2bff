// What `train` and `update` print while Spark runs: one updating status line on a terminal, timestamped lines at
// most every MLSHIP_PROGRESS_SECONDS off one, and JSON-line events for machines (docs/operations.md, "Progress").
import { closeSync, openSync, writeSync } from "node:fs";
import type { Context } from "./context.js";
import { info } from "./output.js";
import { UserError } from "../errors.js";
import type { DriverEvent } from "../launch/driver-event.js";
import {
  applyInput,
  cliPhaseOf,
  decide,
  etaSeconds,
  eventLine,
  fitWidth,
  initialState,
  initialThrottle,
  progressSeconds,
  stamped,
  statusText,
  type ProgressEvent,
  type ProgressInput,
} from "../progress/index.js";

export interface ProgressFlags {
  quiet?: boolean; // Spark's own lines are not shown, nor the status line
  json?: boolean; // stdout is the final JSON document; events go to stderr unless --events names a file
  events?: string; // a file receiving the events as JSON lines
}

export interface ProgressView {
  line: (text: string) => void; // one (redacted) line of Spark's output
  progress: (message: string) => void; // one of mlship's own progress messages
  driver: (event: DriverEvent) => void; // one of the driver's structured events
  close: () => void; // the run ended: take the status line away, close the events file
}

const TICK_MS = 1000;
const MLSHIP_LINE = "mlship: ";

// Opens the view for one run; a bad MLSHIP_PROGRESS_SECONDS or an unwritable --events file fails before Spark starts.
export async function progressView(ctx: Context, flags: ProgressFlags): Promise<ProgressView> {
  const everyMs = progressSeconds(ctx.env) * 1000;
  const now = () => ctx.now().getTime();
  const sink = eventSink(ctx, flags);
  const human = !flags.quiet && !flags.json;
  const tty = Boolean(ctx.stderrIsTTY);
  const bar = human && tty ? await statusBar(ctx) : null;
  let state = initialState(now());
  let throttle = initialThrottle();
  let shown = false; // a status exists to show (the run has started)

  // Off a terminal: the status line when the throttle lets it through; on one: redraw the updating line.
  const show = () => {
    if (!human || !shown) return;
    const at = now();
    if (bar) return bar.draw(statusText(state, at));
    const d = decide(throttle, state, at, everyMs);
    throttle = d.next;
    if (d.print) info(ctx, stamped(new Date(at), statusText(state, at)));
  };
  const print = (text: string) => {
    if (bar) bar.above(text);
    else info(ctx, !tty && text.startsWith(MLSHIP_LINE) ? stamped(ctx.now(), text) : text);
  };
  const feed = (input: ProgressInput) => {
    state = applyInput(state, input, now());
    shown = true;
    show();
  };
  const timer = setInterval(show, TICK_MS);
  timer.unref();

  return {
    line: (text) => {
      if (text.startsWith(MLSHIP_LINE)) sink?.({ type: "message", source: "driver", text: text.slice(MLSHIP_LINE.length) });
      if (!flags.quiet) print(text);
    },
    progress: (message) => {
      sink?.({ type: "message", source: "mlship", text: message });
      print(`${MLSHIP_LINE}${message}`);
      const phase = cliPhaseOf(message);
      if (phase) {
        sink?.({ type: "phase", phase });
        feed({ kind: "phase", phase });
      }
    },
    driver: (event) => {
      if (event.applicationId || event.uiWebUrl) {
        sink?.({ type: "application", ...(event.applicationId ? { applicationId: event.applicationId } : {}), ...(event.uiWebUrl ? { uiWebUrl: event.uiWebUrl } : {}) });
      }
      if (event.phase && !event.progress) {
        sink?.({ type: "phase", phase: event.phase });
        feed({ kind: "phase", phase: event.phase });
      }
      if (event.progress) {
        feed({ kind: "stages", stages: event.progress.stages, ...(event.phase ? { phase: event.phase } : {}) });
        const at = now();
        const { jobs, stages } = event.progress;
        const eta = etaSeconds(state, at);
        sink?.({ type: "progress", phase: state.phase, jobs, stages, elapsedSeconds: Math.round((at - state.startedAt) / 1000), etaSeconds: eta === null ? null : Math.ceil(eta) });
      }
    },
    close: () => {
      clearInterval(timer);
      bar?.clear();
      sink?.close();
    },
  };
}

type Sink = ((event: ProgressEvent) => void) & { close: () => void };

// Where events go: the --events file, else stderr with --json, else nowhere.
function eventSink(ctx: Context, flags: ProgressFlags): Sink | null {
  if (flags.events !== undefined) {
    let fd: number;
    try {
      fd = openSync(flags.events, "w");
    } catch (err) {
      throw new UserError(`--events ${flags.events}: cannot write it (${(err as NodeJS.ErrnoException).code ?? String(err)})`, "E_USAGE");
    }
    let open = true;
    // Synchronous writes: an event is on disk before the next line of output, whatever ends the process.
    const sink = (event: ProgressEvent) => {
      if (open) writeSync(fd, `${eventLine(ctx.now(), event)}\n`);
    };
    return Object.assign(sink, { close: () => (open ? ((open = false), closeSync(fd)) : undefined) });
  }
  if (!flags.json) return null;
  return Object.assign((event: ProgressEvent) => void ctx.stderr.write(`${eventLine(ctx.now(), event)}\n`), { close: () => undefined });
}

// The updating line (log-update, loaded only on a terminal): drawn below the output, which scrolls above it.
async function statusBar(ctx: Context) {
  const { createLogUpdate } = await import("log-update");
  const stream = ctx.stderr as Partial<NodeJS.WriteStream> & Context["stderr"];
  // A terminal that reports no size (0 columns: a bare pseudo-terminal) counts as 80 by 24.
  const terminal = { isTTY: true, write: (s: string) => stream.write(s), get columns() { return stream.columns || 80; }, get rows() { return stream.rows || 24; } };
  const update = createLogUpdate(terminal as unknown as NodeJS.WriteStream, { showCursor: true }); // a hidden cursor would need a signal hook to restore
  let current: string | null = null;
  return {
    draw: (text: string) => {
      current = fitWidth(text, terminal.columns);
      update(current);
    },
    above: (text: string) => {
      update.persist(text);
      if (current !== null) update(current);
    },
    clear: () => {
      if (current !== null) update.clear();
      current = null;
    },
  };
}

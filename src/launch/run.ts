// Runs spark-submit (array form, never a shell), streams and archives its output, forwards signals.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { execa } from "execa";
import { FailureSummary } from "./summary.js";
import { cleanConsoleLine } from "./console-debris.js";
import type { DriverFailure } from "./driver-error.js";
import type { CauseHint } from "./cause.js";
import { isEventLine, parseDriverEvent, type DriverEvent } from "./driver-event.js";
import { removePrivateFiles, writePrivateFiles, type PrivateFile } from "./files.js";

export interface LaunchInput {
  argv: string[];
  env: Record<string, string>;
  unset?: string[]; // inherited variables the child must not see (a local interpreter path in cluster mode)
  cwd: string;
  redact: (text: string) => string;
  logFile: string; // local file receiving the redacted driver log
  onLine?: (line: string) => void; // each redacted line, for the terminal (the driver's event lines excepted)
  onEvent?: (event: DriverEvent) => void; // each of the driver's `mlship: event {…}` lines, as it arrives
  killGraceMs?: number; // after SIGTERM, how long before SIGKILL (default 10 s)
  files?: PrivateFile[]; // written 0600 before spark-submit starts, removed when it ends (see src/submit/private.ts)
  stop?: AbortSignal; // aborted: stop Spark as SIGTERM would (e.g. a newer run replaces this one, src/lease/)
  // Called once on the first interrupt, before the SIGTERM of the process group (e.g. killing a cluster-mode
  // driver, which spark-submit's death does not stop); a second interrupt SIGKILLs the group at once.
  onInterrupt?: (signal: "SIGINT" | "SIGTERM") => Promise<void>;
}

export interface LaunchResult {
  exitCode: number | null;
  signal: string | null;
  interrupted: "SIGINT" | "SIGTERM" | null;
  summary: string[];
  driverFailure: DriverFailure | null; // what the driver's mlship-error lines said, if it printed any
  hints: CauseHint[]; // the log lines that told why it failed (cause.ts), for the retry policy
  applicationId: string | null;
  startedAt: Date;
  endedAt: Date;
}

// Writes the run's private files, runs spark-submit, and removes the files whatever way the run ends.
export async function launch(input: LaunchInput): Promise<LaunchResult> {
  const [file, ...args] = input.argv;
  if (!file) throw new Error("empty argv");
  const created: PrivateFile[] = [];
  const remove = () => removePrivateFiles(created);
  process.on("exit", remove); // e.g. an exit while Spark still runs; signals are forwarded and end in `finally`
  try {
    await writePrivateFiles(input.files ?? [], created);
    return await runSparkSubmit(file, args, input);
  } finally {
    remove();
    process.off("exit", remove);
  }
}

async function runSparkSubmit(file: string, args: string[], input: LaunchInput): Promise<LaunchResult> {
  const log = createWriteStream(input.logFile);
  const summary = new FailureSummary();
  const startedAt = new Date();
  // detached: spark-submit leads its own process group, so the whole group (JVM + Python driver) can be signalled.
  const child = execa(file, args, {
    cwd: input.cwd,
    // undefined drops an inherited variable (Node's spawn skips undefined values).
    env: { ...input.env, ...Object.fromEntries((input.unset ?? []).map((k) => [k, undefined])) },
    extendEnv: true,
    detached: true,
    reject: false,
    stdin: "ignore",
    buffer: false,
    stripFinalNewline: false,
  });
  const pid = child.pid;
  let interrupted: LaunchResult["interrupted"] = null;
  let killTimer: NodeJS.Timeout | undefined;
  let interruptHook: Promise<void> = Promise.resolve();
  const signalGroup = (sig: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      /* the group is already gone */
    }
  };
  const onSignal = (sig: "SIGINT" | "SIGTERM") => {
    if (interrupted) return signalGroup("SIGKILL"); // a second Ctrl-C: stop now
    interrupted = sig;
    input.onLine?.(`mlship: ${sig} received, stopping Spark (process group ${pid})…`);
    const stopGroup = () => {
      signalGroup("SIGTERM");
      killTimer = setTimeout(() => signalGroup("SIGKILL"), input.killGraceMs ?? 10_000);
    };
    // The hook first (spark-submit may still have to print the remote driver's id), then the group.
    if (input.onInterrupt) interruptHook = input.onInterrupt(sig).catch(() => undefined).then(stopGroup);
    else stopGroup();
  };
  const onExit = () => signalGroup("SIGKILL"); // the CLI is going away: take Spark with it
  const sigint = () => onSignal("SIGINT");
  const sigterm = () => onSignal("SIGTERM");
  process.on("SIGINT", sigint);
  process.on("SIGTERM", sigterm);
  process.on("exit", onExit);
  const onStop = () => onSignal("SIGTERM");
  input.stop?.addEventListener("abort", onStop, { once: true });
  if (input.stop?.aborted) onStop(); // stopped while the run was being planned

  const pump = async (stream: NodeJS.ReadableStream | null) => {
    if (!stream) return;
    for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
      const cleaned = cleanConsoleLine(raw); // a console bar's redraws never reach the log or the terminal
      if (cleaned === null) continue;
      const line = input.redact(cleaned);
      log.write(`${line}\n`);
      summary.add(line);
      if (!isEventLine(line)) input.onLine?.(line);
      else {
        const event = parseDriverEvent(line);
        if (event) input.onEvent?.(event);
      }
    }
  };
  try {
    const [result] = await Promise.all([child, pump(child.stdout), pump(child.stderr)]);
    // Spark may leave children in its group (e.g. a Python worker); never let them outlive the run.
    signalGroup("SIGKILL");
    await interruptHook;
    return {
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      interrupted,
      summary: summary.lines(),
      driverFailure: summary.driverFailure(),
      hints: summary.hints,
      applicationId: summary.applicationId,
      startedAt,
      endedAt: new Date(),
    };
  } finally {
    clearTimeout(killTimer);
    process.off("SIGINT", sigint);
    process.off("SIGTERM", sigterm);
    process.off("exit", onExit);
    input.stop?.removeEventListener("abort", onStop);
    log.end();
    await once(log, "close");
  }
}

// Runs a kill or status command against a cluster-mode driver, bounded in time; the effects' edge of src/remote/.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import type { RemoteCommand } from "./commands.js";

export type CommandResult = { ok: true; output: string } | { ok: false; message: string };

const MAX_OUTPUT = 64 * 1024;

// Runs the command (array form) with a deadline; the message of a failure is the command's last error-like line.
export async function runRemoteCommand(command: RemoteCommand, opts: { env: Record<string, string | undefined>; timeoutMs?: number }): Promise<CommandResult> {
  if (!command.ok) return { ok: false, message: command.reason };
  const [file, ...args] = command.argv;
  const result = await execa(file!, args, {
    env: opts.env,
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    all: true,
    timeout: opts.timeoutMs ?? 60_000,
    killSignal: "SIGKILL",
    maxBuffer: MAX_OUTPUT * 4,
  });
  const output = String(result.all ?? "").slice(-MAX_OUTPUT);
  // Spark's clients print an exception and still exit 0 (e.g. a REST server that is not there): read the output too.
  const failedLine = output.split("\n").find((l) => /Exception|Error:|ERROR /.test(l));
  if (result.timedOut) return { ok: false, message: `${command.argv.join(" ")} did not answer within ${(opts.timeoutMs ?? 60_000) / 1000}s` };
  if (result.exitCode !== 0 || failedLine !== undefined) {
    return { ok: false, message: `${command.argv.join(" ")} failed (exit ${result.exitCode ?? result.signal}): ${(failedLine ?? output.trim().split("\n").at(-1) ?? "").slice(0, 300)}` };
  }
  return { ok: true, output };
}

// The first executable file called `name` on PATH, or null.
export function findOnPath(name: string, env: Record<string, string | undefined>): string | null {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

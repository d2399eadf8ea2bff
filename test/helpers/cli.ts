// Runs the built CLI (bin/mlship) as a child process, the way users and CI run it.
import { execa, type ResultPromise } from "execa";
import { join } from "node:path";

export const projectRoot = join(import.meta.dirname, "..", "..");
export const bin = join(projectRoot, "bin", "mlship");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function mlship(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [bin, ...args], { cwd: opts.cwd ?? projectRoot, env: opts.env ?? {}, reject: false, stdin: "ignore" });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export function mlshipChild(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): ResultPromise {
  return execa(process.execPath, [bin, ...args], { cwd: opts.cwd ?? projectRoot, env: opts.env ?? {}, reject: false, stdin: "ignore", buffer: true });
}

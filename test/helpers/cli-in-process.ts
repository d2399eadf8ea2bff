// The whole CLI in this process (src/cli/main.ts) with the world passed in: output captured, a fixed clock.
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import type { Context } from "../../src/cli/context.js";

const root = join(import.meta.dirname, "..", "..");

export async function cliInProcess(args: string[], env: Record<string, string> = {}, cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const ctx: Context = {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: false,
    projectRoot: root,
    now: () => new Date("2026-11-27T08:00:00Z"),
  };
  const code = await main(args, ctx);
  return { code, stdout, stderr };
}

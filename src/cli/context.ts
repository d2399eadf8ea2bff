// The world a command runs in, passed in so commands are testable without mocking modules.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ignoreBrokenPipes } from "./broken-pipe.js";

export interface Context {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  isTTY: boolean;
  stderrIsTTY?: boolean; // stderr is a terminal: `train` and `update` draw an updating status line there
  projectRoot: string; // the mlship installation (holds spark-scripts/)
  now: () => Date;
}

// The mlship installation folder: two levels up from dist/cli/ (or src/cli/ under vitest).
export const installRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function processContext(): Context {
  ignoreBrokenPipes(); // a closed pipe on stdout/stderr must never skip a run's clean-up
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    projectRoot: installRoot,
    now: () => new Date(),
  };
}

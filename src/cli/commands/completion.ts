// mlship completion SHELL: the completion script, built from the same command tree the command line parses with.
import { Command } from "commander";
import type { Context } from "../context.js";
import { completionScript, SHELLS, type Shell } from "../completion.js";
import { addCommandTree } from "../program.js";
import { UserError } from "../../errors.js";
import { COMMANDS } from "./index.js";

// The whole tree, as `mlship --help` shows it (the handlers are never run here).
export function fullProgram(ctx: Context): Command {
  const program = new Command("mlship").version("0.1.0", "-V, --version");
  addCommandTree(program, COMMANDS, ctx, { code: 0 });
  return program;
}

export async function run(ctx: Context, shell: string): Promise<number> {
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UserError(`unknown shell "${shell}": expected ${SHELLS.join(", ")}`, "E_USAGE");
  ctx.stdout.write(completionScript(shell as Shell, fullProgram(ctx)));
  return 0;
}

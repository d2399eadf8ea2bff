// Loads a job spec for a command, relative to the command's working directory.
import { resolve } from "node:path";
import type { Context } from "./context.js";
// Not the jobspec index: that imports loadSpecText and with it zod, which loadSpec loads only when a spec needs it.
import { loadSpec, type LoadedSpec } from "../jobspec/load.js";

// A command validates one spec: compiling zod's fast path (new Function per schema) costs more than it saves.
async function jitlessZod(): Promise<void> {
  const { config } = await import("zod");
  config({ jitless: true });
}

export interface SpecFlags {
  profile?: string;
  set?: string[];
}

export function loadJob(ctx: Context, file: string, flags: SpecFlags): Promise<LoadedSpec> {
  return loadSpec({
    file,
    path: resolve(ctx.cwd, file),
    env: ctx.env,
    ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
    sets: flags.set ?? [],
    beforeZod: jitlessZod,
  });
}

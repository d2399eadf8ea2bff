// Loads a job spec for a command, relative to the command's working directory.
import { resolve } from "node:path";
import { config as zodConfig } from "zod";
import type { Context } from "./context.js";
import { loadSpec, type LoadedSpec } from "../jobspec/index.js";

// A command validates one spec: compiling zod's fast path (new Function per schema) costs more than it saves.
zodConfig({ jitless: true });

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
  });
}

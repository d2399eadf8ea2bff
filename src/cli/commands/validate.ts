// mlship validate SPEC: load and validate only; every problem at once, exit 2 when any.
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { printJson, println } from "../output.js";

export async function run(ctx: Context, file: string, opts: SpecFlags & { json?: boolean }): Promise<number> {
  const loaded = await loadJob(ctx, file, opts);
  if (opts.json) printJson(ctx, { ok: true, file: loaded.file, sha256: loaded.sha256, profile: loaded.profile ?? null, name: loaded.spec.name });
  else println(ctx, `${loaded.file}: ok (job ${loaded.spec.name}, ${loaded.spec.model.algorithm}${loaded.profile ? `, profile ${loaded.profile}` : ""})`);
  return 0;
}

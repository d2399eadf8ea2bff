// mlship validate SPEC: every check that needs no cluster (the spec, then the run's plan); every problem at once, exit 2 when any.
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { info, printJson, println } from "../output.js";
import { planFor } from "../run-plan.js";
import { SpecError } from "../../errors.js";
import { checkBasedOn } from "../transfer-check.js";

export async function run(ctx: Context, file: string, opts: SpecFlags & { json?: boolean; store?: string }): Promise<number> {
  const loaded = await loadJob(ctx, file, opts);
  // The plan `train` would run (cluster-manager rules, store, secrets kept off the command line), without Spark.
  const planned = planFor(ctx, loaded, { store: opts.store, sparkRequired: false });
  if (!planned.ok) throw new SpecError(planned.problems, "E_PLAN");
  await checkBasedOn(ctx, loaded, opts.store); // model.basedOn, in the store (docs/transfer.md)
  if (opts.json) {
    printJson(ctx, { ok: true, file: loaded.file, sha256: loaded.sha256, profile: loaded.profile ?? null, name: loaded.spec.name, warnings: planned.warnings });
    return 0;
  }
  for (const w of planned.warnings) info(ctx, `warning: ${w}`);
  println(ctx, `${loaded.file}: ok (job ${loaded.spec.name}, ${loaded.spec.model.algorithm}${loaded.profile ? `, profile ${loaded.profile}` : ""})`);
  return 0;
}

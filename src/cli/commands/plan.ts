// mlship plan SPEC: the spark-submit command the spec becomes, and where each secret goes; --json gives argv and env.
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { info, printJson, println } from "../output.js";
import { planFor } from "../run-plan.js";
import { SpecError } from "../../errors.js";
import { checkBasedOn } from "../transfer-check.js";
import { secretEnvValues } from "../../jobspec/secrets.js";
import { formatCommand, redactArgv, redactEnv, redactor } from "../../submit/index.js";
import { describePolicy, retryPolicy } from "../../retry/policy.js";
import { listInputFiles } from "../../ledger/list.js"; // not ledger/index.js: its record schemas load zod, which plan never needs
import { absoluteDataPath } from "../../runs/paths.js";
import { isShortTrain } from "../../update/short-run.js";

export async function run(ctx: Context, file: string, opts: SpecFlags & { json?: boolean; store?: string }): Promise<number> {
  const loaded = await loadJob(ctx, file, opts);
  // The same planRun as `train`: only the run id and train's private folder (a stand-in here) differ. Like train, it
  // lists data.train's files: small input makes a short run (src/update/short-run.ts).
  const inputs = await listInputFiles(absoluteDataPath(loaded.spec.data.train, ctx.cwd), ctx.env);
  const result = planFor(ctx, loaded, { store: opts.store, sparkRequired: true, shortRun: isShortTrain(inputs), classArchive: true });
  if (!result.ok) throw new SpecError(result.problems, "E_PLAN");
  await checkBasedOn(ctx, loaded, opts.store); // model.basedOn, in the store (docs/transfer.md)
  const secrets = [...loaded.secrets, ...secretEnvValues(ctx.env)];
  const redact = redactor(secrets);
  const argv = redactArgv(result.plan.argv, secrets);
  const planEnv = redactEnv(result.plan.env, secrets);
  // File contents are never shown (they hold the secrets); only where each secret goes.
  const { files, secrets: places } = result.plan;
  const carried = (path: string) => places.filter((p) => p.via === path).map((p) => p.field);
  // What train does around this command: timeout.run, timeout.noExecutor, retries by cause (src/retry/policy.ts).
  const policy = retryPolicy(loaded.spec);
  if (opts.json) {
    const shownFiles = files.map((f) => ({ path: f.path, mode: "0600", holds: f.holds, secrets: carried(f.path) }));
    const { attempts, backoffSeconds, onOutOfMemory, runSeconds, noExecutorSeconds } = policy;
    const run = { timeout: { runSeconds, noExecutorSeconds }, retry: { attempts, backoffSeconds, onOutOfMemory } };
    printJson(ctx, { argv, env: planEnv, unset: result.plan.unset, files: shownFiles, secrets: places, warnings: result.warnings, run });
    return 0;
  }
  for (const w of result.warnings) info(ctx, `warning: ${w}`);
  println(ctx, formatCommand(argv, planEnv));
  const { unset } = result.plan;
  if (unset.length > 0) println(ctx, `# removed from spark-submit's environment (this machine's interpreters never reach a remote driver): ${unset.join(", ")}`);
  if (files.length > 0) println(ctx, "# written at run time with mode 0600, removed when the run ends:");
  for (const f of files) {
    const held = carried(f.path);
    println(ctx, redact(`#   ${f.path}: ${f.holds}${held.length > 0 ? `; secrets: ${held.join(", ")}` : ""}`));
  }
  const viaEnv = carried("environment");
  if (viaEnv.length > 0) println(ctx, redact(`# secrets through the environment of spark-submit: ${viaEnv.join(", ")}`));
  const described = describePolicy(policy);
  if (described) println(ctx, `# ${described}`);
  return 0;
}

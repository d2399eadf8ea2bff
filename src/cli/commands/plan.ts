// mlship plan SPEC: the spark-submit command the spec becomes, secrets redacted; --json gives argv and env.
import { existsSync } from "node:fs";
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { info, printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError, FatalError } from "../../errors.js";
import { secretEnvValues } from "../../spec/index.js";
import { buildPlan, findSparkBuild, findSparkSubmit, formatCommand, redactArgv, redactEnv, redactor } from "../../submit/index.js";
import { absoluteDataPath } from "../../runs/paths.js";
import { newRunId, runPrefix } from "../../runs/record.js";

export async function run(ctx: Context, file: string, opts: SpecFlags & { json?: boolean; store?: string }): Promise<number> {
  const loaded = await loadJob(ctx, file, opts);
  const spec = { ...loaded.spec, data: { ...loaded.spec.data, train: absoluteDataPath(loaded.spec.data.train, ctx.cwd) } };
  const store = openStoreFor(ctx, opts.store, spec.store);
  const located = findSparkSubmit({ env: ctx.env, projectRoot: ctx.projectRoot, exists: existsSync });
  if (!located.ok) throw new FatalError(located.message, "E_NO_SPARK");
  const env = { ...ctx.env, ...located.env };
  const runId = newRunId(ctx.now());
  const result = buildPlan({ spec, runId, outUri: store.sparkUri(`${runPrefix(spec.name, runId)}/model`), projectRoot: ctx.projectRoot, sparkSubmit: located.path, env, sparkBuild: findSparkBuild(located, env) });
  const secrets = [...loaded.secrets, ...secretEnvValues(ctx.env)];
  const redact = redactor(secrets);
  if (!result.ok) throw new UserError(redact(result.problems.map((p) => `${loaded.file} ${p.path}: ${p.message}`).join("\n")), "E_PLAN");
  const argv = redactArgv(result.plan.argv, secrets);
  const planEnv = redactEnv(result.plan.env, secrets);
  if (opts.json) {
    printJson(ctx, { argv, env: planEnv, warnings: result.plan.warnings.map(redact) });
    return 0;
  }
  for (const w of result.plan.warnings) info(ctx, `warning: ${redact(w)}`);
  println(ctx, formatCommand(argv, planEnv));
  return 0;
}

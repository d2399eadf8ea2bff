// mlship plan SPEC: the spark-submit command the spec becomes, and where each secret goes; --json gives argv and env.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { info, printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError, FatalError } from "../../errors.js";
import { secretEnvValues } from "../../spec/index.js";
import { buildPlan, findSparkBuild, findSparkSubmit, formatCommand, redactArgv, redactEnv, redactor } from "../../submit/index.js";
import { absoluteDataPath, RUN_DIR_PREFIX } from "../../runs/paths.js";
import { newRunId, runPrefix } from "../../runs/record.js";

export async function run(ctx: Context, file: string, opts: SpecFlags & { json?: boolean; store?: string }): Promise<number> {
  const loaded = await loadJob(ctx, file, opts);
  const spec = { ...loaded.spec, data: { ...loaded.spec.data, train: absoluteDataPath(loaded.spec.data.train, ctx.cwd) } };
  const store = openStoreFor(ctx, opts.store, spec.store);
  const located = findSparkSubmit({ env: ctx.env, projectRoot: ctx.projectRoot, exists: existsSync });
  if (!located.ok) throw new FatalError(located.message, "E_NO_SPARK");
  const env = { ...ctx.env, ...located.env };
  const runId = newRunId(ctx.now());
  // `train` writes the private files into a fresh mkdtemp folder; XXXXXX stands for its random part.
  const runDir = join(tmpdir(), `${RUN_DIR_PREFIX}XXXXXX`);
  const outUri = store.sparkUri(`${runPrefix(spec.name, runId)}/model`);
  const result = buildPlan({ spec, runId, outUri, projectRoot: ctx.projectRoot, sparkSubmit: located.path, env, sparkBuild: findSparkBuild(located, env), runDir, secrets: loaded.secrets });
  const secrets = [...loaded.secrets, ...secretEnvValues(ctx.env)];
  const redact = redactor(secrets);
  if (!result.ok) throw new UserError(redact(result.problems.map((p) => `${loaded.file} ${p.path}: ${p.message}`).join("\n")), "E_PLAN");
  const argv = redactArgv(result.plan.argv, secrets);
  const planEnv = redactEnv(result.plan.env, secrets);
  // File contents are never shown (they hold the secrets); only where each secret goes.
  const { files, secrets: places } = result.plan;
  const carried = (path: string) => places.filter((p) => p.via === path).map((p) => p.field);
  if (opts.json) {
    const shownFiles = files.map((f) => ({ path: f.path, mode: "0600", holds: f.holds, secrets: carried(f.path) }));
    printJson(ctx, { argv, env: planEnv, files: shownFiles, secrets: places, warnings: result.plan.warnings.map(redact) });
    return 0;
  }
  for (const w of result.plan.warnings) info(ctx, `warning: ${redact(w)}`);
  println(ctx, formatCommand(argv, planEnv));
  if (files.length > 0) println(ctx, "# written at run time with mode 0600, removed when the run ends:");
  for (const f of files) {
    const held = carried(f.path);
    println(ctx, redact(`#   ${f.path}: ${f.holds}${held.length > 0 ? `; secrets: ${held.join(", ")}` : ""}`));
  }
  const viaEnv = carried("environment");
  if (viaEnv.length > 0) println(ctx, redact(`# secrets through the environment of spark-submit: ${viaEnv.join(", ")}`));
  return 0;
}

// mlship render SPEC --target spark-operator: the spec's run plan as a (Scheduled)SparkApplication manifest, no secrets in it.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { stringify } from "yaml";
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { info, printJson, println } from "../output.js";
import { planFor } from "../run-plan.js";
import { SpecError, UserError } from "../../errors.js";
import { sortProblems } from "../../jobspec/load.js";
import { secretEnvValues } from "../../jobspec/secrets.js";
import { argAfter, JOB_FILE_NAME, operatorJob, renderSparkOperator, sparkVersionOf, specProblems, submitParts } from "../../render/index.js";
import type { PlanProblem } from "../../submit/index.js";
import { builtinPaths, findSparkBuild } from "../../submit/index.js";
import { writeOutputFile } from "../output-file.js";
import { locateSpark } from "../../setup/locate.js";

interface RenderFlags extends SpecFlags {
  target: string;
  schedule?: string;
  out?: string;
  image?: string;
  sparkVersion?: string;
  namespace?: string;
  serviceAccount?: string;
  jobSecret?: string;
  envSecret?: string;
  jobOut?: string;
  json?: boolean;
  store?: string;
}

const TARGETS = ["spark-operator"];

// The local Spark's version, the default for the image's (the driver's pyspark must match it anyway).
function localSparkVersion(ctx: Context): string | undefined {
  const located = locateSpark(ctx.env, ctx.projectRoot);
  if (!located.ok) return undefined;
  return sparkVersionOf(findSparkBuild(located, { ...ctx.env, ...located.env })?.jars ?? []);
}

export async function run(ctx: Context, file: string, opts: RenderFlags): Promise<number> {
  if (!TARGETS.includes(opts.target)) throw new UserError(`--target: expected one of ${TARGETS.join(", ")}, got "${opts.target}"`);
  const loaded = await loadJob(ctx, file, opts);
  // The operator's run would get no transfer block and train from scratch: refused, never silently different.
  if (loaded.spec.model.basedOn !== undefined) {
    throw new SpecError([{ ...loaded.locate("model.basedOn"), path: "model.basedOn", message: "`mlship render` does not yet carry model.basedOn (docs/transfer.md); run `mlship train` for a transfer" }], "E_TRANSFER");
  }
  // The same planRun as `plan` and `train`, for the spec as the operator submits it (k8s master, cluster mode).
  const { job } = operatorJob(loaded, opts.image);
  const planned = planFor(ctx, job, { store: opts.store, sparkRequired: false });
  const sparkVersion = opts.sparkVersion ?? localSparkVersion(ctx);
  const locate = (problems: PlanProblem[]) => problems.map((p) => ({ ...loaded.locate(p.path), path: p.path, message: p.message }));
  // Every problem at once: the plan's, and what render itself knows from the spec and the flags.
  if (!planned.ok) throw new SpecError(sortProblems([...planned.problems, ...locate(specProblems(loaded.spec, { sparkVersion, schedule: opts.schedule }))]), "E_PLAN");
  const { plan } = planned;
  const parts = submitParts(plan.argv);
  const paths = builtinPaths(ctx.projectRoot);
  const jobFile = plan.files.find((f) => f.path.endsWith(JOB_FILE_NAME));
  const rendered = renderSparkOperator({
    spec: planned.spec,
    parts,
    secrets: plan.secrets,
    runId: argAfter(parts.app.args, "--run-id") ?? "",
    local: { runtimeZip: paths.runtimeZip, jobFile: jobFile?.path ?? "" },
    image: opts.image,
    sparkVersion,
    schedule: opts.schedule,
    namespace: opts.namespace,
    serviceAccount: opts.serviceAccount,
    jobSecret: opts.jobSecret,
    envSecret: opts.envSecret,
  });
  if (!rendered.ok) {
    throw new SpecError(sortProblems(locate(rendered.problems)), "E_PLAN");
  }
  const text = stringify(rendered.manifest, { lineWidth: 0, aliasDuplicateObjects: false });
  // Defence in depth: the manifest is meant to be committed and applied; it must never carry a secret value.
  const secrets = [...loaded.secrets, ...secretEnvValues(ctx.env)].filter((s) => s.length >= 4);
  if (secrets.some((s) => text.includes(s))) throw new Error("render: a secret value reached the manifest (refusing to print it)");

  if (opts.out !== undefined) await writeOutputFile(resolve(ctx.cwd, opts.out), text);
  if (opts.jobOut !== undefined && jobFile) await writeOutputFile(resolve(ctx.cwd, opts.jobOut), jobFile.content, 0o600);
  const notes = [
    ...plan.warnings,
    ...rendered.notes,
    `the driver reads ${JOB_FILE_NAME} from Secret ${rendered.jobSecret}: kubectl create secret generic ${rendered.jobSecret} --from-file=${JOB_FILE_NAME}=${opts.jobOut ?? "JOB.json"}` +
      (opts.jobOut === undefined ? " (write it with --job-out JOB.json)" : ""),
  ];
  if (opts.json) {
    const kind = rendered.manifest.kind;
    printJson(ctx, { ok: true, kind, out: opts.out ?? null, jobOut: opts.jobOut ?? null, jobSecret: rendered.jobSecret, envSecret: rendered.envSecret, notes, manifest: rendered.manifest });
    return 0;
  }
  for (const n of notes) info(ctx, `note: ${n}`);
  if (opts.out === undefined) ctx.stdout.write(text);
  else println(ctx, `wrote ${opts.out}`);
  return 0;
}

// mlship train SPEC: run the job on Spark, certify the model, register a version, apply the promotion gate.
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { printJson, println } from "../output.js";
import { progressView, type ProgressFlags } from "../progress-view.js";
import { planFor } from "../run-plan.js";
import { openStoreFor } from "../store.js";
import { EXIT, SpecError } from "../../errors.js";
import { checkBasedOn } from "../transfer-check.js";
import { secretEnvValues } from "../../jobspec/secrets.js";
import { trainJob } from "../../runs/train.js";
import { newRunId } from "../../runs/record.js";
import { processLeaseWorld, withJobLease } from "../../lease/index.js";
import { writeReportOfRun } from "../run-report.js";

export async function run(ctx: Context, file: string, opts: SpecFlags & ProgressFlags & { store?: string }): Promise<number> {
  const loaded = await loadJob(ctx, file, opts);
  // Refused before Spark starts with exactly what `plan` refuses, each problem at its place in the spec.
  const preflight = planFor(ctx, loaded, { store: opts.store, sparkRequired: true });
  if (!preflight.ok) throw new SpecError(preflight.problems, "E_PLAN");
  // model.basedOn: resolved and checked once, pinned to a version for the run (docs/transfer.md).
  const transfer = await checkBasedOn(ctx, loaded, opts.store);
  const store = openStoreFor(ctx, opts.store, loaded.spec.store);
  // The status line, timestamped lines or JSON-line events while the run goes (docs/operations.md, "Progress").
  const view = await progressView(ctx, opts);
  const progress = view.progress;
  // One run of the job at a time (the spec's concurrency:), refused or replaced before Spark starts.
  const runId = newRunId(ctx.now());
  const lease = { job: loaded.spec.name, runId, command: "train" as const, policy: loaded.spec.concurrency };
  const result = await withJobLease(processLeaseWorld(store, ctx.now), lease, progress, (stop) =>
    trainJob(
      {
        cwd: ctx.cwd,
        env: ctx.env,
        projectRoot: ctx.projectRoot,
        store,
        now: ctx.now,
        onLine: view.line,
        progress,
        onDriverEvent: view.driver,
        runId,
        stop,
      },
      loaded,
      secretEnvValues(ctx.env),
      undefined,
      transfer ?? undefined,
    ),
  ).finally(view.close);
  const { version, parity, promotion } = result;
  const notPromoted = promotion !== null && !promotion.promoted;
  const report = await writeReportOfRun(ctx, store, version);
  if (opts.json) {
    printJson(ctx, {
      ok: true,
      runId: result.runId,
      model: result.model,
      version: version.version,
      metrics: version.metrics,
      parity: { rows: parity.rows, maxAbsDiff: parity.maxAbsDiff, tolerance: parity.tolerance, passed: parity.passed },
      promotion,
      store: store.location,
      durationSeconds: result.durationSeconds,
      report,
    });
  } else {
    const metrics = Object.entries(version.metrics).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(" ");
    println(ctx, `registered ${result.model}@${version.version} (run ${result.runId})`);
    println(ctx, `  metrics  ${metrics}`);
    println(ctx, `  parity   passed on ${parity.rows} rows, max |Δ| ${parity.maxAbsDiff.toExponential(2)} <= ${parity.tolerance}`);
    if (promotion) println(ctx, `  ${promotion.alias.padEnd(8)} ${promotion.promoted ? `now -> ${version.version}` : `not promoted: ${promotion.reason}`}`);
    println(ctx, `  store    ${store.location}`);
    if (report) println(ctx, `  report   ${report}`);
    println(ctx, "");
    println(ctx, `next: mlship models show ${result.model}@${version.version}${opts.store ? ` --store ${opts.store}` : ""}`);
  }
  return notPromoted ? EXIT.notPromoted : EXIT.ok;
}

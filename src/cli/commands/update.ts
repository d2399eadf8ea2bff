// mlship update SPEC --from NAME@REF: read the parent's chain and list the data, plan what is new, answer what needs
// no Spark (nothing new, a retried update, a refusal), else train the child on the new data in the chosen mode.
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { printJson, println } from "../output.js";
import { progressView, type ProgressFlags, type ProgressView } from "../progress-view.js";
import { planFor } from "../run-plan.js";
import { openStoreFor } from "../store.js";
import { EXIT, SpecError, UserError } from "../../errors.js";
import { secretEnvValues } from "../../jobspec/secrets.js";
import { trainJob, type TrainSuccess, type UpdateRun } from "../../runs/train.js";
import { newRunId } from "../../runs/record.js";
import { processLeaseWorld, withJobLease } from "../../lease/index.js";
import { CATALOGUE, isAlgorithm } from "../../catalogue/index.js";
import { listInputFiles, loadConsumedFiles } from "../../ledger/index.js";
import { getVersion, parseModelRef, resolveModelRef, versionNumbers, type VersionRecord } from "../../registry/index.js";
import { absoluteDataPath } from "../../runs/paths.js";
import type { Store } from "../../store/types.js";
import { isShortUpdate, planUpdate, retriedChild, updateBlock, updateOutcome, type ChainVersion } from "../../update/index.js";
import { writeReportOfRun } from "../run-report.js";

type UpdateFlags = SpecFlags & ProgressFlags & { from: string; store?: string };

export async function run(ctx: Context, file: string, opts: UpdateFlags): Promise<number> {
  const loaded = await loadJob(ctx, file, opts);
  // The spec must be one `train` would run: refused with exactly what `plan` refuses.
  const preflight = planFor(ctx, loaded, { store: opts.store, sparkRequired: true });
  if (!preflight.ok) throw new SpecError(preflight.problems, "E_PLAN");
  const { spec } = loaded;
  const model = spec.model.name ?? spec.name;
  const { model: fromModel } = parseModelRef(opts.from);
  if (fromModel !== model) throw new UserError(`--from ${opts.from} names model "${fromModel}", but ${file} trains "${model}"`, "E_USAGE");
  const store = openStoreFor(ctx, opts.store, spec.store);
  // The job's lease (concurrency:) before the parent is resolved and the data planned: of two cron updates started
  // together, the second plans after the first registered, and finds its child ("retried") or nothing new.
  const runId = newRunId(ctx.now());
  const lease = { job: spec.name, runId, command: "update" as const, policy: spec.concurrency };
  // The status line, timestamped lines or JSON-line events while the run goes (docs/operations.md, "Progress").
  const view = await progressView(ctx, opts);
  const progress = view.progress;
  return withJobLease(processLeaseWorld(store, ctx.now), lease, progress, (stop) => updateLeased(ctx, file, opts, { loaded, store, runId, stop, progress, view })).finally(
    view.close,
  );
}

interface Leased {
  loaded: Awaited<ReturnType<typeof loadJob>>;
  store: Store;
  runId: string;
  stop: AbortSignal;
  progress: (m: string) => void;
  view: ProgressView;
}

// The rest of `update`, holding the job's lease: resolve the parent, plan, answer or train the child.
async function updateLeased(ctx: Context, file: string, opts: UpdateFlags, { loaded, store, runId, stop, progress, view }: Leased): Promise<number> {
  const { spec } = loaded;
  const model = spec.model.name ?? spec.name;
  const parent = await resolveModelRef(store, opts.from);
  if (!parent) throw new UserError(`no model version matches "${opts.from}" in ${store.location} (see: mlship models versions ${model})`, "E_NOT_FOUND");

  const chain = await readChain(store, parent);
  const listed = await listInputFiles(absoluteDataPath(spec.data.train, ctx.cwd), ctx.env);
  const explicitNew = spec.data.new !== undefined ? await listInputFiles(absoluteDataPath(spec.data.new, ctx.cwd), ctx.env) : undefined;
  const plan = planUpdate({
    model,
    chain,
    listed,
    ...(explicitNew ? { explicitNew } : {}),
    ...(spec.data.partitionColumn ? { partitionColumn: spec.data.partitionColumn } : {}),
    specSha256: loaded.sha256,
  });
  const retried = plan.kind === "new" ? retriedChild(await liveVersions(store, model), parent.version, plan.key) : null;
  const outcome = updateOutcome({
    plan,
    parent: { model, version: parent.version, algorithm: parent.algorithm, updateModes: parent.updateModes },
    retried,
    catalogueModes: isAlgorithm(parent.algorithm) ? CATALOGUE[parent.algorithm].updateModes : [],
    specMode: spec.update?.mode,
    specFile: file,
  });
  if (!outcome.ok) throw new UserError(outcome.message, outcome.code, { details: outcome.details });
  if (!outcome.train) {
    if (opts.json) printJson(ctx, outcome.json);
    else println(ctx, outcome.line);
    return 0;
  }
  if (spec.entrypoint) throw new UserError(`${file} runs its own entrypoint; \`mlship update\` needs the built-in trainer`, "E_UPDATE_REFUSED");

  const { plan: found, mode } = outcome;
  const consumed = new Set(chain.flatMap((v) => (v.files ?? []).map((f) => f.path)));
  const source = spec.data.new !== undefined ? absoluteDataPath(spec.data.new, ctx.cwd) : absoluteDataPath(spec.data.train, ctx.cwd);
  const run: UpdateRun = {
    parent,
    key: found.key,
    short: isShortUpdate(mode, found.files, found.predicate !== null),
    block: updateBlock({ parent, parentUri: store.sparkUri(parent.artifacts.prefix), plan: found, mode, chainFiles: [...consumed].sort(), options: spec.update ?? {} }),
    inputs: { files: found.files, predicate: found.predicate !== null, consumed, relist: () => listInputFiles(source, ctx.env) },
  };
  progress(`updating ${found.parent} in mode ${mode} from ${found.predicate ? `rows where ${found.predicate.column} > ${JSON.stringify(found.predicate.value)}` : `${found.files.length} new file${found.files.length === 1 ? "" : "s"}`}`);
  const result = await trainJob(
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
    run,
  );
  printUpdated(ctx, result, opts, store.location, await writeReportOfRun(ctx, store, result.version));
  return result.promotion !== null && !result.promotion.promoted ? EXIT.notPromoted : EXIT.ok;
}

// The child registered: what `train` prints, with the parent, the mode, the rows and the largest shifts.
function printUpdated(ctx: Context, result: TrainSuccess, opts: UpdateFlags, location: string, report: string | null): void {
  const { version, parity, promotion } = result;
  const update = version.update!;
  if (opts.json) {
    printJson(ctx, {
      ok: true,
      updated: true,
      runId: result.runId,
      model: result.model,
      version: version.version,
      parent: { model: result.model, version: update.parentVersion },
      mode: update.mode,
      rows: update.rows,
      metrics: version.metrics,
      parentMetrics: update.parentMetrics,
      shifts: (update.shifts ?? []).slice(0, SHIFTS_SHOWN),
      facts: update.facts ?? {},
      parity: { rows: parity.rows, maxAbsDiff: parity.maxAbsDiff, tolerance: parity.tolerance, passed: parity.passed },
      promotion,
      store: location,
      durationSeconds: result.durationSeconds,
      report,
    });
    return;
  }
  const fmt = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(" ");
  println(ctx, `registered ${result.model}@${version.version}, a child of ${result.model}@${update.parentVersion} (mode ${update.mode}, run ${result.runId})`);
  println(ctx, `  rows     ${update.rows.new} new, ${update.rows.history} in the history`);
  println(ctx, `  metrics  ${fmt(version.metrics)}`);
  println(ctx, `  parent   ${fmt(update.parentMetrics)} (on the same slice of the new data)`);
  const shifts = (update.shifts ?? []).slice(0, SHIFTS_SHOWN);
  if (shifts.length) println(ctx, `  shift    ${shifts.map((s) => `${s.feature} ${s.psi === null ? "n/a" : s.psi.toFixed(3)}`).join(", ")} (PSI, largest first)`);
  println(ctx, `  parity   passed on ${parity.rows} rows, max |Δ| ${parity.maxAbsDiff.toExponential(2)} <= ${parity.tolerance}`);
  if (promotion) println(ctx, `  ${promotion.alias.padEnd(8)} ${promotion.promoted ? `now -> ${version.version}` : `not promoted: ${promotion.reason}`}`);
  println(ctx, `  store    ${location}`);
  if (report) println(ctx, `  report   ${report}`);
}

const SHIFTS_SHOWN = 5;

// The parent and its ancestors (following lineage.parentVersion), oldest first, each with the files it consumed.
async function readChain(store: Store, parent: VersionRecord): Promise<ChainVersion[]> {
  const chain: ChainVersion[] = [];
  const seen = new Set<number>();
  for (let record: VersionRecord | null = parent; record && !seen.has(record.version); ) {
    seen.add(record.version);
    const files = await loadConsumedFiles(store, record.lineage);
    chain.unshift({ version: record.version, files, ...(record.lineage.watermark ? { watermark: record.lineage.watermark } : {}) });
    const up: number | null | undefined = record.lineage.parentVersion;
    record = up != null ? await getVersion(store, record.model, up) : null;
  }
  return chain;
}

// The model's live versions with their lineage, where a retried update's child would be.
async function liveVersions(store: Store, model: string): Promise<VersionRecord[]> {
  const records = await Promise.all((await versionNumbers(store, model)).map((v) => getVersion(store, model, v)));
  return records.filter((r): r is VersionRecord => r !== null);
}

// mlship update SPEC --from NAME@REF: read the parent's chain and list the data, plan what is new, and answer
// (nothing new, a retried update, or a refusal); training the child is the next step (E_UPDATE_MODE until then).
import type { Context } from "../context.js";
import { loadJob, type SpecFlags } from "../job.js";
import { printJson, println } from "../output.js";
import { planFor } from "../run-plan.js";
import { openStoreFor } from "../store.js";
import { SpecError, UserError } from "../../errors.js";
import { CATALOGUE, isAlgorithm } from "../../catalogue/index.js";
import { listInputFiles, loadConsumedFiles } from "../../ledger/index.js";
import { getVersion, parseModelRef, resolveModelRef, versionNumbers, type VersionRecord } from "../../registry/index.js";
import { absoluteDataPath } from "../../runs/paths.js";
import type { Store } from "../../store/types.js";
import { planUpdate, retriedChild, updateOutcome, type ChainVersion } from "../../update/index.js";

type UpdateFlags = SpecFlags & { from: string; json?: boolean; store?: string; quiet?: boolean };

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
    specFile: file,
  });
  if (!outcome.ok) throw new UserError(outcome.message, outcome.code, { details: outcome.details });
  if (opts.json) printJson(ctx, outcome.json);
  else println(ctx, outcome.line);
  return 0;
}

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

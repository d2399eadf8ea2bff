// mlship models show NAME[@VERSION|@ALIAS]: one version's metrics, certificate, lineage, artifacts, aliases and tags.
import type { Context } from "../context.js";
import { info, printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { getTags, getVersionEntry, parseModelRef, resolveModelRef, scanAliases, type Tombstone, type VersionRecord } from "../../registry/index.js";
import type { UpdateFacts } from "../../registry/records.js";
import { loadStoredModel, verifyRegisteredArtifacts } from "../../certify/index.js";
import { inputsMetadata, type InputMetadata } from "../../model/input/metadata.js";
import type { Store } from "../../store/types.js";
import { consumedSummary } from "../../ledger/lineage.js";
import { appendedLevelsLine } from "../../update/levels.js";

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean }): Promise<number> {
  const { model, selector } = parseModelRef(ref);
  const store = openStoreFor(ctx, opts.store);
  // An explicit version is shown even when deleted (marked so); aliases and "latest" only ever resolve to live versions.
  let record: VersionRecord | null;
  let deleted: Tombstone | null = null;
  if ("version" in selector) {
    const entry = await getVersionEntry(store, model, selector.version);
    record = entry?.record ?? null;
    deleted = entry?.deleted ?? null;
  } else {
    record = await resolveModelRef(store, ref);
  }
  if (!record) throw new UserError(`no model version matches "${ref}" in ${store.location} (see: mlship models list)`, "E_NOT_FOUND");
  // A damaged alias record does not stop the version being shown; it is named on stderr.
  const scanned = await scanAliases(store, model);
  for (const err of scanned.damaged) info(ctx, `mlship: warning: ${err.message}`);
  const aliases = scanned.aliases.filter((a) => a.version === record.version).map((a) => a.alias);
  const tags = await getTags(store, model, record.version);
  const inputs = await inputsOf(store, record);
  const consumed = consumedSummary(record.lineage);
  const ledger = consumed || record.lineage.watermark ? { ...(consumed ?? { files: null, bytes: null }), watermark: record.lineage.watermark ?? null } : null;
  if (opts.json) {
    printJson(ctx, { ...record, updateModes: record.updateModes ?? null, aliases, tags, deleted, ledger, inputs: Array.isArray(inputs) ? inputs : null, ...(typeof inputs === "string" ? { inputsError: inputs } : {}) });
    return 0;
  }
  const metrics = Object.entries(record.metrics).map(([k, v]) => `${k}=${formatNumber(v)}`).join("  ");
  const p = record.parity;
  println(ctx, `${record.model}@${record.version}${aliases.length ? `  (${aliases.join(", ")})` : ""}${deleted ? "  DELETED" : ""}`);
  if (deleted) println(ctx, `  deleted     ${deleted.deletedAt}${deleted.by ? ` by ${deleted.by}` : ""}${deleted.reason ? `: ${deleted.reason}` : ""}`);
  println(ctx, `  algorithm   ${record.algorithm} (${record.task})`);
  println(ctx, `  created     ${record.createdAt}`);
  println(ctx, `  metrics     ${metrics || "-"}`);
  println(ctx, `  parity      ${p.passed ? "passed" : "FAILED"}: ${p.rows} rows, max |Δ| ${p.maxAbsDiff.toExponential(2)} (tolerance ${p.tolerance})`);
  println(ctx, `  tags        ${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join("  ") || "-"}`);
  println(ctx, `  run         ${record.lineage.runId} (job ${record.lineage.job})`);
  println(ctx, `  spec        ${record.lineage.specFile} sha256:${record.lineage.specSha256.slice(0, 12)}${record.lineage.profile ? ` profile ${record.lineage.profile}` : ""}`);
  if (record.lineage.overrides?.length) println(ctx, `  overrides   ${record.lineage.overrides.map((o) => `--set ${o}`).join(" ")}`);
  println(ctx, `  git         ${record.lineage.gitCommit ?? "-"}${record.lineage.gitDirty ? " (uncommitted changes)" : ""}`);
  println(ctx, `  data        ${record.lineage.data.train} (${record.lineage.data.format})`);
  if (consumed) println(ctx, `  consumed    ${consumed.files} input file${consumed.files === 1 ? "" : "s"} (${consumed.bytes} bytes)`);
  if (record.lineage.watermark) println(ctx, `  watermark   ${record.lineage.watermark.column} = ${JSON.stringify(record.lineage.watermark.value)}`);
  if (record.lineage.parentVersion != null) println(ctx, `  parent      ${record.model}@${record.lineage.parentVersion}`);
  if (record.update) for (const line of updateLines(record.update)) println(ctx, `  ${line}`);
  println(ctx, `  updatable   ${updatable(record)}`);
  println(ctx, `  artifacts   ${record.artifacts.store}/${record.artifacts.prefix} (${record.artifacts.files} files, ${record.artifacts.bytes} bytes)`);
  if (typeof inputs === "string") println(ctx, `  inputs      unavailable: ${inputs}`);
  else inputs.forEach((i, n) => println(ctx, `  ${n === 0 ? "inputs    " : "          "}  ${describeInput(i)}`));
  return 0;
}

// How `mlship update` made the version: the mode, the rows, the parent on the same slice, the largest shifts.
export function updateLines(u: UpdateFacts): string[] {
  const metrics = Object.entries(u.parentMetrics).map(([k, v]) => `${k}=${formatNumber(v)}`).join("  ");
  const levels = appendedLevelsLine(u.facts);
  const shifts = (u.shifts ?? []).slice(0, 5).map((s) => `${s.feature} ${s.psi === null ? "n/a" : s.psi.toFixed(3)}${s.band ? ` (${s.band})` : ""}`);
  return [
    `update      mode ${u.mode}: ${u.rows.new} new rows, ${u.rows.history} in the history`,
    `vs parent   ${metrics || "-"} (the parent on the same slice of the new data)`,
    ...(shifts.length ? [`shift       ${shifts.join(", ")} (PSI, largest first)`] : []),
    ...(levels ? [`levels      ${levels} (appended)`] : []),
  ];
}

// Whether `mlship update` can start from the version, and in which modes.
function updatable(record: VersionRecord): string {
  if (!record.updateModes) return "no training state (trained before mlship 0.2): `mlship train` again to make it updatable";
  return record.updateModes.length ? record.updateModes.join(", ") : "no (its training state enables no update mode)";
}

const SHOWN_LEVELS = 12;

// One input as `models show` prints it: name, role, training type and a categorical input's known levels.
function describeInput(i: InputMetadata): string {
  const read = i.sparkType === i.type ? i.type : `${i.sparkType} in the training data`;
  if (!i.levels) return `${i.name}: ${i.role}, ${read}`;
  const shown = i.levels.slice(0, SHOWN_LEVELS).map((l) => JSON.stringify(l)).join(", ");
  const more = i.levels.length > SHOWN_LEVELS ? `, … ${i.levels.length - SHOWN_LEVELS} more (--json lists all)` : "";
  return `${i.name}: ${i.role}, ${read}; ${i.levels.length} known level${i.levels.length === 1 ? "" : "s"}: ${shown}${more}`;
}

// The version's inputs (loaded from its verified artifacts), or why they cannot be shown.
async function inputsOf(store: Store, record: VersionRecord): Promise<InputMetadata[] | string> {
  try {
    const verified = await verifyRegisteredArtifacts(store, record);
    if (!verified.ok) return `artifacts failed verification (${verified.problems[0]})`;
    return inputsMetadata(await loadStoredModel(store, record.artifacts.prefix, verified.artifacts));
  } catch (err) {
    return (err as Error).message;
  }
}

const formatNumber = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

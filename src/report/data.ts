// Everything a report shows about one version, read from the store: its record, aliases, parent, the model's other
// versions (the history chart) and the evaluation artifacts (checked against the registered MANIFEST.json).
import { manifestReader, readManifest } from "../certify/index.js";
import { getTags, getVersionEntry, keyMetric, scanAliases, versionIndex, type VersionRecord } from "../registry/index.js";
import type { Store } from "../store/types.js";
import { EVALUATION_DIR, evaluationPath, isEvaluationFile, parseEvaluationFile, type Evaluation, type EvaluationFile } from "./evaluation.js";

export interface HistoryPoint {
  version: number;
  createdAt: string;
  value: number | null; // the key metric, null when the version lacks it
  aliases: string[];
  parentVersion: number | null;
}

export interface ReportData {
  format: "mlship-report";
  formatVersion: 1;
  model: string;
  version: number;
  algorithm: string;
  task: string;
  createdAt: string;
  status: "live" | "deleted";
  aliases: string[];
  tags: Record<string, string>;
  metrics: Record<string, number>;
  parity: VersionRecord["parity"];
  sparkVersion: string | null;
  lineage: VersionRecord["lineage"];
  spec: Record<string, unknown> | null;
  params: VersionRecord["params"] | null;
  // An updated version: its parent's own metrics and the parent on the child's validation slice of the new data.
  parent: { version: number; metrics: Record<string, number> | null; onSameSlice: Record<string, number> | null; mode: string | null } | null;
  keyMetric: string | null;
  history: HistoryPoint[];
  evaluation: Evaluation;
  // What the report cannot show and why (a version trained before evaluation artifacts, an unreadable file).
  missing: string[];
}

// The report's data for a version record (found by the caller), with the model's history and its evaluation files.
export async function reportData(store: Store, record: VersionRecord, deleted = false): Promise<ReportData> {
  const scanned = await scanAliases(store, record.model);
  const aliasesOf = (v: number) => scanned.aliases.filter((a) => a.version === v).map((a) => a.alias).sort();
  const metric = keyMetric(record.metrics) ?? null;
  const history: HistoryPoint[] = [];
  const records = new Map<number, VersionRecord>();
  for (const v of (await versionIndex(store, record.model)).live) {
    const entry = v === record.version ? { record } : await getVersionEntry(store, record.model, v).catch(() => null);
    if (!entry) continue;
    records.set(v, entry.record);
    const value = metric === null ? undefined : entry.record.metrics[metric];
    history.push({ version: v, createdAt: entry.record.createdAt, value: value ?? null, aliases: aliasesOf(v), parentVersion: entry.record.lineage.parentVersion ?? null });
  }
  const parentVersion = record.update?.parentVersion ?? record.lineage.parentVersion ?? null;
  const parentRecord = parentVersion === null ? null : (records.get(parentVersion) ?? (await getVersionEntry(store, record.model, parentVersion).catch(() => null))?.record ?? null);
  const { evaluation, missing } = await readEvaluation(store, record);
  return {
    format: "mlship-report",
    formatVersion: 1,
    model: record.model,
    version: record.version,
    algorithm: record.algorithm,
    task: record.task,
    createdAt: record.createdAt,
    status: deleted ? "deleted" : "live",
    aliases: aliasesOf(record.version),
    tags: await getTags(store, record.model, record.version).catch(() => ({})),
    metrics: record.metrics,
    parity: record.parity,
    sparkVersion: record.sparkVersion ?? null,
    lineage: record.lineage,
    spec: record.spec ?? null,
    params: record.params ?? null,
    parent: parentVersion === null ? null : { version: parentVersion, metrics: parentRecord?.metrics ?? null, onSameSlice: record.update?.parentMetrics ?? null, mode: record.update?.mode ?? null },
    keyMetric: metric,
    history,
    evaluation,
    missing,
  };
}

// The version's evaluation files, each read through its registered MANIFEST.json (size and sha256 checked).
export async function readEvaluation(store: Store, record: VersionRecord): Promise<{ evaluation: Evaluation; missing: string[] }> {
  const prefix = record.artifacts.prefix;
  const manifest = await readManifest(store, prefix);
  if (!manifest.ok) return { evaluation: {}, missing: [`the evaluation artifacts: ${manifest.problems.join("; ")}`] };
  if (manifest.manifestSha256 !== record.artifacts.manifestSha256) {
    return { evaluation: {}, missing: ["the evaluation artifacts: MANIFEST.json differs from the one the version was registered with"] };
  }
  const files = manifest.manifest.files
    .map((f) => f.path)
    .filter((p) => p.startsWith(`${EVALUATION_DIR}/`) && p.endsWith(".arrow"))
    .map((p) => p.slice(EVALUATION_DIR.length + 1, -".arrow".length))
    .filter(isEvaluationFile);
  if (files.length === 0) {
    return { evaluation: {}, missing: ["the evaluation artifacts (curves, matrices, weights): this version was trained before mlship kept them; train it again to get them"] };
  }
  const reader = manifestReader(store, prefix);
  const evaluation: Evaluation = {};
  const missing: string[] = [];
  for (const file of files) {
    try {
      const parsed = parseEvaluationFile(file, await reader.read(evaluationPath(file)));
      if (parsed.ok) (evaluation as Record<EvaluationFile, unknown>)[file] = parsed.rows;
      else missing.push(parsed.reason);
    } catch (err) {
      missing.push(`${evaluationPath(file)}: ${(err as Error).message}`);
    }
  }
  return { evaluation, missing };
}

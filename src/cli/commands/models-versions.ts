// mlship models versions NAME [--all]: every version of a model with its key metric, parity, aliases and tags.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { checkedName, getTags, getVersionEntry, keyMetric, scanAliases, versionIndex, type Tombstone, type VersionRecord } from "../../registry/index.js";
import { contained, damageOf, formatNumber, printDamage, printTable, type Damage } from "./registry-shared.js";

export interface VersionRow {
  version: number;
  createdAt: string;
  algorithm: string;
  task: string;
  keyMetric: { name: string; value: number } | null;
  metrics: Record<string, number>;
  parity: VersionRecord["parity"];
  runId: string;
  aliases: string[];
  tags: Record<string, string>;
  deleted: Tombstone | null;
}

export async function run(ctx: Context, model: string, opts: { store?: string; json?: boolean; all?: boolean; metric?: string }): Promise<number> {
  checkedName(model, "model name");
  const store = openStoreFor(ctx, opts.store);
  const index = await versionIndex(store, model);
  if (index.all.length === 0) throw new UserError(`no model "${model}" in ${store.location} (see: mlship models list)`, "E_NOT_FOUND");
  const scanned = await scanAliases(store, model);
  const aliases = scanned.aliases;
  // Damaged records (a version, its tags or tombstone, an alias) are listed apart; the good versions as usual.
  const damaged: Damage[] = scanned.damaged.map(damageOf);
  const rows: VersionRow[] = [];
  for (const v of opts.all ? index.all : index.live) {
    const row = await contained(damaged, async () => {
      const entry = await getVersionEntry(store, model, v);
      return entry && { entry, tags: await getTags(store, model, v) };
    });
    if (!row) continue;
    const { entry, tags } = row;
    const r = entry.record;
    const name = opts.metric ?? keyMetric(r.metrics);
    const value = name === undefined ? undefined : r.metrics[name];
    rows.push({
      version: v,
      createdAt: r.createdAt,
      algorithm: r.algorithm,
      task: r.task,
      keyMetric: name !== undefined && value !== undefined ? { name, value } : null,
      metrics: r.metrics,
      parity: r.parity,
      runId: r.lineage.runId,
      aliases: aliases.filter((a) => a.version === v).map((a) => a.alias),
      tags,
      deleted: entry.deleted,
    });
  }
  if (opts.json) {
    printJson(ctx, { store: store.location, model, versions: rows, hiddenDeleted: opts.all ? 0 : index.deleted.size, damaged });
    return 0;
  }
  const table = [["VERSION", "CREATED", "ALGORITHM", "METRIC", "PARITY", "ALIASES", "TAGS", ...(opts.all ? ["DELETED"] : [])]];
  for (const r of rows) {
    table.push([
      String(r.version),
      r.createdAt.replace(/\.\d+Z$/, "Z"),
      r.algorithm,
      r.keyMetric ? `${r.keyMetric.name}=${formatNumber(r.keyMetric.value)}` : "-",
      r.parity.passed ? `passed (${r.parity.maxAbsDiff.toExponential(1)})` : "FAILED",
      r.aliases.join(",") || "-",
      Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(",") || "-",
      ...(opts.all ? [r.deleted ? r.deleted.deletedAt.replace(/\.\d+Z$/, "Z") : "-"] : []),
    ]);
  }
  if (rows.length) printTable(ctx, table);
  else println(ctx, `${model}: no live versions`);
  if (!opts.all && index.deleted.size) println(ctx, `(${index.deleted.size} deleted version${index.deleted.size === 1 ? "" : "s"} hidden; --all shows them)`);
  printDamage(ctx, damaged);
  return 0;
}

// mlship models list: every model with its latest live version, aliases and headline metrics. A damaged record
// marks its model (with the key and what is wrong) and the other models are listed as usual.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { getVersion, listModels, scanAliases, versionIndex, type VersionRecord } from "../../registry/index.js";
import { contained, damageOf, printDamage, printTable, type Damage } from "./registry-shared.js";

export async function run(ctx: Context, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const rows = [];
  for (const model of await listModels(store)) {
    const damaged: Damage[] = [];
    const index = await versionIndex(store, model);
    const newest = index.live.at(-1);
    const latest: VersionRecord | null = newest === undefined ? null : await contained(damaged, () => getVersion(store, model, newest));
    const scanned = await scanAliases(store, model);
    damaged.push(...scanned.damaged.map(damageOf));
    rows.push({
      model,
      versions: index.live.length,
      deleted: index.deleted.size,
      latest: latest?.version ?? newest ?? null,
      algorithm: latest?.algorithm ?? null,
      createdAt: latest?.createdAt ?? null,
      metrics: latest?.metrics ?? {},
      aliases: Object.fromEntries(scanned.aliases.map((a) => [a.alias, a.version])),
      damaged,
    });
  }
  if (opts.json) {
    printJson(ctx, { store: store.location, models: rows });
    return 0;
  }
  if (rows.length === 0) {
    println(ctx, `no models registered in ${store.location}`);
    return 0;
  }
  const table = [["MODEL", "LATEST", "VERSIONS", "ALGORITHM", "ALIASES", "CREATED"]];
  for (const r of rows) {
    const aliases = Object.entries(r.aliases).map(([a, v]) => `${a}=${v}`).join(",") || "-";
    table.push([r.damaged.length ? `${r.model} (DAMAGED)` : r.model, r.latest === null ? "-" : String(r.latest), String(r.versions), r.algorithm ?? "-", aliases, r.createdAt ?? "-"]);
  }
  printTable(ctx, table);
  printDamage(ctx, rows.flatMap((r) => r.damaged));
  return 0;
}

// mlship models list: every model with its latest version, aliases and headline metrics.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { getVersion, listAliases, listModels, versionNumbers } from "../../registry/index.js";

export async function run(ctx: Context, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const rows = [];
  for (const model of await listModels(store)) {
    const versions = await versionNumbers(store, model);
    const latest = await getVersion(store, model, versions.at(-1)!);
    const aliases = await listAliases(store, model);
    rows.push({
      model,
      versions: versions.length,
      latest: latest?.version ?? null,
      algorithm: latest?.algorithm ?? null,
      createdAt: latest?.createdAt ?? null,
      metrics: latest?.metrics ?? {},
      aliases: Object.fromEntries(aliases.map((a) => [a.alias, a.version])),
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
    table.push([r.model, String(r.latest), String(r.versions), r.algorithm ?? "-", aliases, r.createdAt ?? "-"]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) println(ctx, row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
  return 0;
}

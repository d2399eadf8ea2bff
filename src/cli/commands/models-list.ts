// mlship models list: every model with its latest live version, aliases and headline metrics.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { getVersion, listAliases, listModels, versionIndex } from "../../registry/index.js";
import { printTable } from "./registry-shared.js";

export async function run(ctx: Context, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const rows = [];
  for (const model of await listModels(store)) {
    const index = await versionIndex(store, model);
    const newest = index.live.at(-1);
    const latest = newest === undefined ? null : await getVersion(store, model, newest);
    const aliases = await listAliases(store, model);
    rows.push({
      model,
      versions: index.live.length,
      deleted: index.deleted.size,
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
    table.push([r.model, r.latest === null ? "-" : String(r.latest), String(r.versions), r.algorithm ?? "-", aliases, r.createdAt ?? "-"]);
  }
  printTable(ctx, table);
  return 0;
}

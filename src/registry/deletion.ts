// Soft delete: a tombstone hides a version from lists, "latest", aliases and serving; its record and artifacts stay.
import type { Store } from "../store/types.js";
import { aliasesPointingAt } from "./aliases.js";
import { tombstoneKey } from "./keys.js";
import { toJson } from "./json.js";
import type { Tombstone } from "./records.js";
import { getVersionEntry } from "./registry.js";

export type Deletion =
  | { ok: true; tombstone: Tombstone }
  | { ok: false; reason: "no-such-version" }
  | { ok: false; reason: "already-deleted"; tombstone: Tombstone }
  | { ok: false; reason: "aliased"; aliases: string[] };

// Marks a version deleted; refuses when an alias points at it unless `force` (the alias then resolves to nothing).
export async function deleteVersion(
  store: Store,
  model: string,
  version: number,
  opts: { force?: boolean; by?: string; reason?: string; now?: () => Date } = {},
): Promise<Deletion> {
  const entry = await getVersionEntry(store, model, version);
  if (!entry) return { ok: false, reason: "no-such-version" };
  if (entry.deleted) return { ok: false, reason: "already-deleted", tombstone: entry.deleted };
  const aliases = await aliasesPointingAt(store, model, version);
  if (aliases.length && !opts.force) return { ok: false, reason: "aliased", aliases };
  const tombstone: Tombstone = {
    model,
    version,
    deletedAt: (opts.now ?? (() => new Date()))().toISOString(),
    ...(opts.by ? { by: opts.by } : {}),
    ...(opts.reason ? { reason: opts.reason } : {}),
    ...(aliases.length ? { aliasesAtDeletion: aliases } : {}),
  };
  const created = await store.create(tombstoneKey(model, version), toJson("tombstone", tombstoneKey(model, version), tombstone));
  if (!created.ok) {
    const again = await getVersionEntry(store, model, version);
    return { ok: false, reason: "already-deleted", tombstone: again?.deleted ?? tombstone };
  }
  return { ok: true, tombstone };
}

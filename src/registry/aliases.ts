// Aliases on top of a Store: moved by compare-and-swap, with a history that rollback walks back.
import type { Store } from "../store/types.js";
import { movedAlias, normaliseAlias, planRollback, rolledBackAlias, type MoveRequest } from "./alias-history.js";
import { aliasFromKey, aliasKey, aliasesPrefix } from "./keys.js";
import { StoreRecordError } from "../errors.js";
import { readStored, toJson } from "./json.js";
import type { AliasRecord } from "./records.js";
import { getVersionEntry, versionIndex } from "./registry.js";

// Reads an alias with the etag a compare-and-swap needs, or null when the alias does not exist.
export async function getAlias(store: Store, model: string, alias: string): Promise<{ record: AliasRecord; etag: string } | null> {
  const got = await readStored(store, "alias", aliasKey(model, alias), { model, alias });
  return got ? { record: normaliseAlias(got.record), etag: got.etag } : null;
}

// Every alias of a model that reads well, sorted by name, and the damaged ones apart (listings show both).
export async function scanAliases(store: Store, model: string): Promise<{ aliases: AliasRecord[]; damaged: StoreRecordError[] }> {
  const aliases: AliasRecord[] = [];
  const damaged: StoreRecordError[] = [];
  for (const key of await store.list(aliasesPrefix(model))) {
    const alias = aliasFromKey(key);
    if (alias === null) continue;
    try {
      const got = await getAlias(store, model, alias);
      if (got) aliases.push(got.record);
    } catch (err) {
      if (!(err instanceof StoreRecordError)) throw err;
      damaged.push(err);
    }
  }
  return { aliases: aliases.sort((a, b) => a.alias.localeCompare(b.alias)), damaged };
}

// Every alias of a model, sorted by name; a damaged alias record is an error (decisions must not skip one).
export async function listAliases(store: Store, model: string): Promise<AliasRecord[]> {
  const { aliases, damaged } = await scanAliases(store, model);
  if (damaged.length) throw damaged[0];
  return aliases;
}

// The aliases of a model that point at one version now.
export async function aliasesPointingAt(store: Store, model: string, version: number): Promise<string[]> {
  return (await listAliases(store, model)).filter((a) => a.version === version).map((a) => a.alias);
}

export type AliasMove =
  | { ok: true; record: AliasRecord; changed: boolean }
  | { ok: false; reason: "conflict"; current: number | null }
  | { ok: false; reason: "no-such-version" }
  | { ok: false; reason: "deleted" };

export interface MoveOptions {
  // Move only if the alias points at this version now (null: only if the alias does not exist yet).
  expectVersion?: number | null;
  now?: () => Date;
  action?: MoveRequest["action"];
  by?: string;
  reason?: string;
}

// How many times a move without an expected version re-reads and retries after losing a race.
const RETRIES = 50;

// Points an alias at a version; with `expectVersion` the move happens only if the alias is still there.
export async function moveAlias(store: Store, model: string, alias: string, version: number, opts: MoveOptions = {}): Promise<AliasMove> {
  const target = await getVersionEntry(store, model, version);
  if (!target) return { ok: false, reason: "no-such-version" };
  if (target.deleted) return { ok: false, reason: "deleted" };
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    const current = await getAlias(store, model, alias);
    const currentVersion = current?.record.version ?? null;
    if (opts.expectVersion !== undefined && opts.expectVersion !== currentVersion) return { ok: false, reason: "conflict", current: currentVersion };
    if (current && currentVersion === version) return { ok: true, record: current.record, changed: false };
    const at = (opts.now ?? (() => new Date()))().toISOString();
    const record = movedAlias(current?.record ?? null, { model, alias, version, at, action: opts.action ?? "set", by: opts.by, reason: opts.reason });
    const swapped = await store.swap(aliasKey(model, alias), toJson("alias", aliasKey(model, alias), record), current?.etag ?? null);
    if (swapped.ok) return { ok: true, record, changed: true };
    if (opts.expectVersion !== undefined) return { ok: false, reason: "conflict", current: (await getAlias(store, model, alias))?.record.version ?? null };
  }
  return { ok: false, reason: "conflict", current: (await getAlias(store, model, alias))?.record.version ?? null };
}

export type Rollback =
  | { ok: true; record: AliasRecord; from: number; to: number; skipped: number[] }
  | { ok: false; reason: "no-alias" }
  | { ok: false; reason: "nothing-to-roll-back"; current: number }
  | { ok: false; reason: "conflict"; current: number | null };

// Moves an alias back to the version it pointed at before its last move (skipping deleted ones), by compare-and-swap.
// It never retries: if the alias moved meanwhile, the rollback is refused rather than undoing someone else's move.
export async function rollbackAlias(
  store: Store,
  model: string,
  alias: string,
  opts: { expectVersion?: number; now?: () => Date; by?: string; reason?: string } = {},
): Promise<Rollback> {
  const current = await getAlias(store, model, alias);
  if (!current) return { ok: false, reason: "no-alias" };
  if (opts.expectVersion !== undefined && opts.expectVersion !== current.record.version) return { ok: false, reason: "conflict", current: current.record.version };
  const index = await versionIndex(store, model);
  const plan = planRollback(current.record, (v) => index.all.includes(v) && !index.deleted.has(v));
  if (!plan) return { ok: false, reason: "nothing-to-roll-back", current: current.record.version };
  const at = (opts.now ?? (() => new Date()))().toISOString();
  const record = rolledBackAlias(current.record, plan, at, opts.by, opts.reason);
  const swapped = await store.swap(aliasKey(model, alias), toJson("alias", aliasKey(model, alias), record), current.etag);
  if (!swapped.ok) return { ok: false, reason: "conflict", current: (await getAlias(store, model, alias))?.record.version ?? null };
  return { ok: true, record, from: current.record.version, to: plan.to, skipped: plan.skipped };
}

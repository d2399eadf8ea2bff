// Versions on top of a Store: created only if absent, never changed; soft-deleted versions are hidden from readers.
import type { Store } from "../store/types.js";
import { deletedVersionFromKey, modelFromVersionKey, registryPrefix, tombstoneKey, versionFromKey, versionKey, versionsPrefix } from "./keys.js";
import { readStored, toJson } from "./json.js";
import type { Tombstone, VersionRecord } from "./records.js";
import { parseModelRef } from "./refs.js";
import { getAlias } from "./aliases.js";

// Registers the next version of a model; concurrent callers get distinct numbers, none lost.
export async function registerVersion(store: Store, record: Omit<VersionRecord, "version" | "createdAt">, now = () => new Date()): Promise<VersionRecord> {
  // Deleted versions keep their numbers: a number is never given twice.
  let next = ((await allVersionNumbers(store, record.model)).at(-1) ?? 0) + 1;
  for (let attempt = 0; attempt < 10_000; attempt++, next++) {
    const full: VersionRecord = { ...record, version: next, createdAt: now().toISOString() };
    const key = versionKey(record.model, next);
    const created = await store.create(key, toJson("version", key, full));
    if (created.ok) return full;
  }
  throw new Error(`could not find a free version number for ${record.model}`);
}

// Every registered version number of a model, deleted ones included, ascending.
export async function allVersionNumbers(store: Store, model: string): Promise<number[]> {
  const keys = await store.list(versionsPrefix(model));
  return keys.map(versionFromKey).filter((v): v is number => v !== null).sort((a, b) => a - b);
}

// The version numbers readers see (not soft-deleted), ascending; one listing of the model's folder.
export async function versionNumbers(store: Store, model: string): Promise<number[]> {
  const { live } = await versionIndex(store, model);
  return live;
}

// A model's version numbers split into live and deleted, from one listing.
export async function versionIndex(store: Store, model: string): Promise<{ all: number[]; live: number[]; deleted: Set<number> }> {
  const keys = await store.list(registryPrefix(model));
  const all = keys.map(versionFromKey).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const deleted = new Set(keys.map(deletedVersionFromKey).filter((v): v is number => v !== null));
  return { all, live: all.filter((v) => !deleted.has(v)), deleted };
}

// A version record as readers see it: null when it does not exist or was soft-deleted.
export async function getVersion(store: Store, model: string, version: number): Promise<VersionRecord | null> {
  const entry = await getVersionEntry(store, model, version);
  return entry && !entry.deleted ? entry.record : null;
}

// A version record whether deleted or not, with its tombstone (null when live); null when it was never registered.
export async function getVersionEntry(store: Store, model: string, version: number): Promise<{ record: VersionRecord; deleted: Tombstone | null } | null> {
  const got = await readStored(store, "version", versionKey(model, version), { model, version });
  if (!got) return null;
  return { record: got.record, deleted: await getTombstone(store, model, version) };
}

// The tombstone of a soft-deleted version, or null.
export async function getTombstone(store: Store, model: string, version: number): Promise<Tombstone | null> {
  return (await readStored(store, "tombstone", tombstoneKey(model, version), { model, version }))?.record ?? null;
}

// Models with at least one registered version (deleted or not), sorted.
export async function listModels(store: Store): Promise<string[]> {
  const keys = await store.list("registry");
  return [...new Set(keys.map(modelFromVersionKey).filter((m): m is string => m !== null))].sort();
}

// Resolves a model reference to its version record, or null (deleted versions resolve to null).
// A malformed reference is a usage error before the store is touched; a damaged record a StoreRecordError.
export async function resolveModelRef(store: Store, ref: string): Promise<VersionRecord | null> {
  const { model, selector } = parseModelRef(ref);
  if ("version" in selector) return getVersion(store, model, selector.version);
  if ("alias" in selector) {
    const alias = await getAlias(store, model, selector.alias);
    return alias ? getVersion(store, model, alias.record.version) : null;
  }
  const latest = (await versionNumbers(store, model)).at(-1);
  return latest ? getVersion(store, model, latest) : null;
}

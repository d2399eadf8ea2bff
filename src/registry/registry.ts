// Versions and aliases on top of a Store: versions created only if absent, aliases moved by compare-and-swap.
import type { Store } from "../store/types.js";
import { aliasKey, versionFromKey, versionKey } from "./keys.js";
import type { AliasRecord, VersionRecord } from "./records.js";

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const parse = <T>(body: Uint8Array): T => JSON.parse(Buffer.from(body).toString("utf8")) as T;

// Registers the next version of a model; concurrent callers get distinct numbers, none lost.
export async function registerVersion(store: Store, record: Omit<VersionRecord, "version" | "createdAt">, now = () => new Date()): Promise<VersionRecord> {
  let next = (await latestVersionNumber(store, record.model)) + 1;
  for (let attempt = 0; attempt < 10_000; attempt++, next++) {
    const full: VersionRecord = { ...record, version: next, createdAt: now().toISOString() };
    const created = await store.create(versionKey(record.model, next), json(full));
    if (created.ok) return full;
  }
  throw new Error(`could not find a free version number for ${record.model}`);
}

export async function versionNumbers(store: Store, model: string): Promise<number[]> {
  const keys = await store.list(`registry/${model}/versions`);
  return keys.map(versionFromKey).filter((v): v is number => v !== null).sort((a, b) => a - b);
}

async function latestVersionNumber(store: Store, model: string): Promise<number> {
  const versions = await versionNumbers(store, model);
  return versions.length ? versions[versions.length - 1]! : 0;
}

export async function getVersion(store: Store, model: string, version: number): Promise<VersionRecord | null> {
  const got = await store.get(versionKey(model, version));
  return got.ok ? parse<VersionRecord>(got.body) : null;
}

export async function listModels(store: Store): Promise<string[]> {
  const keys = await store.list("registry");
  const names = new Set<string>();
  for (const key of keys) {
    const m = /^registry\/([^/]+)\/versions\/\d+\.json$/.exec(key);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}

export async function getAlias(store: Store, model: string, alias: string): Promise<{ record: AliasRecord; etag: string } | null> {
  const got = await store.get(aliasKey(model, alias));
  return got.ok ? { record: parse<AliasRecord>(got.body), etag: got.etag } : null;
}

export async function listAliases(store: Store, model: string): Promise<AliasRecord[]> {
  const keys = await store.list(`registry/${model}/aliases`);
  const out: AliasRecord[] = [];
  for (const key of keys.filter((k) => k.endsWith(".json"))) {
    const got = await store.get(key);
    if (got.ok) out.push(parse<AliasRecord>(got.body));
  }
  return out;
}

export type AliasMove = { ok: true; record: AliasRecord } | { ok: false; reason: "conflict"; current: number | null } | { ok: false; reason: "no-such-version" };

// Points an alias at a version; with `expectVersion` the move happens only if the alias is still there.
export async function moveAlias(
  store: Store,
  model: string,
  alias: string,
  version: number,
  opts: { expectVersion?: number | null; now?: () => Date } = {},
): Promise<AliasMove> {
  if (!(await getVersion(store, model, version))) return { ok: false, reason: "no-such-version" };
  for (;;) {
    const current = await getAlias(store, model, alias);
    const currentVersion = current?.record.version ?? null;
    if (opts.expectVersion !== undefined && opts.expectVersion !== currentVersion) return { ok: false, reason: "conflict", current: currentVersion };
    const record: AliasRecord = { model, alias, version, updatedAt: (opts.now ?? (() => new Date()))().toISOString(), previous: currentVersion };
    const swapped = await store.swap(aliasKey(model, alias), json(record), current?.etag ?? null);
    if (swapped.ok) return { ok: true, record };
    if (opts.expectVersion !== undefined) return { ok: false, reason: "conflict", current: null };
  }
}

// Parses "name", "name@3", "name@latest" or "name@alias".
export function parseModelRef(ref: string): { model: string; selector: { version: number } | { alias: string } | { latest: true } } {
  const at = ref.indexOf("@");
  if (at < 0) return { model: ref, selector: { latest: true } };
  const model = ref.slice(0, at);
  const sel = ref.slice(at + 1);
  if (/^\d+$/.test(sel)) return { model, selector: { version: Number(sel) } };
  if (sel === "latest" || sel === "") return { model, selector: { latest: true } };
  return { model, selector: { alias: sel } };
}

// Resolves a model reference to its version record, or null.
export async function resolveModelRef(store: Store, ref: string): Promise<VersionRecord | null> {
  const { model, selector } = parseModelRef(ref);
  if ("version" in selector) return getVersion(store, model, selector.version);
  if ("alias" in selector) {
    const alias = await getAlias(store, model, selector.alias);
    return alias ? getVersion(store, model, alias.record.version) : null;
  }
  const latest = await latestVersionNumber(store, model);
  return latest ? getVersion(store, model, latest) : null;
}

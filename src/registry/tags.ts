// Tags: mutable key=value metadata of a version, kept beside the immutable record and changed by compare-and-swap.
import type { Store } from "../store/types.js";
import { tagsKey } from "./keys.js";
import { fromStored, readStored, toJson } from "./json.js";
import type { TagsRecord } from "./records.js";
import { getVersionEntry } from "./registry.js";

export const TAG_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/;
export const TAG_VALUE_MAX = 256;

// A version's tags ({} when it has none).
export async function getTags(store: Store, model: string, version: number): Promise<Record<string, string>> {
  return (await readStored(store, "tags", tagsKey(model, version), { model, version }))?.record.tags ?? {};
}

// Problems with a tag change (bad keys, values too long); empty when it is fine.
export function tagProblems(change: { set: Record<string, string>; remove: string[] }): string[] {
  const problems: string[] = [];
  for (const key of [...Object.keys(change.set), ...change.remove]) {
    if (!TAG_KEY_PATTERN.test(key)) problems.push(`tag key "${key}": expected 1-64 letters, digits, '_', '.', ':', '/', '-' starting with a letter or digit`);
  }
  for (const [key, value] of Object.entries(change.set)) {
    if (value.length > TAG_VALUE_MAX) problems.push(`tag ${key}: value longer than ${TAG_VALUE_MAX} characters`);
  }
  return problems;
}

export type TagChange = { ok: true; record: TagsRecord } | { ok: false; reason: "no-such-version" } | { ok: false; reason: "deleted" };

// Sets and removes tags of a version; concurrent changes to other keys are all kept (read, apply, swap, retry).
export async function changeTags(
  store: Store,
  model: string,
  version: number,
  change: { set: Record<string, string>; remove: string[] },
  now: () => Date = () => new Date(),
): Promise<TagChange> {
  const entry = await getVersionEntry(store, model, version);
  if (!entry) return { ok: false, reason: "no-such-version" };
  if (entry.deleted) return { ok: false, reason: "deleted" };
  const key = tagsKey(model, version);
  for (;;) {
    const got = await store.get(key);
    const tags = { ...(got.ok ? fromStored("tags", key, got.body, { model, version }, store.location).tags : {}), ...change.set };
    for (const k of change.remove) delete tags[k];
    const sorted = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
    const record: TagsRecord = { model, version, tags: sorted, updatedAt: now().toISOString() };
    const swapped = await store.swap(key, toJson("tags", key, record), got.ok ? got.etag : null);
    if (swapped.ok) return { ok: true, record };
  }
}

// The models a server answers for: one slot per --model reference, each holding the version it serves now.
import { UserError } from "../../errors.js";
import { checkModelRef, getAlias, getVersion, versionNumbers, type ModelRef, type VersionRecord } from "../../registry/index.js";
import type { Store } from "../../store/types.js";
import type { ServedVersion } from "./served.js";

// What a slot follows: an alias (hot swapped), the newest version (hot swapped), or one pinned version.
export type Target = { kind: "alias"; alias: string } | { kind: "latest" } | { kind: "version"; version: number };

export interface Slot {
  readonly ref: string;
  readonly model: string;
  readonly target: Target;
  readonly aliasLabel: string; // the alias for metrics and logs: the alias name, "latest", or "" when pinned
  // The version answering now. Swapped by one assignment; a request reads it once and keeps that object.
  current: ServedVersion | null;
}

// What a request's model and version selector find: the slot and its version, or why not (the HTTP layer
// answers "no-model" and "no-version" with 404, "loading" with 503).
export type Found =
  | { ok: true; slot: Slot; served: ServedVersion }
  | { ok: false; reason: "no-model" | "no-version" | "loading"; message: string };

export class Catalogue {
  private readonly byName = new Map<string, Slot[]>();
  private header = "";

  constructor(readonly slots: readonly Slot[]) {
    for (const s of slots) this.byName.set(s.model, [...(this.byName.get(s.model) ?? []), s]);
  }

  // Puts a loaded version into service: the one assignment requests see.
  swap(slot: Slot, served: ServedVersion): void {
    slot.current = served;
    this.header = [...new Set(this.slots.flatMap((s) => (s.current ? [s.current.tag] : [])))].join(", ");
  }

  // The x-mlship-model-version value for routes not about one model: every version loaded.
  get versionHeader(): string {
    return this.header;
  }

  get ready(): boolean {
    return this.slots.every((s) => s.current !== null);
  }

  // The slots serving a model name (first: the default), or undefined.
  slotsOf(name: string): readonly Slot[] | undefined {
    return this.byName.get(name);
  }

  // The slot and version a request addresses; `selector` is a version number or an alias from the URL.
  find(name: string, selector?: string): Found {
    const slots = this.byName.get(name);
    if (!slots) return { ok: false, reason: "no-model", message: `no model "${name}" is served here; served: ${[...this.byName.keys()].join(", ")}` };
    let slot = slots[0]!;
    if (selector !== undefined) {
      const wanted = /^\d+$/.test(selector) ? Number(selector) : null;
      const match = slots.find((s) => (wanted === null ? s.aliasLabel === selector : s.current?.version === wanted));
      if (!match?.current) {
        const serving = slots.map((s) => (s.current ? `${s.current.version}${s.aliasLabel ? ` (${s.aliasLabel})` : ""}` : `${s.ref} (loading)`)).join(", ");
        return { ok: false, reason: "no-version", message: `${name} version "${selector}" is not served here; serving: ${serving}` };
      }
      slot = match;
    }
    if (!slot.current) return { ok: false, reason: "loading", message: `${slot.ref} is still loading; retry when /v2/health/ready answers 200` };
    return { ok: true, slot, served: slot.current };
  }
}

// Turns --model references into slots, checking each exists in the store; every bad reference at once.
// Malformed references are all reported (exit 2) before the store is touched.
export async function resolveSlots(store: Store, refs: readonly string[]): Promise<{ slots: Slot[]; records: VersionRecord[] }> {
  const parsed: [string, ModelRef][] = [];
  const malformed: string[] = [];
  for (const ref of refs) {
    const checked = checkModelRef(ref);
    if (checked.ok) parsed.push([ref, checked.ref]);
    else malformed.push(`--model: ${checked.problem}`);
  }
  if (malformed.length) throw new UserError(malformed.join("\n"), "E_USAGE");
  const problems: string[] = [];
  const slots: Slot[] = [];
  const records: VersionRecord[] = [];
  const seen = new Set<string>();
  for (const [ref, { model, selector }] of parsed) {
    const target: Target = "version" in selector ? { kind: "version", version: selector.version } : "alias" in selector ? { kind: "alias", alias: selector.alias } : { kind: "latest" };
    const key = `${model}@${target.kind === "version" ? target.version : target.kind === "alias" ? target.alias : "latest"}`;
    if (seen.has(key)) {
      problems.push(`--model ${ref}: given twice`);
      continue;
    }
    seen.add(key);
    const version = await targetVersion(store, model, target);
    const record = version === null ? null : await getVersion(store, model, version);
    if (!record) {
      problems.push(`--model ${ref}: ${describeMissing(model, target)} in ${store.location} (see: mlship models list)`);
      continue;
    }
    slots.push({ ref, model, target, aliasLabel: target.kind === "alias" ? target.alias : target.kind === "latest" ? "latest" : "", current: null });
    records.push(record);
  }
  if (problems.length) throw new UserError(problems.join("\n"), "E_NOT_FOUND");
  return { slots, records };
}

// The version number a target points at now, or null when it points nowhere.
export async function targetVersion(store: Store, model: string, target: Target): Promise<number | null> {
  if (target.kind === "version") return target.version;
  if (target.kind === "alias") return (await getAlias(store, model, target.alias))?.record.version ?? null;
  return (await versionNumbers(store, model)).at(-1) ?? null;
}

function describeMissing(model: string, target: Target): string {
  if (target.kind === "version") return `${model} has no version ${target.version}`;
  if (target.kind === "alias") return `${model} has no alias "${target.alias}"`;
  return `${model} has no versions`;
}

// The promotion gate: after registration, moves the spec's alias only when its conditions hold.
import { FatalError } from "../errors.js";
import type { JobSpec } from "../spec/schema.js";
import type { Store } from "../store/types.js";
import { getAlias, getVersion, moveAlias, type VersionRecord } from "../registry/index.js";

export interface Promotion {
  alias: string;
  promoted: boolean;
  reason: string;
  previous: number | null;
}

// Applies the spec's promotion gate: moves the alias only when the metric condition holds.
export async function promote(store: Store, model: string, version: VersionRecord, gate: NonNullable<JobSpec["promote"]>): Promise<Promotion> {
  const current = await getAlias(store, model, gate.alias);
  const previous = current?.record.version ?? null;
  const when = gate.when;
  if (when) {
    const value = version.metrics[when.metric];
    if (value === undefined) return { alias: gate.alias, promoted: false, reason: `metric ${when.metric} was not computed by this run`, previous };
    if (when.min !== undefined && value < when.min) return { alias: gate.alias, promoted: false, reason: `${when.metric} ${value} < min ${when.min}`, previous };
    if (when.max !== undefined && value > when.max) return { alias: gate.alias, promoted: false, reason: `${when.metric} ${value} > max ${when.max}`, previous };
  }
  if (!(await getVersion(store, model, version.version))) throw new FatalError("registered version vanished", "E_REGISTRY");
  const moved = await moveAlias(store, model, gate.alias, version.version);
  if (!moved.ok) return { alias: gate.alias, promoted: false, reason: `alias move failed: ${moved.reason}`, previous };
  return { alias: gate.alias, promoted: true, reason: when ? `${when.metric} ${version.metrics[when.metric]} passed the gate` : "no gate", previous };
}

// The pure side of alias moves: the next alias record for a move or a rollback, history and rollback stack included.
import type { AliasAction, AliasEvent, AliasRecord } from "./records.js";

// How many moves an alias record keeps (and how far back a rollback can go); older ones are dropped.
export const ALIAS_HISTORY_LIMIT = 100;

export interface MoveRequest {
  model: string;
  alias: string;
  version: number;
  at: string;
  action: Exclude<AliasAction, "rollback">;
  by?: string;
  reason?: string;
}

// An alias record as stored, with the fields older records lack filled in (no history; one step back via `previous`).
export function normaliseAlias(raw: Partial<AliasRecord> & Pick<AliasRecord, "model" | "alias" | "version">): AliasRecord {
  const previous = raw.previous ?? null;
  return {
    model: raw.model,
    alias: raw.alias,
    version: raw.version,
    updatedAt: raw.updatedAt ?? "",
    previous,
    history: raw.history ?? [],
    rollbackStack: raw.rollbackStack ?? (previous !== null ? [previous] : []),
  };
}

const bounded = <T>(list: T[]) => list.slice(-ALIAS_HISTORY_LIMIT);

const event = (e: AliasEvent): AliasEvent => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as AliasEvent;

// The record after pointing the alias at a version: the version it leaves goes on the rollback stack.
export function movedAlias(current: AliasRecord | null, move: MoveRequest): AliasRecord {
  const from = current?.version ?? null;
  const stack = current?.rollbackStack ?? [];
  return {
    model: move.model,
    alias: move.alias,
    version: move.version,
    updatedAt: move.at,
    previous: from,
    history: bounded([...(current?.history ?? []), event({ version: move.version, from, at: move.at, action: move.action, by: move.by, reason: move.reason })]),
    rollbackStack: bounded(from !== null && from !== move.version ? [...stack, from] : stack),
  };
}

export interface RollbackPlan {
  to: number;
  // Versions taken off the stack without being used: deleted since, or the current version itself.
  skipped: number[];
  stack: number[];
}

// Where a rollback goes: the newest version on the stack that is still live and is not the current one; null when none.
export function planRollback(current: AliasRecord, isLive: (version: number) => boolean): RollbackPlan | null {
  const stack = [...current.rollbackStack];
  const skipped: number[] = [];
  while (stack.length) {
    const candidate = stack.pop()!;
    if (candidate !== current.version && isLive(candidate)) return { to: candidate, skipped, stack };
    skipped.push(candidate);
  }
  return null;
}

// The record after a rollback: the alias points at the planned version; the history keeps every move.
export function rolledBackAlias(current: AliasRecord, plan: RollbackPlan, at: string, by?: string, reason?: string): AliasRecord {
  const why = reason ?? (plan.skipped.length ? `skipped ${plan.skipped.join(", ")} (deleted or current)` : undefined);
  return {
    ...current,
    version: plan.to,
    updatedAt: at,
    previous: current.version,
    history: bounded([...current.history, event({ version: plan.to, from: current.version, at, action: "rollback", by, reason: why })]),
    rollbackStack: plan.stack,
  };
}

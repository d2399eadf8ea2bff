// mlship alias set MODEL@ALIAS VERSION [--expect CURRENT|none], and mlship alias history MODEL@ALIAS.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { FatalError, UserError } from "../../errors.js";
import { getAlias, moveAlias, type AliasAction, type AliasMove, type AliasRecord } from "../../registry/index.js";
import { actor, aliasRef, expectedVersion, printTable, versionLabel, versionNumber } from "./registry-shared.js";

export interface MoveFlags {
  store?: string;
  json?: boolean;
  expect?: string;
  reason?: string;
}

export async function run(ctx: Context, ref: string, version: string, opts: MoveFlags): Promise<number> {
  const { model, alias } = aliasRef(ref);
  return moveAndReport(ctx, model, alias, versionNumber(version), "set", opts);
}

// Moves an alias for `alias set` and `promote`, and prints the outcome; failures become errors with exit codes.
export async function moveAndReport(ctx: Context, model: string, alias: string, version: number, action: Exclude<AliasAction, "rollback">, opts: MoveFlags): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const expect = expectedVersion(opts.expect);
  const by = actor(ctx);
  const moved = await moveAlias(store, model, alias, version, {
    now: ctx.now,
    action,
    ...(expect !== undefined ? { expectVersion: expect } : {}),
    ...(by ? { by } : {}),
    ...(opts.reason ? { reason: opts.reason } : {}),
  });
  if (!moved.ok) throw moveError(model, alias, version, moved, expect, store.location);
  const previous = moved.changed ? moved.record.previous : moved.record.version;
  if (opts.json) {
    printJson(ctx, { ok: true, model, alias, version, previous, changed: moved.changed, action, updatedAt: moved.record.updatedAt });
  } else if (moved.changed) {
    println(ctx, `${model}@${alias} -> ${version} (was ${versionLabel(previous)})`);
  } else {
    println(ctx, `${model}@${alias} already points at ${version}; nothing changed`);
  }
  return 0;
}

// The error for a refused alias move: conflicts name the version the alias points at now.
export function moveError(model: string, alias: string, version: number, failure: Exclude<AliasMove, { ok: true }>, expect: number | null | undefined, where: string): Error {
  switch (failure.reason) {
    case "conflict":
      return new FatalError(
        `conflict: ${model}@${alias} points at ${versionLabel(failure.current)}, not ${versionLabel(expect ?? null)} as --expect said; nothing changed (look again, then retry with --expect ${versionLabel(failure.current)})`,
        "E_CONFLICT",
      );
    case "deleted":
      return new UserError(`${model}@${version} is deleted; a deleted version cannot be aliased`, "E_DELETED");
    case "no-such-version":
      return new UserError(`${model} has no version ${version} in ${where} (see: mlship models versions ${model})`, "E_NOT_FOUND");
  }
}

// mlship alias history MODEL@ALIAS: where the alias points, every recorded move, and where a rollback would go.
export async function history(ctx: Context, ref: string, opts: { store?: string; json?: boolean }): Promise<number> {
  const { model, alias } = aliasRef(ref);
  const store = openStoreFor(ctx, opts.store);
  const got = await getAlias(store, model, alias);
  if (!got) throw new UserError(`${model} has no alias "${alias}" in ${store.location}`, "E_NOT_FOUND");
  const record: AliasRecord = got.record;
  if (opts.json) {
    printJson(ctx, record);
    return 0;
  }
  println(ctx, `${model}@${alias} -> ${record.version} (since ${record.updatedAt}); rollback would go to ${versionLabel(record.rollbackStack.at(-1) ?? null)}`);
  if (!record.history.length) return 0;
  println(ctx);
  const rows = [["AT", "ACTION", "FROM", "TO", "BY", "REASON"]];
  for (const e of [...record.history].reverse()) rows.push([e.at, e.action, versionLabel(e.from), String(e.version), e.by ?? "-", e.reason ?? "-"]);
  printTable(ctx, rows);
  return 0;
}

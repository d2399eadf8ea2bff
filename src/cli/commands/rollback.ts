// mlship rollback MODEL@ALIAS [--expect CURRENT]: move the alias back to the version it pointed at before its last move.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { FatalError, UserError } from "../../errors.js";
import { rollbackAlias } from "../../registry/index.js";
import { actor, aliasRef, expectedVersion, versionLabel } from "./registry-shared.js";

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean; expect?: string; reason?: string }): Promise<number> {
  const { model, alias } = aliasRef(ref);
  const store = openStoreFor(ctx, opts.store);
  const expect = expectedVersion(opts.expect);
  if (expect === null) throw new UserError("--expect none makes no sense for a rollback: the alias must exist", "E_USAGE");
  const by = actor(ctx);
  const done = await rollbackAlias(store, model, alias, {
    now: ctx.now,
    ...(expect !== undefined ? { expectVersion: expect } : {}),
    ...(by ? { by } : {}),
    ...(opts.reason ? { reason: opts.reason } : {}),
  });
  if (!done.ok) {
    switch (done.reason) {
      case "no-alias":
        throw new UserError(`${model} has no alias "${alias}" in ${store.location}`, "E_NOT_FOUND");
      case "nothing-to-roll-back":
        throw new FatalError(`${model}@${alias} (at ${done.current}) has no earlier version to roll back to: every earlier one was rolled back past or deleted (see: mlship alias history ${model}@${alias})`, "E_NO_HISTORY");
      case "conflict":
        throw new FatalError(
          expect !== undefined && done.current !== expect
            ? `conflict: ${model}@${alias} points at ${versionLabel(done.current)}, not ${expect} as --expect said; nothing changed`
            : `conflict: ${model}@${alias} moved to ${versionLabel(done.current)} while rolling back; nothing changed (look again, then retry)`,
          "E_CONFLICT",
        );
    }
  }
  if (opts.json) {
    printJson(ctx, { ok: true, model, alias, version: done.to, previous: done.from, skipped: done.skipped, action: "rollback", updatedAt: done.record.updatedAt, rollbackTo: done.record.rollbackStack.at(-1) ?? null });
    return 0;
  }
  println(ctx, `${model}@${alias} -> ${done.to} (rolled back from ${done.from}${done.skipped.length ? `; skipped ${done.skipped.join(", ")}` : ""})`);
  return 0;
}

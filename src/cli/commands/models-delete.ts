// mlship models delete MODEL@VERSION [--force]: soft-delete a version (hidden everywhere; record and artifacts kept).
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { FatalError, UserError } from "../../errors.js";
import { deleteVersion } from "../../registry/index.js";
import { actor, versionRef } from "./registry-shared.js";

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean; force?: boolean; reason?: string }): Promise<number> {
  const { model, version } = versionRef(ref);
  const store = openStoreFor(ctx, opts.store);
  const by = actor(ctx);
  const done = await deleteVersion(store, model, version, { now: ctx.now, ...(opts.force ? { force: true } : {}), ...(by ? { by } : {}), ...(opts.reason ? { reason: opts.reason } : {}) });
  if (!done.ok) {
    switch (done.reason) {
      case "no-such-version":
        throw new UserError(`${model} has no version ${version} in ${store.location}`, "E_NOT_FOUND");
      case "already-deleted":
        throw new FatalError(`${model}@${version} was already deleted at ${done.tombstone.deletedAt}`, "E_ALREADY_DELETED");
      case "aliased":
        throw new FatalError(
          `${model}@${version} is what ${done.aliases.map((a) => `${model}@${a}`).join(", ")} point${done.aliases.length === 1 ? "s" : ""} at; move ${done.aliases.length === 1 ? "that alias" : "those aliases"} first, or use --force (the alias then resolves to nothing)`,
          "E_ALIASED",
        );
    }
  }
  if (opts.json) {
    printJson(ctx, { ok: true, model, version, deleted: done.tombstone });
    return 0;
  }
  const left = done.tombstone.aliasesAtDeletion;
  println(ctx, `deleted ${model}@${version} (soft: the record and artifacts stay in ${store.location})${left?.length ? `; alias ${left.join(", ")} now resolves to nothing` : ""}`);
  return 0;
}

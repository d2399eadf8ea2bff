// mlship tag MODEL@VERSION key=value ... [--remove key]: set or remove a version's tags.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { changeTags, getTags, tagProblems } from "../../registry/index.js";
import { versionRef } from "./registry-shared.js";

export async function run(ctx: Context, ref: string, pairs: string[], opts: { store?: string; json?: boolean; remove?: string[] }): Promise<number> {
  const { model, version } = versionRef(ref);
  const set: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UserError(`expected key=value, got "${pair}"`, "E_USAGE");
    set[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const remove = opts.remove ?? [];
  const problems = tagProblems({ set, remove });
  if (problems.length) throw new UserError(problems.join("\n"), "E_USAGE");
  const store = openStoreFor(ctx, opts.store);
  let tags: Record<string, string>;
  if (pairs.length === 0 && remove.length === 0) {
    // No change asked for: show the tags (of a live or deleted version).
    tags = await getTags(store, model, version);
  } else {
    const changed = await changeTags(store, model, version, { set, remove }, ctx.now);
    if (!changed.ok) {
      throw changed.reason === "deleted"
        ? new UserError(`${model}@${version} is deleted; its tags cannot change`, "E_DELETED")
        : new UserError(`${model} has no version ${version} in ${store.location}`, "E_NOT_FOUND");
    }
    tags = changed.record.tags;
  }
  if (opts.json) {
    printJson(ctx, { ok: true, model, version, tags });
    return 0;
  }
  const entries = Object.entries(tags);
  println(ctx, `${model}@${version} tags: ${entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(" ") : "(none)"}`);
  return 0;
}

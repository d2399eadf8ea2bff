// mlship promote MODEL@VERSION --to ALIAS [--expect CURRENT|none]: point an alias at a version, recorded as a promotion.
import type { Context } from "../context.js";
import { moveAndReport, type MoveFlags } from "./alias.js";
import { aliasRef, versionRef } from "./registry-shared.js";

export async function run(ctx: Context, ref: string, opts: MoveFlags & { to: string }): Promise<number> {
  const { model, version } = versionRef(ref);
  const { alias } = aliasRef(`${model}@${opts.to}`);
  return moveAndReport(ctx, model, alias, version, "promote", opts);
}

// mlship report NAME[@REF] [-o FILE] [--json]: one version's self-contained HTML report, or the data behind it.
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { getVersionEntry, parseModelRef, resolveModelRef, type VersionRecord } from "../../registry/index.js";
import { writeOutputFile } from "../output-file.js";
import { renderReport, reportData } from "../../report/index.js";

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean; output?: string }): Promise<number> {
  const { model, selector } = parseModelRef(ref);
  const store = openStoreFor(ctx, opts.store);
  // As `models show`: an explicit version is reported even when deleted (marked so); aliases and latest only live ones.
  let record: VersionRecord | null;
  let deleted = false;
  if ("version" in selector) {
    const entry = await getVersionEntry(store, model, selector.version);
    record = entry?.record ?? null;
    deleted = Boolean(entry?.deleted);
  } else {
    record = await resolveModelRef(store, ref);
  }
  if (!record) throw new UserError(`no model version matches "${ref}" in ${store.location} (see: mlship models list)`, "E_NOT_FOUND");
  const data = await reportData(store, record, deleted);
  if (opts.json) {
    printJson(ctx, data);
    return 0;
  }
  const file = resolve(ctx.cwd, opts.output ?? `${safeFileName(record.model)}-v${record.version}-report.html`);
  await writeOutputFile(file, renderReport(data));
  println(ctx, file);
  return 0;
}

// A model name as a file name: anything but letters, digits, dot, dash and underscore becomes "_".
export const safeFileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "_");

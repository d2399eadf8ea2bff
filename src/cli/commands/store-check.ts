// mlship store check: every problem in the store, each under its key; exit 0 when there is none, 1 otherwise.
import type { Context } from "../context.js";
import { info, printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { EXIT } from "../../errors.js";
import { checkStore } from "../../audit/index.js";

export async function run(ctx: Context, opts: { store?: string; json?: boolean }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const report = await checkStore(store, opts.json ? {} : { progress: (text) => info(ctx, text) });
  if (opts.json) {
    printJson(ctx, report);
  } else {
    for (const p of report.problems) println(ctx, `${p.key}: ${p.message}`);
    const c = report.checked;
    const what = `${c.models} models, ${c.versions} versions (${c.artifactFiles} artifact files), ${c.aliases} aliases, ${c.tags} tag records, ${c.tombstones} tombstones, ${c.runs} runs`;
    const n = report.problems.length;
    if (c.models === 0 && c.runs === 0) println(ctx, `nothing to check: ${store.location} has no registry and no runs (is --store right?)`);
    else println(ctx, `${n === 0 ? "no problems" : `${n} problem${n === 1 ? "" : "s"}`} in ${store.location}: checked ${what}`);
  }
  return report.ok ? EXIT.ok : EXIT.failed;
}

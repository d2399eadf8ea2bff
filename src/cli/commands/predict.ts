// mlship predict REF --input F --output F: offline scoring of Arrow, CSV or JSON-lines files.
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { info, printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { predictFile } from "../../predict/index.js";

interface Flags {
  input: string;
  output: string;
  inputFormat?: string;
  outputFormat?: string;
  onInvalid?: string;
  strictInputs?: boolean;
  store?: string;
  json?: boolean;
}

export async function run(ctx: Context, ref: string, opts: Flags): Promise<number> {
  const onInvalid = opts.onInvalid ?? "fail";
  if (onInvalid !== "fail" && onInvalid !== "skip") throw new UserError(`--on-invalid must be fail or skip, got "${onInvalid}"`);
  const store = openStoreFor(ctx, opts.store);
  const result = await predictFile(store, {
    ref,
    input: resolve(ctx.cwd, opts.input),
    output: resolve(ctx.cwd, opts.output),
    ...(opts.inputFormat ? { inputFormat: opts.inputFormat } : {}),
    ...(opts.outputFormat ? { outputFormat: opts.outputFormat } : {}),
    onInvalid,
    mode: opts.strictInputs ? "strict" : "lenient",
  });
  if (opts.json) {
    printJson(ctx, { ok: true, ...result });
    return 0;
  }
  for (const s of result.skipped.slice(0, 10)) info(ctx, `skipped row ${s.row}: ${s.message}`);
  for (const [input, n] of Object.entries(result.unseen)) info(ctx, `${input}: ${n} value(s) the model never saw in training (scored as its handleInvalid says; see mlship models show)`);
  println(ctx, `scored ${result.written} of ${result.rows} rows with ${result.model}@${result.version} -> ${opts.output} (${result.outputFormat}, ${result.seconds.toFixed(2)} s)`);
  return 0;
}

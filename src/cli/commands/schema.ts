// mlship schema [-o FILE]: the job spec's JSON Schema as the package ships it (schema/mlship-job.schema.json).
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Context } from "../context.js";
import { FatalError } from "../../errors.js";
import { writeOutputFile } from "../output-file.js";
import { JSON_SCHEMA_FILE } from "../../jobspec/json-schema-file.js";

export async function run(ctx: Context, opts: { out?: string }): Promise<number> {
  const path = join(ctx.projectRoot, JSON_SCHEMA_FILE);
  const text = await readFile(path, "utf8").catch(() => {
    throw new FatalError(`${path} is missing from this installation: reinstall mlship, or run npm run build in a clone`, "E_INTERNAL");
  });
  if (opts.out) {
    const target = resolve(ctx.cwd, opts.out);
    await writeOutputFile(target, text);
    ctx.stderr.write(`mlship: wrote ${target}; reference it in a spec's first line: # yaml-language-server: $schema=${opts.out}\n`);
  } else ctx.stdout.write(text);
  return 0;
}

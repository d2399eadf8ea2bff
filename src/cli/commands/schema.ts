// mlship schema [-o FILE]: the job spec's JSON Schema as the package ships it (schema/mlship-job.schema.json).
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Context } from "../context.js";
import { FatalError, UserError } from "../../errors.js";
import { JSON_SCHEMA_FILE } from "../../jobspec/json-schema-file.js";

export async function run(ctx: Context, opts: { out?: string }): Promise<number> {
  const path = join(ctx.projectRoot, JSON_SCHEMA_FILE);
  const text = await readFile(path, "utf8").catch(() => {
    throw new FatalError(`${path} is missing from this installation: reinstall mlship, or run npm run build in a clone`, "E_INTERNAL");
  });
  if (opts.out) {
    const target = resolve(ctx.cwd, opts.out);
    await writeFile(target, text).catch((e: NodeJS.ErrnoException) => {
      throw new UserError(`cannot write ${target}: ${e.code === "ENOENT" ? "its folder does not exist" : (e.code ?? e.message)}`, "E_USAGE");
    });
    ctx.stderr.write(`mlship: wrote ${target}; reference it in a spec's first line: # yaml-language-server: $schema=${opts.out}\n`);
  } else ctx.stdout.write(text);
  return 0;
}

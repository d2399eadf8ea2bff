// mlship doctor: every environment check with its fix; exit 0 when none failed (warnings allowed), else 1.
import type { Context } from "../context.js";
import { printJson, println } from "../output.js";
import { EXIT } from "../../errors.js";
import { formatDoctor } from "../../doctor/checks.js";
import { runDoctor } from "../../doctor/gather.js";

export async function run(ctx: Context, opts: { store?: string; json?: boolean; awsProfile?: string }): Promise<number> {
  const report = await runDoctor({ env: ctx.env, cwd: ctx.cwd, projectRoot: ctx.projectRoot, nodeVersion: process.versions.node, store: opts.store, profile: opts.awsProfile });
  if (opts.json) printJson(ctx, report);
  else for (const line of formatDoctor(report)) println(ctx, line);
  return report.ok ? EXIT.ok : EXIT.failed;
}

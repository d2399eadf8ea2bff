// mlship setup [--json] [--quiet]: the Python runtime under MLSHIP_HOME for this version's runtime requirements (docs/operations.md "Install").
import type { Context } from "../context.js";
import { info, printJson, println } from "../output.js";
import { isClone } from "../../setup/locate.js";
import { setupRuntime } from "../../setup/install.js";

export async function run(ctx: Context, opts: { json?: boolean; quiet?: boolean }): Promise<number> {
  const quiet = Boolean(opts.quiet);
  // SIGINT/SIGTERM stop pip and remove the half-built runtime (setupRuntime's clean-up), then the run ends with E_KILLED.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const r = await setupRuntime({
      env: ctx.env,
      projectRoot: ctx.projectRoot,
      quiet,
      progress: (line) => quiet || info(ctx, line),
      output: (chunk) => ctx.stderr.write(chunk),
      now: ctx.now,
      signal: stop.signal,
    });
    if (opts.json) {
      printJson(ctx, { ok: true, ...r });
      return 0;
    }
    const what = r.status === "already" ? "already set up" : `set up in ${r.seconds} s`;
    println(ctx, `mlship: ${what}: ${r.dir} (${r.requirements.join(", ")}; Java ${r.java.major})`);
    if (isClone(ctx.projectRoot) && !quiet) info(ctx, "note: from a clone, the clone's .venv (npm run setup) comes first when it exists");
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

// mlship runs kill RUN_ID [--wait S]: stop a run from another shell (src/runs/kill.ts).
import type { Context } from "../context.js";
import { info, printJson, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { UserError } from "../../errors.js";
import { killRun } from "../../runs/kill.js";
import { processProbe } from "../../runs/supervisor.js";
import { remoteTools } from "../../runs/remote-tools.js";
import { runRemoteCommand } from "../../remote/index.js";
import { locateRun } from "./runs-show.js";

export async function run(ctx: Context, ref: string, opts: { store?: string; json?: boolean; wait?: string }): Promise<number> {
  const waitSeconds = opts.wait === undefined ? 300 : Number(opts.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UserError(`--wait: expected a number of seconds >= 0, got "${opts.wait}"`, "E_USAGE");
  const store = openStoreFor(ctx, opts.store);
  const { job, runId } = await locateRun(store, ref);
  const { tools, env } = remoteTools(ctx.env, ctx.projectRoot);
  const outcome = await killRun(
    {
      store,
      now: ctx.now,
      probe: processProbe(),
      signal: (pid) => process.kill(pid, "SIGTERM"),
      tools,
      run: (command) => runRemoteCommand(command, { env, timeoutMs: 180_000 }),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      progress: (m) => (opts.json ? undefined : info(ctx, `mlship: ${m}`)),
      waitSeconds,
    },
    job,
    runId,
  );
  if (opts.json) printJson(ctx, { ok: true, ...outcome });
  else println(ctx, `run ${runId} (job ${job}): ${outcome.status}`);
  return 0;
}

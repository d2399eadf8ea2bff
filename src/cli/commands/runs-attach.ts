// mlship runs attach RUN_ID: follow a run until it ends; exits as the run's own `train` would have (0, 1, 130).
import type { Context } from "../context.js";
import { info, println } from "../output.js";
import { openStoreFor } from "../store.js";
import { FatalError } from "../../errors.js";
import { exitCodeOf, isErrorCode, type CodeWithExit } from "../../error-codes.js";
import { attachRun } from "../../runs/attach.js";
import { processProbe } from "../../runs/supervisor.js";
import { locateRun } from "./runs-show.js";

export async function run(ctx: Context, ref: string, opts: { store?: string }): Promise<number> {
  const store = openStoreFor(ctx, opts.store);
  const { job, runId } = await locateRun(store, ref);
  const { record, status } = await attachRun(
    {
      store,
      now: ctx.now,
      probe: processProbe(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      line: (text) => println(ctx, text),
      note: (text) => info(ctx, `mlship: ${text}`),
    },
    job,
    runId,
  );
  if (status === "succeeded") return 0;
  if (status === "lost") throw new FatalError(`run ${runId} is lost: its mlship stopped writing a heartbeat (see mlship runs status ${runId})`, "E_RUN_LOST");
  const message = `run ${runId} ${status}: ${(record.error ?? "no error recorded").split("\n")[0]}`;
  throw new FatalError(message, runCode(record.errorCode, status === "killed" ? "killed" : "failed"));
}

// The run's own error code when it is one with a run's exit code; else the generic one for its status.
function runCode(code: string | undefined, status: "failed" | "killed"): CodeWithExit<1 | 4 | 5 | 130> {
  if (code && isErrorCode(code)) {
    const exit = exitCodeOf(code);
    if (exit === 1 || exit === 130) return code as CodeWithExit<1 | 130>;
  }
  return status === "killed" ? "E_KILLED" : "E_RUN_FAILED";
}

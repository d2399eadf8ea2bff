// Cluster deploy mode: a submitter told not to wait for its driver leaves mlship polling the driver's status.
import { warn, type RuleContext } from "./context.js";
import { WAIT_APP_COMPLETION } from "./run-conf.js";

// A warning when the spec turns the submitter's wait off (mlship then asks the cluster until the driver ends).
export function checkClusterWait(ctx: RuleContext): void {
  const m = ctx.manager;
  if (!ctx.cluster || m === undefined || m === "local") return;
  const key = WAIT_APP_COMPLETION[m];
  if (String(ctx.spark.conf[key] ?? "true").trim().toLowerCase() !== "false") return;
  const how =
    m === "standalone"
      ? "with `spark-submit --status`, which needs the master's REST server (spark.master.rest.enabled=true, master: spark://host:6066)"
      : m === "yarn"
        ? "with `yarn application -status`, which needs `yarn` on PATH"
        : "with `spark-submit --status`";
  warn(ctx, `spark.conf ${key}=false: spark-submit returns while the driver runs, so mlship polls the driver's state ${how}; leave it unset to let spark-submit wait`);
}

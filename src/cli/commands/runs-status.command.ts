// Declares `mlship runs status RUN`; the handler (runs-status.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "status",
  description: "a run's status now (lost included), who runs it and, for a cluster-mode driver, its state asked of the cluster",
  args: [{ name: "<run>", description: "RUN_ID or JOB/RUN_ID" }],
  options: [storeOption, jsonOption],
  examples: ["mlship runs status 20261127T080000Z-1a2b3c", "mlship runs status churn/20261127T080000Z-1a2b3c --json"],
  load: async () => (await import("./runs-status.js")).run,
});

// Declares `mlship runs kill RUN`; the handler (runs-kill.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "kill",
  description: "stop a running run from another shell: its mlship on this host, or a cluster-mode driver through the cluster (exit 5 if it had already ended)",
  args: [{ name: "<run>", description: "RUN_ID or JOB/RUN_ID" }],
  options: [storeOption, jsonOption, { flags: "--wait <seconds>", description: "how long the run's mlship gets to stop Spark (and kill a cluster-mode driver) and record it", default: "300" }],
  examples: ["mlship runs kill 20261127T080000Z-1a2b3c", "mlship runs kill churn/20261127T080000Z-1a2b3c --json"],
  load: async () => (await import("./runs-kill.js")).run,
});

// Declares `mlship runs logs RUN`; the handler (runs-logs.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "logs",
  description: "print a run's driver log",
  args: [{ name: "<run>", description: "RUN_ID or JOB/RUN_ID" }],
  options: [storeOption, jsonOption, { flags: "--event-log", description: "print the Spark event log instead" }],
  examples: ["mlship runs logs 20261127T080000Z-1a2b3c", "mlship runs logs churn/20261127T080000Z-1a2b3c --event-log"],
  load: async () => (await import("./runs-logs.js")).run,
});

// Declares `mlship runs show RUN`; the handler (runs-show.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "show",
  description: "show one run record",
  args: [{ name: "<run>", description: "RUN_ID or JOB/RUN_ID" }],
  options: [storeOption, jsonOption],
  examples: ["mlship runs show 20261127T080000Z-1a2b3c", "mlship runs show churn/20261127T080000Z-1a2b3c --json"],
  load: async () => (await import("./runs-show.js")).run,
});

// Declares `mlship runs attach RUN`; the handler (runs-attach.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "attach",
  description: "follow a running run from another shell (its driver log and status) until it ends; the exit code is the run's",
  args: [{ name: "<run>", description: "RUN_ID or JOB/RUN_ID" }],
  options: [storeOption],
  examples: ["mlship runs attach 20261127T080000Z-1a2b3c", "mlship runs attach churn/20261127T080000Z-1a2b3c --store s3://ml-artifacts/mlship"],
  load: async () => (await import("./runs-attach.js")).run,
});

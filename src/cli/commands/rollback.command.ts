// Declares `mlship rollback NAME@ALIAS`; the handler (rollback.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { moveOptions } from "../shared-options.js";

export const command = defineCommand({
  name: "rollback",
  description: "move an alias back to the version it pointed at before its last move",
  args: [{ name: "<ref>", description: "NAME@ALIAS" }],
  options: moveOptions,
  examples: ["mlship rollback churn@production", "mlship rollback churn@production --expect 3 --reason \"latency regression\""],
  load: async () => (await import("./rollback.js")).run,
});

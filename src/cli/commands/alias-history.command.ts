// Declares `mlship alias history NAME@ALIAS`; the handler (alias.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "history",
  description: "show where an alias points, every move, and where a rollback would go",
  args: [{ name: "<ref>", description: "NAME@ALIAS" }],
  options: [storeOption, jsonOption],
  examples: ["mlship alias history churn@production", "mlship alias history churn@production --json"],
  load: async () => (await import("./alias.js")).history,
});

// Declares `mlship alias set NAME@ALIAS VERSION`; the handler (alias.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { moveOptions } from "../shared-options.js";

export const command = defineCommand({
  name: "set",
  description: "point an alias at a version (compare-and-swap with --expect)",
  args: [
    { name: "<ref>", description: "NAME@ALIAS" },
    { name: "<version>", description: "version number" },
  ],
  options: moveOptions,
  examples: ["mlship alias set churn@staging 2", "mlship alias set churn@production 2 --expect 1 --reason \"better recall\"", "mlship alias set churn@canary 3 --expect none"],
  load: async () => (await import("./alias.js")).run,
});

// Declares `mlship models diff A B`; the handler (models-diff.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "diff",
  description: "compare two versions: fitted parameters, effective spec, data, metrics and lineage, side by side",
  args: [
    { name: "<a>", description: "NAME@VERSION, NAME@ALIAS or NAME@latest" },
    { name: "<b>", description: "the other version (a bare number means the same model)" },
  ],
  options: [storeOption, jsonOption],
  examples: ["mlship models diff churn@1 churn@2", "mlship models diff churn@production 3", "mlship models diff churn@1 churn-eu@1 --json"],
  load: async () => (await import("./models-diff.js")).run,
});

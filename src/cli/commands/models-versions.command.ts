// Declares `mlship models versions NAME`; the handler (models-versions.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "versions",
  description: "list a model's versions: key metric, parity, aliases, tags",
  args: [{ name: "<name>", description: "model name" }],
  options: [
    storeOption,
    jsonOption,
    { flags: "--all", description: "include soft-deleted versions" },
    { flags: "--metric <name>", description: "the metric column to show (default: the version's headline metric)" },
  ],
  examples: ["mlship models versions churn", "mlship models versions churn --all --metric accuracy"],
  load: async () => (await import("./models-versions.js")).run,
});

// Declares `mlship models list`; the handler (models-list.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "list",
  description: "list models with their latest version and aliases",
  options: [storeOption, jsonOption],
  examples: ["mlship models list", "mlship models list --store s3://my-bucket/mlship --json"],
  load: async () => (await import("./models-list.js")).run,
});

// Declares `mlship models show REF`; the handler (models-show.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "show",
  description: "show one version: metrics, parity certificate, lineage, artifacts",
  args: [{ name: "<ref>", description: "NAME, NAME@VERSION, NAME@ALIAS or NAME@latest" }],
  options: [storeOption, jsonOption],
  examples: ["mlship models show churn@1", "mlship models show churn@production --json"],
  load: async () => (await import("./models-show.js")).run,
});

// Declares `mlship models delete NAME@VERSION`; the handler (models-delete.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "delete",
  description: "soft-delete a version: hidden from lists, aliases and serving; record and artifacts kept",
  args: [{ name: "<ref>", description: "NAME@VERSION" }],
  options: [
    storeOption,
    jsonOption,
    { flags: "--force", description: "delete even when an alias points at it (the alias then resolves to nothing)" },
    { flags: "--reason <text>", description: "why, kept in the tombstone" },
  ],
  examples: ['mlship models delete churn@2 --reason "trained on a bad extract"', "mlship models delete churn@1 --force"],
  load: async () => (await import("./models-delete.js")).run,
});

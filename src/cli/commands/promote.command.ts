// Declares `mlship promote NAME@VERSION --to ALIAS`; the handler (promote.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { moveOptions } from "../shared-options.js";

export const command = defineCommand({
  name: "promote",
  description: "point an alias at a version, recorded as a promotion",
  args: [{ name: "<ref>", description: "NAME@VERSION" }],
  options: [...moveOptions, { flags: "--to <alias>", description: "the alias to move, e.g. production", required: true }],
  examples: ["mlship promote churn@2 --to production", "mlship promote churn@3 --to production --expect 2 --reason \"passed the A/B test\""],
  load: async () => (await import("./promote.js")).run,
});

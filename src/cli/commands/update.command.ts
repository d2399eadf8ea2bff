// Declares `mlship update SPEC --from NAME@REF`; the handler (update.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { eventsOption, quietOption, specOptions, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "update",
  description: "train a child of a version from only the data that is new since it (docs/updating.md)",
  args: [{ name: "<spec>", description: "job spec (YAML)" }],
  options: [{ flags: "--from <ref>", description: "the parent version: NAME@VERSION, NAME@ALIAS or NAME@latest", required: true }, ...specOptions, storeOption, quietOption, eventsOption],
  examples: ["mlship update jobs/quickstart.yaml --from churn@staging", "mlship update jobs/quickstart.yaml --from churn@latest --quiet --json"],
  load: async () => (await import("./update.js")).run,
});

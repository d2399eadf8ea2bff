// Declares `mlship validate SPEC`; the handler (validate.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { specOptions, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "validate",
  description: "check a job spec and report every problem at once",
  args: [{ name: "<spec>", description: "job spec (YAML)" }],
  options: [...specOptions, storeOption],
  examples: ["mlship validate jobs/quickstart.yaml", "mlship validate jobs/quickstart.yaml --profile cluster --json"],
  load: async () => (await import("./validate.js")).run,
});

// Declares `mlship setup`; the handler (setup.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption } from "../shared-options.js";

export const command = defineCommand({
  name: "setup",
  description: "create the Python runtime train/update/plan use (pinned pyspark, pyarrow, numpy) under $MLSHIP_HOME; idempotent",
  options: [jsonOption, { flags: "-q, --quiet", description: "no progress lines and no pip output (errors still print)" }],
  examples: ["mlship setup", "mlship setup --json --quiet"],
  load: async () => (await import("./setup.js")).run,
});

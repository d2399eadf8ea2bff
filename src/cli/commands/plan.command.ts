// Declares `mlship plan SPEC`; the handler (plan.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { specOptions, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "plan",
  description: "print the spark-submit command a spec becomes (secrets redacted)",
  args: [{ name: "<spec>", description: "job spec (YAML)" }],
  options: [...specOptions, storeOption],
  examples: ["mlship plan jobs/quickstart.yaml", "mlship plan jobs/quickstart.yaml --set spark.master=local[1] --json", "mlship plan jobs/quickstart.yaml --store s3://my-bucket/mlship"],
  load: async () => (await import("./plan.js")).run,
});

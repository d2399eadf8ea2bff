// Declares `mlship train SPEC`; the handler (train.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { eventsOption, quietOption, specOptions, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "train",
  description: "run the training job on Spark, certify the model and register a version",
  args: [{ name: "<spec>", description: "job spec (YAML)" }],
  options: [...specOptions, storeOption, quietOption, eventsOption],
  examples: ["mlship train jobs/quickstart.yaml", "mlship train jobs/quickstart.yaml --quiet --json", "mlship train jobs/quickstart.yaml --events run-events.jsonl", "mlship train jobs/quickstart.yaml --store s3://my-bucket/mlship --profile cluster"],
  load: async () => (await import("./train.js")).run,
});

// Declares `mlship predict REF -i IN -o OUT`; the handler (predict.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "predict",
  description: "score a file offline (Arrow IPC, CSV, JSON lines) with a registered version; no server, no Spark",
  args: [{ name: "<ref>", description: "NAME@ALIAS, NAME@VERSION or NAME" }],
  options: [
    { flags: "-i, --input <file>", description: "input file (.arrow, .arrows, .csv, .jsonl)", required: true },
    { flags: "-o, --output <file>", description: "output file: the input columns plus prediction, label, probability, raw_prediction", required: true },
    { flags: "--input-format <format>", description: "arrow | arrow-stream | csv | jsonl (default: from the extension)" },
    { flags: "--output-format <format>", description: "arrow | arrow-stream | csv | jsonl (default: from the extension)" },
    { flags: "--on-invalid <mode>", description: "fail (default: nothing written) or skip rows that cannot be scored", default: "fail" },
    { flags: "--strict-inputs", description: "take only the pipeline's own types (no casts)" },
    storeOption,
    jsonOption,
  ],
  examples: ["mlship predict churn@staging --input customers.csv --output scored.csv", "mlship predict churn@3 -i batch.arrow -o scored.arrow --json", "mlship predict churn -i events.jsonl -o scored.jsonl --on-invalid skip"],
  load: async () => (await import("./predict.js")).run,
});

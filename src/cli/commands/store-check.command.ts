// Declares `mlship store check`; the handler (store-check.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "check",
  description: "check every registry record, version artifact (MANIFEST.json, sizes, sha256) and run record; exit 1 on any problem",
  options: [storeOption, jsonOption],
  examples: ["mlship store check", "mlship store check --store s3://my-bucket/mlship --json"],
  load: async () => (await import("./store-check.js")).run,
});

// Declares `mlship schema`; the handler (schema.ts) loads only when it runs.
import { defineCommand } from "../define.js";

export const command = defineCommand({
  name: "schema",
  description: "print the job spec's JSON Schema (for editors: yaml-language-server, VS Code)",
  options: [{ flags: "-o, --out <file>", description: "write it to FILE instead of stdout" }],
  examples: ["mlship schema -o mlship-job.schema.json", "mlship schema"],
  load: async () => (await import("./schema.js")).run,
});

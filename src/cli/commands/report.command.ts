// Declares `mlship report NAME@REF`; the handler (report.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "report",
  description: "write one version's report: a self-contained HTML page with its metrics, curves, matrices, weights, lineage and history",
  args: [{ name: "<ref>", description: "NAME, NAME@VERSION, NAME@ALIAS or NAME@latest" }],
  options: [
    { flags: "-o, --output <file>", description: "where to write the page (default: ./NAME-vVERSION-report.html)" },
    storeOption,
    { ...jsonOption, description: "print the data behind the report as JSON on stdout instead of writing the page" },
  ],
  examples: ["mlship report churn@1", "mlship report churn@production -o review.html", "mlship report churn@latest --json"],
  load: async () => (await import("./report.js")).run,
});

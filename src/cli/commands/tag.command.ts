// Declares `mlship tag NAME@VERSION [key=value...]`; the handler (tag.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "tag",
  description: "set or remove tags of a version (no pairs: show them)",
  args: [
    { name: "<ref>", description: "NAME@VERSION" },
    { name: "[pairs...]", description: "key=value tags to set" },
  ],
  options: [storeOption, jsonOption, { flags: "--remove <key>", description: "remove a tag (repeatable)", repeatable: true }],
  examples: ["mlship tag churn@2 owner=risk-team ticket=ML-42", "mlship tag churn@2 --remove ticket", "mlship tag churn@2"],
  load: async () => (await import("./tag.js")).run,
});

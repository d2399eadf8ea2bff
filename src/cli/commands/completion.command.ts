// Declares `mlship completion`; the handler (completion.ts) loads only when it runs.
import { defineCommand } from "../define.js";

export const command = defineCommand({
  name: "completion",
  description: "print a shell completion script (bash, zsh or fish) for mlship's commands and options",
  args: [{ name: "<shell>", description: "bash, zsh or fish" }],
  options: [],
  examples: ["mlship completion bash", "mlship completion fish"],
  load: async () => (await import("./completion.js")).run,
});

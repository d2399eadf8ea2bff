// Declares `mlship runs list`; the handler (runs-list.ts) loads only when it runs.
import { defineCommand } from "../define.js";
import { jsonOption, storeOption } from "../shared-options.js";

export const command = defineCommand({
  name: "list",
  description: "list runs, newest first",
  options: [
    storeOption,
    jsonOption,
    { flags: "--job <name>", description: "only runs of this job" },
    { flags: "--status <status>", description: "only runs with this status: submitted, running, succeeded, failed, killed, timed-out, lost (running, but its mlship stopped writing a heartbeat)" },
    { flags: "--limit <n>", description: "at most N runs", default: "20" },
  ],
  examples: ["mlship runs list", "mlship runs list --job churn --status failed --limit 5 --json"],
  load: async () => (await import("./runs-list.js")).run,
});

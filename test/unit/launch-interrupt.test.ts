// launch's onInterrupt hook (a cluster-mode driver's kill) runs before spark-submit's process group is signalled.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { launch } from "../../src/launch/index.js";
import { tempDir } from "../helpers/tmp.js";

describe("launch onInterrupt", () => {
  it("runs the hook first, then SIGTERMs the group; the result says interrupted", async () => {
    const stop = new AbortController();
    const events: string[] = [];
    const child = "console.log('ready'); process.on('SIGTERM', () => { console.log('sigterm'); process.exit(143); }); setInterval(() => {}, 1000);";
    const result = await launch({
      argv: [process.execPath, "-e", child],
      env: {},
      cwd: process.cwd(),
      redact: (t) => t,
      logFile: join(tempDir(), "driver.log"),
      stop: stop.signal,
      onLine: (line) => {
        events.push(line);
        if (line === "ready") stop.abort();
      },
      onInterrupt: async (sig) => {
        events.push(`hook ${sig}`);
        await new Promise((r) => setTimeout(r, 200));
        events.push("hook done");
      },
    });
    expect(result.interrupted).toBe("SIGTERM");
    expect(events.filter((e) => !e.startsWith("mlship:"))).toEqual(["ready", "hook SIGTERM", "hook done", "sigterm"]);
  });
});

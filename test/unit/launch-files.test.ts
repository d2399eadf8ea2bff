// launch writes the plan's private files with mode 0600 before the child starts and removes them however it ends.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launch/index.js";
import { tempDir } from "../helpers/tmp.js";

const dir = tempDir("mlship-launch-files-");

// Runs a real shell as "spark-submit" and returns the log it wrote and how it ended.
async function run(name: string, script: string, files: { path: string; content: string }[]) {
  const logFile = join(dir, `${name}.log`);
  const result = await launch({ argv: ["sh", "-c", script], env: {}, cwd: dir, redact: (s) => s, logFile, files, killGraceMs: 1000 });
  return { result, log: readFileSync(logFile, "utf8") };
}

describe("private files", () => {
  it("exist with mode 0600 while the child runs, hold the content, and are gone after it succeeds", async () => {
    const path = join(dir, "job.json");
    const { result, log } = await run("ok", `stat -c %a ${path}; cat ${path}`, [{ path, content: '{"password":"p4ss"}' }]);
    expect(result.exitCode).toBe(0);
    expect(log).toBe('600\n{"password":"p4ss"}\n');
    expect(existsSync(path)).toBe(false);
  });

  it("are gone after the child fails, or cannot even start", async () => {
    const path = join(dir, "fail.properties");
    const { result } = await run("fail", `test -f ${path} && exit 3`, [{ path, content: "a=b\n" }]);
    expect(result.exitCode).toBe(3);
    expect(existsSync(path)).toBe(false);
    const logFile = join(dir, "nostart.log");
    const missing = await launch({ argv: [join(dir, "no-such-spark-submit")], env: {}, cwd: dir, redact: (s) => s, logFile, files: [{ path, content: "x" }] });
    expect(missing.exitCode).not.toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it("never reuse a file that is already there (it could be someone else's, or a link)", async () => {
    const path = join(dir, "taken.json");
    writeFileSync(path, "not ours");
    await expect(run("taken", "true", [{ path, content: "secret" }])).rejects.toThrow(/EEXIST/);
    expect(readFileSync(path, "utf8")).toBe("not ours"); // and left alone

  });
});

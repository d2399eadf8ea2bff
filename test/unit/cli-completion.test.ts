// mlship completion: the scripts come from the real command tree (every command, subcommand and option is in them),
// the bash one passes `bash -n` and completes like a shell would.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { fullProgram } from "../../src/cli/commands/completion.js";
import { completionScript, completionTree } from "../../src/cli/completion.js";
import { commandPaths } from "../../src/cli/define.js";
import type { Context } from "../../src/cli/context.js";
import { cliInProcess } from "../helpers/cli-in-process.js";
import { tempDir } from "../helpers/tmp.js";

const ctx = { cwd: "/", env: {}, stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false, projectRoot: "/", now: () => new Date() } as Context;
const program = fullProgram(ctx);
const dir = tempDir("mlship-completion-");

// What bash would offer for a command line typed so far (the last word is the one being completed).
function bashComplete(words: string[]): string[] {
  const file = join(dir, "mlship.bash");
  writeFileSync(file, completionScript("bash", program));
  const line = ["mlship", ...words];
  const script = `source ${file}; COMP_WORDS=(${line.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${line.length - 1}; _mlship; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync("bash", ["-c", script], { cwd: dir, encoding: "utf8" }).split("\n").filter(Boolean).sort();
}

describe("mlship completion", () => {
  it("the tree holds every declared command and its options", () => {
    const nodes = (function all(n: ReturnType<typeof completionTree>): ReturnType<typeof completionTree>[] {
      return [n, ...n.subcommands.flatMap(all)];
    })(completionTree(program));
    const paths = nodes.map((n) => n.path.join(" "));
    for (const { path, command } of commandPaths(COMMANDS)) {
      expect(paths).toContain(path);
      const node = nodes.find((n) => n.path.join(" ") === path)!;
      for (const o of command.options) expect(node.options.flatMap((x) => x.flags)).toContain(/--[\w-]+/.exec(o.flags)![0]);
    }
  });

  it.each(["bash", "zsh", "fish"] as const)("%s: names every command and subcommand", (shell) => {
    const text = completionScript(shell, program);
    for (const { path } of commandPaths(COMMANDS)) for (const word of path.split(" ")) expect(text).toContain(word);
    for (const entry of COMMANDS) expect(text).toContain(entry.name);
  });

  it("bash: the script passes bash -n", () => {
    const file = join(dir, "check.bash");
    writeFileSync(file, completionScript("bash", program));
    execFileSync("bash", ["-n", file]);
  });

  it("bash: commands, subcommands, a leaf's options, option values skipped", () => {
    expect(bashComplete(["mo"])).toEqual(["models"]);
    expect(bashComplete(["models", ""])).toEqual(["--help", "-h", "delete", "diff", "list", "show", "versions"]);
    expect(bashComplete(["runs", "kill", "--"])).toEqual(expect.arrayContaining(["--wait", "--help"]));
    expect(bashComplete(["doctor", "--store", "s3://b", "--js"])).toEqual(["--json"]);
    expect(bashComplete(["--st"])).toEqual([]);
  });

  it("fish: subcommands only under their group, options under their command", () => {
    const text = completionScript("fish", program);
    expect(text).toContain("complete -c mlship -n '__fish_seen_subcommand_from models; and not __fish_seen_subcommand_from list show versions diff delete' -a list");
    expect(text).toContain("complete -c mlship -n '__fish_seen_subcommand_from doctor' -l aws-profile -r -F");
  });

  it("the command prints the script, and refuses an unknown shell with exit 2", async () => {
    const ok = await cliInProcess(["completion", "bash"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("complete -o default -F _mlship mlship");
    const bad = await cliInProcess(["completion", "tcsh"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown shell "tcsh": expected bash, zsh, fish');
  });
});

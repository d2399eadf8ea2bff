// The command declarations (src/cli/commands/*.command.ts): every command has working Examples in its --help,
// shared options say the truth, usage errors honour --json, and the README lists every command.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { parse as shellParse } from "shell-quote";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { commandPaths, type CommandTreeEntry } from "../../src/cli/define.js";
import { addCommandTree } from "../../src/cli/program.js";
import type { Context } from "../../src/cli/context.js";
import { cliInProcess } from "../helpers/cli-in-process.js";

const root = join(import.meta.dirname, "..", "..");
const leaves = commandPaths(COMMANDS);
const groups = COMMANDS.filter((e) => e.kind === "group").map((g) => g.name);
const EXAMPLES_AT_END = /\nExamples:\n( {2}\$ mlship .+\n)+$/;

const quietContext = (): Context => ({
  cwd: root,
  env: {},
  stdout: { write: () => true },
  stderr: { write: () => true },
  isTTY: false,
  projectRoot: root,
  now: () => new Date("2026-11-27T08:00:00Z"),
});

describe("command declarations", () => {
  it.each([[""], ...groups.map((g) => [g]), ...leaves.map((l) => [l.path])])("mlship %s --help ends with Examples", async (path) => {
    const r = await cliInProcess([...path.split(" ").filter(Boolean), "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(EXAMPLES_AT_END);
  });

  // Each example is parsed by the real command line with the handlers swapped for a recorder: no usage error, and it
  // reaches the command it documents.
  it.each(leaves.flatMap((l) => l.command.examples.map((e) => [e, l.path] as const)))("example parses: %s", async (example, path) => {
    const reached: string[] = [];
    const tree: CommandTreeEntry[] = COMMANDS.map((e) =>
      e.kind === "group"
        ? { ...e, commands: e.commands.map((c) => ({ ...c, load: async () => async () => (reached.push(`${e.name} ${c.name}`), 0) })) }
        : { ...e, load: async () => async () => (reached.push(e.name), 0) },
    );
    const program = new Command("mlship").exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    addCommandTree(program, tree, quietContext(), { code: 0 });
    const argv = shellParse(example).map(String);
    expect(argv[0]).toBe("mlship");
    await expect(program.parseAsync(argv.slice(1), { from: "user" })).resolves.toBeDefined();
    expect(reached).toEqual([path]);
  });

  it("says the store may be a directory or s3://bucket/prefix wherever --store is taken", async () => {
    const withStore = leaves.filter((l) => l.command.options.some((o) => o.flags.startsWith("--store")));
    expect(withStore.length).toBeGreaterThan(10);
    for (const l of withStore) {
      const help = (await cliInProcess([...l.path.split(" "), "--help"])).stdout.replace(/\s+/g, " ");
      expect(help, l.path).toMatch(/--store <location> store: a directory or s3:\/\/bucket\/prefix/);
    }
  });

  it("README lists every command", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    for (const { path } of leaves) expect(readme, path).toContain(`mlship ${path}`);
  });
});

describe("usage errors", () => {
  // [command line, what the message says]
  const cases: [string[], RegExp][] = [
    [["trian"], /^unknown command 'trian' \(Did you mean train\?\)$/],
    [["plan"], /^missing required argument 'spec'$/],
    [["plan", "jobs/quickstart.yaml", "--nope"], /^unknown option '--nope'$/],
    [["models", "show"], /^missing required argument 'ref'$/],
    [["promote", "churn@1"], /^required option '--to <alias>' not specified$/],
    [["alias", "set", "churn@production", "1", "extra"], /^too many arguments for 'set'/],
  ];

  it.each(cases)("mlship %j --json prints the JSON error on stdout and exits 2", async (args, says) => {
    const r = await cliInProcess([...args, "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: { code: "E_USAGE", message: expect.stringMatching(says) } });
    // --json before the command is itself a usage error (an option of the command, not of mlship), still as JSON.
    const before = await cliInProcess(["--json", ...args]);
    expect(before.code).toBe(2);
    expect(JSON.parse(before.stdout)).toMatchObject({ ok: false, error: { code: "E_USAGE" } });
  });

  it.each(cases)("mlship %j without --json prints commander's text on stderr and exits 2", async (args) => {
    const r = await cliInProcess(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: .+\n(.+\n)?\(run mlship --help for usage\)\n$/);
  });
});

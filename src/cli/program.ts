// Builds commander's command tree from the declarations in commands/index.ts; handlers load only when their command runs.
import { Command, Option } from "commander";
import type { Context } from "./context.js";
import type { CommandSpec, CommandTreeEntry, OptionSpec } from "./define.js";
import { reportError } from "./output.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

// The "Examples:" section that ends a command's --help.
export const examplesText = (examples: string[]) => `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}`;

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.repeatable) option.argParser(collect);
  if (spec.required) option.makeOptionMandatory();
  return option;
}

// Adds one command under parent; its action runs the lazily loaded handler and records the exit code.
function addCommand(parent: Command, spec: CommandSpec, ctx: Context, exit: { code: number }): void {
  const cmd = parent.command(spec.name).description(spec.description);
  for (const arg of spec.args ?? []) cmd.argument(arg.name, arg.description);
  for (const option of spec.options) cmd.addOption(toOption(option));
  cmd.addHelpText("after", examplesText(spec.examples));
  cmd.action(async (...args: unknown[]) => {
    const opts = (args.at(-2) ?? {}) as { json?: boolean };
    try {
      exit.code = await (await spec.load())(ctx, ...args.slice(0, -1));
    } catch (err) {
      exit.code = reportError(ctx, err, Boolean(opts.json));
    }
  });
}

// Adds every command and group of the tree to program (which must be configured first: subcommands inherit its settings).
export function addCommandTree(program: Command, tree: CommandTreeEntry[], ctx: Context, exit: { code: number }): void {
  for (const entry of tree) {
    if (entry.kind === "command") {
      addCommand(program, entry, ctx, exit);
      continue;
    }
    const group = program.command(entry.name).description(entry.description);
    for (const command of entry.commands) addCommand(group, command, ctx, exit);
    group.addHelpText("after", examplesText(entry.commands.map((c) => c.examples[0]!)));
  }
  const firstExamples = tree.map((entry) => (entry.kind === "command" ? entry : entry.commands[0]!).examples[0]!);
  program.addHelpText("after", examplesText(firstExamples));
}

// What a command is, as data: its arguments, options, help, examples and a lazily loaded handler.
import type { Context } from "./context.js";

// A command's handler: the positional arguments in order, then the parsed options; returns the exit code.
export type Handler = (ctx: Context, ...args: any[]) => Promise<number>;

export interface ArgumentSpec {
  name: string; // commander syntax: <ref>, [pairs...]
  description: string;
}

export interface OptionSpec {
  flags: string; // commander syntax: "-s, --set <path=value>"
  description: string;
  default?: string;
  repeatable?: boolean; // each use appends to a list
  required?: boolean;
}

export interface CommandSpec {
  kind: "command";
  name: string;
  description: string;
  args?: ArgumentSpec[];
  options: OptionSpec[];
  examples: string[]; // full command lines, each starting with "mlship "
  load: () => Promise<Handler>; // imports the handler module only when the command runs
}

export interface GroupSpec {
  kind: "group";
  name: string;
  description: string;
  commands: CommandSpec[];
}

export type CommandTreeEntry = CommandSpec | GroupSpec;

// Declares a command; the declaration module imports nothing heavy, so `--help` stays fast.
export const defineCommand = (spec: Omit<CommandSpec, "kind">): CommandSpec => ({ kind: "command", ...spec });

// Declares a group of subcommands (models, alias, runs, store).
export const defineGroup = (spec: Omit<GroupSpec, "kind">): GroupSpec => ({ kind: "group", ...spec });

// A command's full name as typed after `mlship`, e.g. "models list".
export const commandPaths = (tree: CommandTreeEntry[]): { path: string; command: CommandSpec }[] =>
  tree.flatMap((entry) => (entry.kind === "group" ? entry.commands.map((command) => ({ path: `${entry.name} ${command.name}`, command })) : [{ path: entry.name, command: entry }]));

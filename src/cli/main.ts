// mlship's command line: configures commander, builds the command tree from its declarations (commands/index.ts), parses argv.
import { Command, CommanderError, Option } from "commander";
import { EXIT, UserError } from "../errors.js";
import { COMMANDS } from "./commands/index.js";
import { type Context, processContext } from "./context.js";
import { reportError } from "./output.js";
import { addCommandTree } from "./program.js";

// Usage errors (unknown command or option, a missing argument) print as JSON when --json is anywhere on the line.
const wantsJson = (argv: string[]) => argv.includes("--json");

// commander's own outcomes that are not errors.
const NOT_AN_ERROR = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

export async function main(argv: string[], ctx: Context = processContext()): Promise<number> {
  const exit = { code: EXIT.ok as number };
  const json = wantsJson(argv);
  const program = new Command("mlship")
    .description("Ship machine-learning models from Spark training to a Spark-free prediction service.")
    .version("0.1.0", "-V, --version")
    .showHelpAfterError(json ? false : "(run mlship --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => (json ? undefined : write(s)), // with --json the error is printed below, as JSON
    });
  // A line that names a command needs only that command's branch (quicker to build); anything else gets them all,
  // so help lists every command and an unknown one gets a suggestion.
  const named = COMMANDS.find((entry) => entry.name === argv[0]);
  addCommandTree(program, named ? [named] : COMMANDS, ctx, exit);
  program.addOption(new Option("--no-color", "accepted for compatibility; mlship prints no colour").hideHelp());
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (!(err instanceof CommanderError)) return reportError(ctx, err, json);
    if (NOT_AN_ERROR.has(err.code)) return EXIT.ok;
    if (json) reportError(ctx, new UserError(err.message.replace(/^error: /, "").replace(/\n/g, " "), "E_USAGE"), true);
    return EXIT.usage;
  }
  return exit.code;
}

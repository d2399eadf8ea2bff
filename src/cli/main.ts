// Declares the commands; each action imports its module lazily so `mlship --help` stays fast.
import { Command, CommanderError, Option } from "commander";
import { EXIT } from "../errors.js";
import { type Context, processContext } from "./context.js";
import { reportError } from "./output.js";

type Action = (ctx: Context, ...args: any[]) => Promise<number>;
const lazy =
  (ctx: Context, load: () => Promise<{ run: Action }>, exit: { code: number }) =>
  async (...args: unknown[]) => {
    const opts = (args.at(-2) ?? {}) as { json?: boolean };
    try {
      exit.code = await (await load()).run(ctx, ...args.slice(0, -1));
    } catch (err) {
      exit.code = reportError(ctx, err, Boolean(opts.json));
    }
  };

// Options every spec-reading command shares.
function specOptions(cmd: Command): Command {
  return cmd
    .option("-p, --profile <name>", "merge the spec's profile NAME over its base")
    .option("-s, --set <path=value>", "override one field (repeatable), e.g. --set spark.master=local[2]", (v: string, prev: string[] = []) => [...prev, v])
    .option("--json", "print machine-readable JSON on stdout");
}

export async function main(argv: string[], ctx: Context = processContext()): Promise<number> {
  const exit = { code: EXIT.ok as number };
  const program = new Command("mlship")
    .description("Ship machine-learning models from Spark training to a Spark-free prediction service.")
    .version("0.1.0", "-V, --version")
    .showHelpAfterError("(run mlship --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });

  specOptions(program.command("validate").argument("<spec>", "job spec (YAML)").description("check a job spec and report every problem at once"))
    .action(lazy(ctx, () => import("./commands/validate.js"), exit));

  specOptions(program.command("plan").argument("<spec>", "job spec (YAML)").description("print the spark-submit command a spec becomes (secrets redacted)"))
    .option("--store <location>", "store: a directory (default ./mlship-store)")
    .action(lazy(ctx, () => import("./commands/plan.js"), exit));

  specOptions(program.command("train").argument("<spec>", "job spec (YAML)").description("run the training job on Spark, certify the model and register a version"))
    .option("--store <location>", "store: a directory (default ./mlship-store)")
    .option("-q, --quiet", "do not stream Spark's output (it is still archived in the run's folder)")
    .action(lazy(ctx, () => import("./commands/train.js"), exit));

  const models = program.command("models").description("inspect registered models: list, show, versions, delete");
  models
    .command("list")
    .description("list models with their latest version and aliases")
    .option("--store <location>", "store: a directory (default ./mlship-store)")
    .option("--json", "print machine-readable JSON on stdout")
    .action(lazy(ctx, () => import("./commands/models-list.js"), exit));
  models
    .command("show")
    .argument("<ref>", "NAME, NAME@VERSION, NAME@ALIAS or NAME@latest")
    .description("show one version: metrics, parity certificate, lineage, artifacts")
    .option("--store <location>", "store: a directory (default ./mlship-store)")
    .option("--json", "print machine-readable JSON on stdout")
    .action(lazy(ctx, () => import("./commands/models-show.js"), exit));
  // Registry and run-record commands (docs/registry.md): all read --store and print --json.
  const storeJson = (cmd: Command) => cmd.option("--store <location>", "store: a directory or s3://bucket/prefix (default ./mlship-store)").option("--json", "print machine-readable JSON on stdout");
  const moveOptions = (cmd: Command) =>
    storeJson(cmd).option("--expect <version>", "move only if the alias points at VERSION now (none: only if it does not exist)").option("--reason <text>", "why, kept in the alias history");
  storeJson(models.command("versions").argument("<name>", "model name").description("list a model's versions: key metric, parity, aliases, tags"))
    .option("--all", "include soft-deleted versions")
    .option("--metric <name>", "the metric column to show (default: the version's headline metric)")
    .action(lazy(ctx, () => import("./commands/models-versions.js"), exit));
  storeJson(models.command("delete").argument("<ref>", "NAME@VERSION").description("soft-delete a version: hidden from lists, aliases and serving; record and artifacts kept"))
    .option("--force", "delete even when an alias points at it (the alias then resolves to nothing)")
    .option("--reason <text>", "why, kept in the tombstone")
    .action(lazy(ctx, () => import("./commands/models-delete.js"), exit));
  const alias = program.command("alias").description("move and inspect aliases");
  moveOptions(alias.command("set").argument("<ref>", "NAME@ALIAS").argument("<version>", "version number").description("point an alias at a version (compare-and-swap with --expect)"))
    .action(lazy(ctx, () => import("./commands/alias.js"), exit));
  storeJson(alias.command("history").argument("<ref>", "NAME@ALIAS").description("show where an alias points, every move, and where a rollback would go"))
    .action(lazy(ctx, async () => ({ run: (await import("./commands/alias.js")).history }), exit));
  moveOptions(program.command("promote").argument("<ref>", "NAME@VERSION").description("point an alias at a version, recorded as a promotion"))
    .requiredOption("--to <alias>", "the alias to move, e.g. production")
    .action(lazy(ctx, () => import("./commands/promote.js"), exit));
  moveOptions(program.command("rollback").argument("<ref>", "NAME@ALIAS").description("move an alias back to the version it pointed at before its last move"))
    .action(lazy(ctx, () => import("./commands/rollback.js"), exit));
  storeJson(program.command("tag").argument("<ref>", "NAME@VERSION").argument("[pairs...]", "key=value tags to set").description("set or remove tags of a version (no pairs: show them)"))
    .option("--remove <key>", "remove a tag (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .action(lazy(ctx, () => import("./commands/tag.js"), exit));
  const runs = program.command("runs").description("inspect run records");
  storeJson(runs.command("list").description("list runs, newest first"))
    .option("--job <name>", "only runs of this job")
    .option("--status <status>", "only runs with this status: submitted, running, succeeded, failed, killed")
    .option("--limit <n>", "at most N runs", "20")
    .action(lazy(ctx, () => import("./commands/runs-list.js"), exit));
  storeJson(runs.command("show").argument("<run>", "RUN_ID or JOB/RUN_ID").description("show one run record"))
    .action(lazy(ctx, () => import("./commands/runs-show.js"), exit));
  storeJson(runs.command("logs").argument("<run>", "RUN_ID or JOB/RUN_ID").description("print a run's driver log"))
    .option("--event-log", "print the Spark event log instead")
    .action(lazy(ctx, () => import("./commands/runs-logs.js"), exit));

  storeJson(program.command("store").description("check the store").command("check").description("check every registry record, version artifact (MANIFEST.json, sizes, sha256) and run record; exit 1 on any problem"))
    .action(lazy(ctx, () => import("./commands/store-check.js"), exit));

  program
    .command("serve")
    .description("serve models over HTTP (Open Inference Protocol v2 and JSON), hot-swapping when an alias moves")
    .option("--store <location>", "store: a directory (default ./mlship-store)")
    .option("-m, --model <ref>", "NAME@ALIAS (follows the alias) or NAME@VERSION (pinned); repeatable", (v: string, prev: string[] = []) => [...prev, v])
    .option("--port <port>", "port to listen on (0: any free port)", "8080")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--token-file <file>", "require Authorization: Bearer <the token in FILE> (health routes stay open)")
    .option("--poll-interval <seconds>", "how often to check the aliases for a new version", "5")
    .option("--request-timeout <duration>", "the whole request (headers and body) must arrive within this, else 408", "30s")
    .option("--headers-timeout <duration>", "the request line and headers must arrive within this, else 408 (default: 10s, at most --request-timeout)")
    .option("--idle-timeout <duration>", "a request that stalls this long before it is complete gets 408", "10s")
    .option("--keep-alive-timeout <duration>", "an idle keep-alive connection is closed after this", "72s")
    .option("--body-limit <size>", "largest request body accepted, e.g. 8mb", "8mb")
    .option("--workers <n>", 'worker processes sharing the port (node:cluster); "auto": one per CPU', "1")
    .option("--max-rows <n>", "most rows one Arrow request may hold", "1000000")
    .option("--max-columns <n>", "most Arrow columns (nested fields included) one request may hold", "1000")
    .option("--max-output <size>", "largest answer one request may produce, e.g. 256mb", "256mb")
    .option("--json-logs", "one JSON object per log line on stderr (the default when not on a terminal)")
    .option("--strict-inputs", "take only the pipeline's own types (no casts) and refuse unknown fields")
    .option("--on-invalid <mode>", "fail (default: refuse a batch with a bad row) or skip (answer null for it and name it); ?on_invalid= per request", "fail")
    .action(lazy(ctx, () => import("./commands/serve.js"), exit));

  program
    .command("predict")
    .argument("<ref>", "NAME@ALIAS, NAME@VERSION or NAME")
    .description("score a file offline (Arrow IPC, CSV, JSON lines) with a registered version; no server, no Spark")
    .requiredOption("-i, --input <file>", "input file (.arrow, .arrows, .csv, .jsonl)")
    .requiredOption("-o, --output <file>", "output file: the input columns plus prediction, label, probability, raw_prediction")
    .option("--input-format <format>", "arrow | arrow-stream | csv | jsonl (default: from the extension)")
    .option("--output-format <format>", "arrow | arrow-stream | csv | jsonl (default: from the extension)")
    .option("--on-invalid <mode>", "fail (default: nothing written) or skip rows that cannot be scored", "fail")
    .option("--strict-inputs", "take only the pipeline's own types (no casts)")
    .option("--store <location>", "store: a directory (default ./mlship-store)")
    .option("--json", "print machine-readable JSON on stdout")
    .action(lazy(ctx, () => import("./commands/predict.js"), exit));

  program.addOption(new Option("--no-color", "accepted for compatibility; mlship prints no colour").hideHelp());
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? EXIT.ok : EXIT.usage;
    }
    return reportError(ctx, err, argv.includes("--json"));
  }
  return exit.code;
}

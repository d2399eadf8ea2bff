// The options several commands share, declared once so their help is the same (and true) everywhere.
import type { OptionSpec } from "./define.js";

export const storeOption: OptionSpec = {
  flags: "--store <location>",
  description: "store: a directory or s3://bucket/prefix (default: $MLSHIP_STORE, else a job spec's store:, else ./mlship-store)",
};

export const jsonOption: OptionSpec = { flags: "--json", description: "print machine-readable JSON on stdout (errors too)" };

export const profileOption: OptionSpec = { flags: "-p, --profile <name>", description: "merge the spec's profile NAME over its base" };

export const setOption: OptionSpec = {
  flags: "-s, --set <path=value>",
  description: "override one field (repeatable), e.g. --set spark.master=local[2]",
  repeatable: true,
};

export const quietOption: OptionSpec = { flags: "-q, --quiet", description: "do not stream Spark's output (it is still archived in the run's folder)" };

// Options of every command that reads a job spec.
export const specOptions: OptionSpec[] = [profileOption, setOption, jsonOption];

// Options of a command that moves an alias (alias set, promote, rollback).
export const moveOptions: OptionSpec[] = [
  storeOption,
  jsonOption,
  { flags: "--expect <version>", description: "move only if the alias points at VERSION now (none: only if it does not exist)" },
  { flags: "--reason <text>", description: "why, kept in the alias history" },
];

export const eventsOption: OptionSpec = {
  flags: "--events <file>",
  description: "write the run's progress events (phase, stages, tasks, messages) to FILE as JSON lines (with --json and no --events: to stderr)",
};
